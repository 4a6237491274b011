// Keep a certificate batch's progress fresh without reloading: poll its JSON, update the
// counts and the errors, and reload the page once the batch is finished (to show the result).
(function () {
  "use strict";

  var INTERVAL_MS = 2000;

  function show(section, data) {
    var bar = section.querySelector("progress");
    if (bar) {
      bar.max = data.total;
      bar.value = data.done + data.failed;
      bar.textContent = data.done + " / " + data.total;
    }
    var done = section.querySelector("[data-batch-done]");
    if (done) done.textContent = String(data.done);
    var failed = section.querySelector("[data-batch-failed]");
    if (failed) failed.textContent = String(data.failed);
    var failedWrap = section.querySelector("[data-batch-failed-wrap]");
    if (failedWrap) failedWrap.hidden = data.failed === 0;
    var list = section.querySelector("[data-batch-errors]");
    if (list) {
      list.replaceChildren();
      data.errors.forEach(function (error) {
        var item = document.createElement("li");
        if (error.name) {
          var name = document.createElement("bdi");
          name.textContent = error.name;
          item.append(name, ": ");
        }
        item.append(error.message);
        list.append(item);
      });
    }
  }

  function follow(section) {
    var url = section.dataset.progressUrl;
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          show(section, data);
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

  document.querySelectorAll("[data-batch-progress][data-finished='false']").forEach(follow);
})();
