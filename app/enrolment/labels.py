"""Translated labels for the enrolment domain's codes, shared by forms, pages and reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.enrolment.models import EnrolmentStatus
from app.shared.agency_types import AGENCY_LABELS as AGENCY_LABELS
from app.shared.i18n import own_language_name

# English labels accepted in uploads besides the codes (lower-cased); "NGO" is common in sheets.
AGENCY_ENGLISH = {
    "police": "police",
    "law enforcement": "police",
    "prosecution": "prosecution",
    "prosecutor": "prosecution",
    "judiciary": "judiciary",
    "judge": "judiciary",
    "child protection": "child_protection",
    "child_protection": "child_protection",
    "ngo": "ngo",
    "non-governmental organisation": "ngo",
    "non-governmental organization": "ngo",
    "industry": "industry",
    "government": "government",
    "other": "other",
}

GENDER_LABELS = {
    "female": _l("Female"),
    "male": _l("Male"),
    "other": _l("Other or self-described"),
    "undisclosed": _l("Prefer not to say"),
}

GENDER_ENGLISH = {
    "female": "female",
    "f": "female",
    "woman": "female",
    "male": "male",
    "m": "male",
    "man": "male",
    "other": "other",
    "self-described": "other",
    "other or self-described": "other",
    "undisclosed": "undisclosed",
    "prefer not to say": "undisclosed",
}

STATUS_LABELS = {
    EnrolmentStatus.REQUESTED.value: _l("Requested"),
    EnrolmentStatus.ENROLLED.value: _l("Enrolled"),
    EnrolmentStatus.WAITLISTED.value: _l("Waitlisted"),
    EnrolmentStatus.DECLINED.value: _l("Declined"),
    EnrolmentStatus.WITHDRAWN.value: _l("Withdrawn"),
}

# Languages people are trained in or write to us in; names are shown in the language itself.
LANGUAGE_CODES = (
    "en", "fr", "es", "pt", "ar", "ru", "zh", "hi", "th", "id", "ms", "vi", "km", "lo", "my",
    "tl", "bn", "ur", "fa", "ne", "si", "ta", "sw", "am", "ha", "tr", "uk", "ro", "de", "it",
)  # fmt: skip
LANGUAGES = {code: own_language_name(code) for code in LANGUAGE_CODES}

# English names of those languages, accepted in uploads besides the codes.
LANGUAGE_ENGLISH = {
    "english": "en",
    "french": "fr",
    "spanish": "es",
    "portuguese": "pt",
    "arabic": "ar",
    "russian": "ru",
    "chinese": "zh",
    "mandarin": "zh",
    "hindi": "hi",
    "thai": "th",
    "indonesian": "id",
    "malay": "ms",
    "vietnamese": "vi",
    "khmer": "km",
    "lao": "lo",
    "burmese": "my",
    "filipino": "tl",
    "tagalog": "tl",
    "bengali": "bn",
    "urdu": "ur",
    "persian": "fa",
    "farsi": "fa",
    "nepali": "ne",
    "sinhala": "si",
    "tamil": "ta",
    "swahili": "sw",
    "amharic": "am",
    "hausa": "ha",
    "turkish": "tr",
    "ukrainian": "uk",
    "romanian": "ro",
    "german": "de",
    "italian": "it",
}


def agency_label(code: str | None) -> str:
    """Return the translated label of an agency type code."""
    return str(AGENCY_LABELS.get(code or "", code or ""))


def gender_label(code: str | None) -> str:
    """Return the translated label of a gender code ('' when not given)."""
    return str(GENDER_LABELS.get(code or "", code or ""))


def status_label(code: str | None) -> str:
    """Return the translated label of an enrolment status."""
    return str(STATUS_LABELS.get(code or "", code or ""))


def language_label(code: str | None) -> str:
    """Return a language's own name for its code."""
    return LANGUAGES.get(code or "", code or "")


def parse_agency_type(value: str | None) -> str | None:
    """Return the agency code for a code or English label (any case), or None."""
    key = " ".join((value or "").split()).casefold()
    return AGENCY_ENGLISH.get(key) or AGENCY_ENGLISH.get(key.replace("_", " "))


def parse_gender(value: str | None) -> str | None:
    """Return the gender code for a code or English label (any case), or None."""
    return GENDER_ENGLISH.get(" ".join((value or "").split()).casefold())


def parse_language(value: str | None) -> str | None:
    """Return a language code for a code or English name (any case), or None."""
    key = " ".join((value or "").split()).casefold()
    if key in LANGUAGES:
        return key
    return LANGUAGE_ENGLISH.get(key)
