// Keep a history import's progress fresh without reloading: poll its JSON, update the count,
// and reload the page once the import is over (to show its result or its errors by row).
(function () {
  "use strict";

  var INTERVAL_MS = 2000;

  function follow(section) {
    var url = section.dataset.progressUrl;
    var bar = section.querySelector("progress");
    var done = section.querySelector("[data-import-done]");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          if (bar) {
            bar.max = data.total;
            bar.value = data.done;
            bar.textContent = data.done + " / " + data.total;
          }
          if (done) done.textContent = String(data.done);
          if (data.finished) {
            window.location.reload();
          } else {
            window.setTimeout(poll, INTERVAL_MS);
          }
        })
        .catch(function () {
          // A dropped connection is no reason to stop: try again a little later.
          window.setTimeout(poll, INTERVAL_MS * 3);
        });
    }
    window.setTimeout(poll, INTERVAL_MS);
  }

  document.querySelectorAll("[data-import-progress][data-finished='false']").forEach(follow);
})();
