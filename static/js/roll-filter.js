/* The roll call's search box and "not marked yet" filter. The server writes each row's names
   in data-search folded as the duplicate check folds them (app/enrolment/names.py fold_name);
   what is typed is folded the same way by fold.js. Every typed word must occur. */
(function () {
  "use strict";
  var box = document.querySelector("[data-roll-filter]");
  var list = document.querySelector("[data-roll-list]");
  if (!box || !list) {
    return;
  }
  var search = box.querySelector("[data-roll-search]");
  var unmarked = box.querySelector("[data-roll-unmarked]");
  var none = box.querySelector("[data-roll-none]");
  var rows = Array.prototype.slice.call(list.querySelectorAll(".roll-row"));

  function isMarked(row) {
    return /\bis-(present|late|excused|absent)\b/.test(row.className);
  }

  function apply() {
    var words = foldName(search.value).split(" ").filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var key = row.dataset.search || "";
      var match = words.every(function (word) { return key.indexOf(word) !== -1; });
      var visible = match && !(unmarked.checked && isMarked(row));
      row.hidden = !visible;
      shown += visible ? 1 : 0;
    });
    none.hidden = shown > 0;
  }

  search.addEventListener("input", apply);
  unmarked.addEventListener("change", apply);
  box.hidden = false;
})();
