"""Certificate wording in each session language; English is the fallback.

Certificates are printed in the session's language, not the viewer's interface language, so the
wording lives here rather than in the interface translations.
"""

from __future__ import annotations

import unicodedata

WORDING: dict[str, dict[str, str]] = {
    "en": {
        "title": "Certificate of Completion",
        "certifies": "This is to certify that",
        "completed": "has successfully completed the training course",
        "version": "version",
        "held": "held in {place}, {dates}",
        "hours": "{hours} hours of training",
        "modules": "Programme",
        "total": "Total",
        "hours_short": "h",
        "number": "Certificate No.",
        "issued": "Issued on",
        "valid_until": "Valid until",
        "verify": "Verify this certificate at",
        "trainers": "Trainers",
        "trainer": "Trainer",
        "issuer": "Issued by",
    },
    "fr": {
        "title": "Certificat de fin de formation",
        "certifies": "Le présent certificat atteste que",
        "completed": "a suivi avec succès la formation",
        "version": "version",
        "held": "tenue à {place}, {dates}",
        "hours": "{hours} heures de formation",
        "modules": "Programme",
        "total": "Total",
        "hours_short": "h",
        "number": "Certificat n°",
        "issued": "Délivré le",
        "valid_until": "Valable jusqu’au",
        "verify": "Vérifier ce certificat sur",
        "trainers": "Formateurs",
        "trainer": "Formateur",
        "issuer": "Délivré par",
    },
    "es": {
        "title": "Certificado de finalización",
        "certifies": "Se certifica que",
        "completed": "ha completado satisfactoriamente el curso de formación",
        "version": "versión",
        "held": "celebrado en {place}, {dates}",
        "hours": "{hours} horas de formación",
        "modules": "Programa",
        "total": "Total",
        "hours_short": "h",
        "number": "Certificado n.º",
        "issued": "Expedido el",
        "valid_until": "Válido hasta el",
        "verify": "Verifique este certificado en",
        "trainers": "Formadores",
        "trainer": "Formador",
        "issuer": "Expedido por",
    },
    "ar": {
        "title": "شهادة إتمام",
        "comma": "، ",
        "certifies": "تشهد هذه الوثيقة بأنّ",
        "completed": "قد أتمّ بنجاح الدورة التدريبية",
        "version": "الإصدار",
        "held": "المنعقدة في {place}، {dates}",
        "hours": "{hours} ساعة تدريبية",
        "modules": "البرنامج",
        "total": "المجموع",
        "hours_short": "س",
        "number": "رقم الشهادة",
        "issued": "تاريخ الإصدار",
        "valid_until": "صالحة حتى",
        "verify": "للتحقق من صحة هذه الشهادة",
        "trainers": "المدرّبون",
        "trainer": "المدرّب",
        "issuer": "الجهة المُصدِرة",
    },
}

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


def certificate_language(language: str | None) -> str:
    """Return the supported certificate language closest to a session language."""
    base = (language or "en").replace("-", "_").split("_")[0].lower()
    return base if base in WORDING else "en"


def wording(language: str | None) -> dict[str, str]:
    """Return the certificate texts for a language, falling back to English."""
    return WORDING[certificate_language(language)]


def is_rtl(language: str | None) -> bool:
    """Return whether text in this language runs right to left."""
    return certificate_language(language) in RTL_LANGUAGES


def guess_name_language(name: str) -> str | None:
    """Guess a language tag from the script of a name, so the right CJK face is chosen.

    Han characters alone are read as Chinese; with kana they are Japanese; Hangul is Korean.
    """
    scripts = set()
    for char in name:
        if not char.isalpha():
            continue
        label = unicodedata.name(char, "")
        for script, tag in _SCRIPT_TAGS:
            if label.startswith(script):
                scripts.add(tag)
                break
    for tag in ("ja", "ko", "ar", "hi", "th", "ru", "el", "he"):
        if tag in scripts:
            return tag
    if "zh" in scripts:
        return "zh"
    return None


_SCRIPT_TAGS = (
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("HANGUL", "ko"),
    ("CJK", "zh"),
    ("ARABIC", "ar"),
    ("DEVANAGARI", "hi"),
    ("THAI", "th"),
    ("CYRILLIC", "ru"),
    ("GREEK", "el"),
    ("HEBREW", "he"),
)


def name_direction(name: str) -> str:
    """Return 'rtl' for names written in a right-to-left script, else 'ltr'."""
    return "rtl" if guess_name_language(name) in RTL_LANGUAGES else "ltr"
