/* Roll call: send each tap with fetch and update the row in place; without JavaScript, or
   when the network call fails, the tap's form is submitted the ordinary way. */
(function () {
  "use strict";
  var list = document.querySelector("[data-roll-list]");
  if (!list || !window.fetch || !window.FormData) {
    return;
  }

  function show(row, status) {
    var buttons = row.querySelectorAll("button[name=status]");
    for (var i = 0; i < buttons.length; i += 1) {
      buttons[i].setAttribute("aria-pressed", buttons[i].value === status ? "true" : "false");
    }
    row.className = row.className.replace(/\bis-[a-z]+\b/g, "").trim();
    if (status) {
      row.classList.add("is-" + status);
    }
  }

  function showCounts(counts) {
    Object.keys(counts || {}).forEach(function (key) {
      var cell = document.querySelector("[data-count='" + key + "']");
      if (cell) {
        cell.textContent = counts[key];
      }
    });
  }

  function submitNormally(form, status) {
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "status";
    hidden.value = status;
    form.appendChild(hidden);
    form.submit();
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!form.hasAttribute("data-roll") || !button || !button.value) {
      return;
    }
    event.preventDefault();
    var row = form.closest(".roll-row");
    var before = (row.querySelector("button[aria-pressed=true]") || {}).value || "";
    var data = new FormData(form);
    data.append("status", button.value);
    show(row, button.value);
    row.classList.add("is-saving");
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (json) {
        row.classList.remove("is-saving");
        show(row, json.status);
        showCounts(json.counts);
      })
      .catch(function () {
        row.classList.remove("is-saving");
        show(row, before);
        submitNormally(form, button.value);
      });
  });
})();
