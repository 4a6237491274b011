/* The roll call's search box and "not marked yet" filter. A name is folded as the duplicate
   check folds it (app/enrolment/names.py fold_name): case, accents, Arabic and Hebrew marks,
   Arabic letter variants, punctuation; the server writes each row's folded names in
   data-search, and what is typed is folded here the same way. Every typed word must occur. */
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

  var ARABIC = { "\u0671": "\u0627", "\u0629": "\u0647", "\u0649": "\u064a", "\u0640": "" };
  var LATIN = { "ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "ß": "ss",
                "ħ": "h", "þ": "th", "ð": "d", "ŋ": "ng" };
  var APOSTROPHES = /['’‘ʼʻ`´′]|\p{Cf}/gu;
  // Marks writers add or leave out (Unicode "COMBINING", Arabic and Hebrew marks).
  var OPTIONAL_MARK = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff]/u;
  var MARK = /\p{Mn}/u;

  function fold(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0671\u0629\u0649\u0640]/g, function (c) { return ARABIC[c]; })
      .replace(APOSTROPHES, "")
      .replace(/\p{Mn}/gu, function (c) { return OPTIONAL_MARK.test(c) && MARK.test(c) ? "" : c; })
      .replace(/[\p{P}\p{S}\p{Z}]/gu, " ")
      .toLowerCase()
      .replace(/[łøđıæœßħþðŋ]/g, function (c) { return LATIN[c]; })
      .split(/\s+/)
      .filter(Boolean);
  }

  function isMarked(row) {
    return /\bis-(present|late|excused|absent)\b/.test(row.className);
  }

  function apply() {
    var words = fold(search.value);
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
