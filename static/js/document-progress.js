// Follow a document being rendered without reloading: poll its JSON, and reload the page once
// it is finished (to show the download link or the reason it failed).
(function () {
  "use strict";

  var INTERVAL_MS = 1500;

  function follow(section) {
    var url = section.dataset.progressUrl;
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
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

  document.querySelectorAll("[data-document-progress][data-finished='false']").forEach(follow);
})();
