// Reloads the page after the seconds in [data-reload-seconds] (a running job's progress),
// instead of <meta http-equiv="refresh">, which screen readers and axe-core object to:
// the page keeps a "Muat ulang" link for readers without JavaScript.
(function () {
  var el = document.querySelector("[data-reload-seconds]");
  if (!el) return;
  var seconds = parseFloat(el.dataset.reloadSeconds) || 5;
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
