"""Translated display names for audience, legal-tradition and language codes."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.curriculum.models import Audience
from app.shared.legal_traditions import LegalTradition

AUDIENCE_LABELS = {
    Audience.LAW_ENFORCEMENT.value: _l("Law enforcement"),
    Audience.PROSECUTORS_JUDGES.value: _l("Prosecutors and judges"),
    Audience.CHILD_PROTECTION.value: _l("Child protection and social work"),
    Audience.NGO_HOTLINE.value: _l("NGOs and hotlines"),
    Audience.INDUSTRY.value: _l("Internet industry"),
}

TRADITION_LABELS = {
    "all": _l("All legal systems"),
    LegalTradition.COMMON_LAW.value: _l("Common law"),
    LegalTradition.CIVIL_LAW.value: _l("Civil law"),
    LegalTradition.MIXED.value: _l("Mixed legal system"),
    LegalTradition.RELIGIOUS.value: _l("Religious law"),
    LegalTradition.CUSTOMARY.value: _l("Customary law"),
}


def audience_label(code: str) -> str:
    """Return the translated name of an audience code (the code itself if unknown)."""
    return str(AUDIENCE_LABELS.get(code, code))


def tradition_label(code: str) -> str:
    """Return the translated name of a legal-tradition code."""
    return str(TRADITION_LABELS.get(code, code))


def language_name(code: str) -> str:
    """Return a language's name in the interface language (French, francés, …)."""
    locale = get_locale()
    name = locale.languages.get(code) if locale is not None else None
    return name[:1].upper() + name[1:] if name else code
