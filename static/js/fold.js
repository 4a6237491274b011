/* Fold a name or a place as app/enrolment/names.py fold_name does, so that what is typed in a
   search box meets the names however they were written: case, accents, Arabic and Hebrew marks,
   Arabic letter variants (أ إ آ ٱ → ا, ة → ه, ى → ي, Persian ی ک → ي ك, no tatweel), apostrophes
   dropped, hyphens and other punctuation as spaces. tests/enrolment/test_fold_js.py checks that
   both give the same words (for the Latin letters listed below; the server knows all of them). */
(function (root) {
  "use strict";
  var ARABIC = { "\u0671": "\u0627", "\u0629": "\u0647", "\u0649": "\u064a", "\u06cc": "\u064a",
                 "\u06a9": "\u0643", "\u0640": "" };
  // Latin letters decomposition leaves whole, as anyascii writes them on the server: those of
  // European names, and the hooked and open letters of West African, Azeri and Sámi ones.
  var LATIN = { "ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "ß": "ss",
                "ħ": "h", "þ": "th", "ð": "d", "ŋ": "ng", "ŧ": "t", "ĸ": "q", "ɓ": "b", "ɗ": "d",
                "ƙ": "k", "ƴ": "y", "ƈ": "c", "ɠ": "g", "ɛ": "e", "ɔ": "o", "ʋ": "v", "ƒ": "f",
                "ɲ": "n", "ɖ": "d", "ə": "e", "ǝ": "e", "ɨ": "i", "ʉ": "u", "ƭ": "t" };
  var LATIN_WHOLE = new RegExp("[" + Object.keys(LATIN).join("") + "]", "g");
  var APOSTROPHES = /['’‘ʼʻ`´′]|\p{Cf}/gu;
  // Marks writers add or leave out (Unicode "COMBINING", Arabic and Hebrew marks).
  var OPTIONAL_MARK = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff]/u;
  var MARK = /\p{Mn}/u;

  root.foldName = function (text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0671\u0629\u0649\u06cc\u06a9\u0640]/g, function (c) { return ARABIC[c]; })
      .replace(APOSTROPHES, "")
      .replace(/\p{Mn}/gu, function (c) { return OPTIONAL_MARK.test(c) && MARK.test(c) ? "" : c; })
      .replace(/[\p{P}\p{S}\p{Z}]/gu, " ")
      .toLowerCase()
      .replace(/\u03c2/g, "\u03c3") // final sigma ς is σ, as Python's casefold has it
      .replace(LATIN_WHOLE, function (c) { return LATIN[c]; })
      .split(/[\s\x1c-\x1f\x85]+/) // the whitespace of Python's str.split
      .filter(Boolean)
      .join(" ");
  };
})(typeof window !== "undefined" ? window : globalThis);
