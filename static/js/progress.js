// Follow long work without reloading (a certificate batch, a history import, a PDF being made):
// poll the section's JSON, keep its counts and errors fresh, and reload the page once the work
// is finished, to show the result. Without JavaScript the page refreshes itself (<noscript>).
(function () {
  "use strict";

  var INTERVAL_MS = 2000;

  function text(section, selector, value) {
    var node = section.querySelector(selector);
    if (node) node.textContent = String(value);
  }

  function show(section, data) {
    var failed = data.failed || 0;
    var bar = section.querySelector("progress");
    if (bar && data.total !== undefined) {
      bar.max = data.total;
      bar.value = data.done + failed;
      bar.textContent = data.done + " / " + data.total;
    }
    if (data.done !== undefined) text(section, "[data-progress-done]", data.done);
    text(section, "[data-progress-failed]", failed);
    var failedWrap = section.querySelector("[data-progress-failed-wrap]");
    if (failedWrap) failedWrap.hidden = failed === 0;
    var list = section.querySelector("[data-progress-errors]");
    if (list && data.errors) {
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

  document.querySelectorAll("[data-progress][data-finished='false']").forEach(follow);
})();
