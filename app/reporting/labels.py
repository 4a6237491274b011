"""Translated labels for codes shown in reach tables (the enrolment domain owns the wording)."""

from flask_babel import gettext as _

from app.enrolment.labels import AGENCY_LABELS, GENDER_LABELS


def agency_label(code: str | None) -> str:
    """Return the translated label of an agency type code."""
    label = AGENCY_LABELS.get(code or "other")
    return str(label) if label is not None else str(code)


def gender_label(code: str | None) -> str:
    """Return the translated label of a recorded gender, or 'Not recorded'."""
    if not code:
        return _("Not recorded")
    label = GENDER_LABELS.get(code)
    return str(label) if label is not None else code.replace("_", " ").capitalize()
