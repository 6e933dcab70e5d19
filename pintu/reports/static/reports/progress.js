// A version being written: its bar follows the worker, and the page reloads once the
// file is ready (or has failed) so that the download or the reason shows.
(function () {
  "use strict";
  function follow(cell) {
    var url = cell.getAttribute("data-status-url");
    var bar = cell.querySelector("progress");
    var stage = cell.querySelector(".report-stage");
    function look() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          if (state.status === "done" || state.status === "failed") {
            window.location.reload();
            return;
          }
          if (bar) { bar.value = state.progress; bar.textContent = state.progress + "%"; }
          if (stage && state.stage) { stage.textContent = state.stage; }
          window.setTimeout(look, 1000);
        })
        .catch(function () { window.setTimeout(look, 5000); });
    }
    look();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-status-url]").forEach(follow);
  });
})();
