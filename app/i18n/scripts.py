"""The strings the page scripts (static/js) show, translated from the one gettext catalogue.

Each page carries its language's strings in a JSON data block that static/js/i18n.js reads, so
a page kept offline by the roll call's service worker keeps its words, and nothing runs inline
under the CSP. The msgids are written here, where `pybabel extract` finds them.
"""

from __future__ import annotations

from functools import lru_cache
from gettext import NullTranslations

from babel import Locale
from flask_babel import get_locale, get_translations

# Numbers tried to find, for each of a language's CLDR plural categories, a count that falls in
# it (French "many" starts at a million, which no roll call reaches: it falls back to "other").
_SAMPLE_COUNTS = range(0, 200)


def _texts(t: NullTranslations) -> dict[str, str]:
    """Return the scripts' fixed strings in the translations' language."""
    return {
        "cancel": t.gettext("Cancel"),
        "confirm": t.gettext("Confirm"),
        "filter": t.gettext("Type to filter the list"),
        "marks_failed": t.gettext(
            "The marks could not be sent. They stay on this phone; reload the page when online"
            " and send them again."
        ),
    }


def _counted(t: NullTranslations, n: int) -> dict[str, str]:
    """Return the scripts' counted strings as the language says them of `n`."""
    return {
        "marks_pending": t.ngettext("%(num)d mark not saved yet", "%(num)d marks not saved yet", n),
        "marks_superseded": t.ngettext(
            "Someone marked %(num)d of these people later; their mark was kept. Reload to see it.",
            "Someone marked %(num)d of these people later; their marks were kept. Reload to see"
            " them.",
            n,
        ),
    }


def plural_samples(locale: str) -> dict[str, int]:
    """Return a count in each CLDR plural category of the locale (zero, one, two, few, many)."""
    rule = Locale.parse(locale).plural_form
    samples: dict[str, int] = {}
    for n in _SAMPLE_COUNTS:
        samples.setdefault(rule(n), n)
    return samples


def script_strings() -> dict:
    """Return the current language's strings for the scripts, counted ones by plural category.

    The browser picks a category with Intl.PluralRules, which follows the same CLDR rules as
    Babel; `%(num)d` and `%(name)s` are filled in there.
    """
    return _strings(str(get_locale() or "en"), get_translations())


@lru_cache(maxsize=32)
def _strings(locale: str, t: NullTranslations) -> dict:
    """Work the strings out once per language and catalogue, not on every page."""
    counted: dict[str, dict[str, str]] = {}
    for category, n in plural_samples(locale).items():
        for key, text in _counted(t, n).items():
            counted.setdefault(key, {})[category] = text
    return {"locale": locale.replace("_", "-"), "texts": _texts(t), "counted": counted}
