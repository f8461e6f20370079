// Photos made smaller in the phone before they are sent: the long edge to 1600 px,
// JPEG at 0.82 (an 8 MB photo becomes a few hundred KB). Without this script, or
// in a browser without createImageBitmap/DataTransfer, the originals are sent and
// the server scales them (lib/uploads.py). The texts come from the page
// (includes/photo_resize.html), so they are translated like the rest.
(function () {
  "use strict";
  var note = document.getElementById("photo-resize");
  if (!note || !window.createImageBitmap || !window.DataTransfer || !window.File) return;
  var LONG_EDGE = 1600, QUALITY = 0.82, MIN_BYTES = 300 * 1024;
  var MAX_BYTES = parseInt(note.dataset.maxBytes, 10) || 5 * 1024 * 1024;
  var pending = 0;

  function mb(bytes) {
    return (bytes / 1048576).toFixed(1).replace(".", ",") + " MB";
  }

  function shrink(file) {
    if (!/^image\/(jpeg|png)$/.test(file.type) || file.size < MIN_BYTES) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, LONG_EDGE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";  // a transparent PNG gets a white background
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  function tooLarge(input) {
    return Array.prototype.some.call(input.files || [], function (f) { return f.size > MAX_BYTES; });
  }

  function watch(input) {
    var status = document.createElement("p");
    status.className = "help";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", status);
    function shrinkChosen() {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) { status.textContent = ""; return; }
      var before = files.reduce(function (sum, f) { return sum + f.size; }, 0);
      pending += 1;
      status.textContent = note.dataset.working;
      Promise.all(files.map(shrink)).then(function (smaller) {
        var transfer = new DataTransfer();
        smaller.forEach(function (f) { transfer.items.add(f); });
        input.files = transfer.files;
        var after = smaller.reduce(function (sum, f) { return sum + f.size; }, 0);
        status.textContent = tooLarge(input)
          ? note.dataset.tooLarge
          : note.dataset.done.replace("%(before)s", mb(before)).replace("%(after)s", mb(after));
      }).finally(function () { pending -= 1; });
    }
    input.addEventListener("change", shrinkChosen);
    // On a slow link this script can arrive after the photos were chosen.
    if (input.files && input.files.length) shrinkChosen();
    input.form.addEventListener("submit", function (event) {
      if (pending > 0 || tooLarge(input)) {
        event.preventDefault();
        status.textContent = pending > 0 ? note.dataset.working : note.dataset.tooLarge;
        input.focus();
      }
    });
  }

  note.hidden = false;
  document.querySelectorAll('input[type="file"]').forEach(function (input) {
    if (/image\//.test(input.getAttribute("accept") || "") && input.form) watch(input);
  });
})();
