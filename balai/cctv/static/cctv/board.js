// Refreshes the CCTV board's fragment every few seconds; the page works without it.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !window.fetch) return;
  var every = (parseInt(board.getAttribute("data-every"), 10) || 15) * 1000;
  function refresh() {
    if (document.hidden) return;
    fetch(board.getAttribute("data-src"), {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) { if (response.ok) return response.text(); throw new Error(response.status); })
      .then(function (html) { board.innerHTML = html; })
      .catch(function () { /* keep the last board; the next try may succeed */ });
  }
  window.setInterval(refresh, every);
})();
