"""Translated display names for audience codes.

Legal traditions are named in app/shared/legal_traditions.py, languages in app/shared/i18n.py.
"""

from flask_babel import lazy_gettext as _l

from app.curriculum.models import Audience

AUDIENCE_LABELS = {
    Audience.LAW_ENFORCEMENT.value: _l("Law enforcement"),
    Audience.PROSECUTORS_JUDGES.value: _l("Prosecutors and judges"),
    Audience.CHILD_PROTECTION.value: _l("Child protection and social work"),
    Audience.NGO_HOTLINE.value: _l("NGOs and hotlines"),
    Audience.INDUSTRY.value: _l("Internet industry"),
}


def audience_label(code: str) -> str:
    """Return the translated name of an audience code (the code itself if unknown)."""
    return str(AUDIENCE_LABELS.get(code, code))
