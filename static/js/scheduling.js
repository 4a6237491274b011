/* Scheduling pages: filterable selects, live overlap check, country defaults, agenda editor.
   Plain JavaScript, no libraries; every page works without it. The select filter folds names
   with fold.js, as people's names are folded (الامارات finds الإمارات, guinea bissau finds
   Guinea-Bissau). */
(function () {
  "use strict";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) { return values[key]; });
  }

  /* A search box above long selects (countries, time zones) that narrows their options. */
  function makeFilterable(select) {
    var all = Array.prototype.slice.call(select.options).map(function (option) {
      return { value: option.value, text: option.text, key: foldName(option.text) };
    });
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-filter";
    box.placeholder = i18n.text("filter");
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var needle = foldName(box.value);
      var current = select.value;
      select.innerHTML = "";
      all.forEach(function (entry) {
        var match = !needle || entry.value === current ||
          entry.key.indexOf(needle) !== -1 || entry.value.toLowerCase() === needle;
        if (match) {
          var option = new Option(entry.text, entry.value, false, entry.value === current);
          select.add(option);
        }
      });
      var first = Array.prototype.find.call(select.options, function (o) {
        return o.value && o.value !== current;
      });
      if (needle && first && !current) { select.value = first.value; select.dispatchEvent(new Event("change")); }
    });
  }

  function sessionForm(form) {
    var data = readJSON("scheduling-data") || { traditions: {}, zones: {}, labels: {} };
    var labels = data.labels;
    form.querySelectorAll(".filterable select").forEach(function (select) {
      makeFilterable(select);
    });
    var country = form.querySelector("#host_country");
    var start = form.querySelector("#start_date");
    var end = form.querySelector("#end_date");
    var traditionHint = document.getElementById("legal_tradition-hint");
    var zoneHint = document.getElementById("timezone-hint");
    var traditionText = traditionHint.textContent;
    var zoneText = zoneHint.textContent;
    var warning = document.getElementById("overlap-warning");

    function showDefaults() {
      var code = country.value;
      traditionHint.textContent = code ? fill(labels.tradition, { name: data.traditions[code] || "–" }) +
        ". " + traditionText : traditionText;
      zoneHint.textContent = code ? fill(labels.zone, { name: data.zones[code] || "UTC" }) + ". " +
        zoneText : zoneText;
    }

    function checkOverlaps() {
      if (!country.value || !start.value) { return; }
      var params = new URLSearchParams({
        course_id: form.dataset.courseId, host_country: country.value,
        start_date: start.value, end_date: end.value || start.value
      });
      if (form.dataset.exclude) { params.set("exclude", form.dataset.exclude); }
      fetch(form.dataset.overlapUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { overlaps: [] }; })
        .then(function (body) {
          warning.innerHTML = "";
          warning.hidden = !body.overlaps.length;
          if (!body.overlaps.length) { return; }
          var head = document.createElement("p");
          var strong = document.createElement("strong");
          strong.textContent = labels.overlap;
          head.appendChild(strong);
          var list = document.createElement("ul");
          body.overlaps.forEach(function (other) {
            var item = document.createElement("li");
            var link = document.createElement("a");
            link.href = other.url;
            link.textContent = other.code;
            item.appendChild(link);
            item.appendChild(document.createTextNode(" " + other.message));
            list.appendChild(item);
          });
          var still = document.createElement("p");
          still.className = "small";
          still.textContent = labels.still;
          warning.append(head, list, still);
        })
        .catch(function () { /* the check on save still warns */ });
    }

    country.addEventListener("change", function () { showDefaults(); checkOverlaps(); });
    start.addEventListener("change", function () {
      if (!end.value || end.value < start.value) { end.value = start.value; }
      checkOverlaps();
    });
    end.addEventListener("change", checkOverlaps);
    showDefaults();
  }

  function agendaEditor(form) {
    var data = readJSON("agenda-data") || { flags: {}, hours: {}, labels: {} };
    var list = document.getElementById("agenda-rows");
    var template = document.getElementById("agenda-row-template");
    var addButton = document.getElementById("add-agenda-row");
    var totals = document.getElementById("day-totals");
    var maxHours = parseFloat(form.dataset.maxHours);
    var counter = list.querySelectorAll("[data-row]").length;

    function rowParts(row) {
      return {
        day: row.querySelector(".agenda-day select"),
        module: row.querySelector(".agenda-course_module_id select"),
        hours: row.querySelector(".agenda-hours input"),
        flag: row.querySelector("[data-flag]")
      };
    }

    function renumber() {
      /* WTForms reads rows by index: keep names agenda-0-…, agenda-1-… in screen order. */
      list.querySelectorAll("[data-row]").forEach(function (row, index) {
        row.querySelectorAll("[name], [for], [id]").forEach(function (node) {
          ["name", "id", "for"].forEach(function (attr) {
            var value = node.getAttribute(attr);
            if (value) { node.setAttribute(attr, value.replace(/^agenda-(\d+|__index__)-/, "agenda-" + index + "-")); }
          });
        });
      });
    }

    function refresh() {
      var sums = {};
      var order = [];
      list.querySelectorAll("[data-row]").forEach(function (row) {
        var parts = rowParts(row);
        var moduleId = parts.module.value;
        parts.hours.placeholder = data.hours[moduleId] || "";
        var flag = moduleId && data.flags[moduleId];
        parts.flag.hidden = !flag;
        parts.flag.textContent = flag || "";
        if (!moduleId) { return; }
        var hours = parseFloat(parts.hours.value || data.hours[moduleId] || "0");
        var label = parts.day.options[parts.day.selectedIndex].text;
        if (!(label in sums)) { sums[label] = 0; order.push(label); }
        sums[label] += isNaN(hours) ? 0 : hours;
      });
      totals.innerHTML = "";
      order.sort();
      order.forEach(function (label) {
        var item = document.createElement("li");
        item.textContent = label + ": " + fill(data.labels.total, { hours: sums[label] });
        if (sums[label] > maxHours) {
          item.className = "over";
          item.textContent += " (" + data.labels.over + ")";
        }
        totals.appendChild(item);
      });
    }

    function addRow() {
      var html = template.innerHTML.replace(/__index__/g, String(counter++));
      var holder = document.createElement("ol");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      var rows = list.querySelectorAll("[data-row]");
      if (rows.length) {
        /* Start on the day of the last line, the usual next step. */
        rowParts(row).day.value = rowParts(rows[rows.length - 1]).day.value;
      }
      list.appendChild(row);
      renumber();
      refresh();
      rowParts(row).module.focus();
    }

    list.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      event.preventDefault(); /* done here; without the script the button asks the server */
      var row = button.closest("[data-row]");
      if (button.hasAttribute("data-remove")) {
        row.remove();
      } else if (button.dataset.move === "-1" && row.previousElementSibling) {
        list.insertBefore(row, row.previousElementSibling);
      } else if (button.dataset.move === "1" && row.nextElementSibling) {
        list.insertBefore(row.nextElementSibling, row);
      }
      renumber();
      refresh();
    });
    list.addEventListener("change", refresh);
    list.addEventListener("input", refresh);
    addButton.addEventListener("click", function (event) {
      event.preventDefault();
      addRow();
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var sessionFormNode = document.querySelector("form.session-form");
    if (sessionFormNode) { sessionForm(sessionFormNode); }
    var agendaFormNode = document.querySelector("form.agenda-form");
    if (agendaFormNode) { agendaEditor(agendaFormNode); }
  });
})();
