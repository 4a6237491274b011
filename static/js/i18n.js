/* The page scripts' strings in the page's language: app/i18n/scripts.py writes them, from the
   gettext catalogues, into the page's <script type="application/json" id="script-strings">, so
   a page the roll call keeps offline keeps its words. i18n.text("cancel") gives a fixed string;
   i18n.count("marks_pending", n) picks the form for n by the language's plural rules (Arabic has
   six) and fills in %(num)d. Both fill %(name)s placeholders from an optional object. */
(function () {
  "use strict";
  var strings = null;

  function catalogue() {
    if (!strings) {
      var node = document.getElementById("script-strings");
      strings = node ? JSON.parse(node.textContent) : { locale: "en", texts: {}, counted: {} };
    }
    return strings;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)[sd]/g, function (whole, key) {
      return values && key in values ? String(values[key]) : whole;
    });
  }

  function text(key, values) {
    var found = catalogue().texts[key];
    return found === undefined ? key : fill(found, values);
  }

  function count(key, n, values) {
    var forms = catalogue().counted[key] || {};
    var category = window.Intl && Intl.PluralRules
      ? new Intl.PluralRules(catalogue().locale).select(n)
      : (n === 1 ? "one" : "other");
    var found = forms[category] || forms.other || key;
    return fill(found, Object.assign({ num: n }, values));
  }

  window.i18n = { text: text, count: count };
})();
