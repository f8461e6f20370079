// The embed page's "Salin kode" buttons (shown only where this script runs; without it
// the code stays selectable in its box). Copies the named textarea's text; where the
// clipboard is refused, selects it for Ctrl+C. Words come from the status element.
(function () {
  var status = document.getElementById("copy-status");
  function say(key) {
    if (status) status.textContent = status.dataset[key] || "";
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var box = document.getElementById(button.dataset.copy);
    if (!box) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      box.focus();
      box.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(box.value).then(
          function () { say("copied"); },
          function () { say("select"); }
        );
      } else {
        say(document.execCommand && document.execCommand("copy") ? "copied" : "select");
      }
    });
  });
})();
