"""Each country's legal tradition, read from data/legal_traditions.csv (JuriGlobe, CIA Factbook)."""

from __future__ import annotations

import csv
from enum import StrEnum
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l


class LegalTradition(StrEnum):
    """Legal traditions; modules apply to common law, civil law or all."""

    COMMON_LAW = "common_law"
    CIVIL_LAW = "civil_law"
    MIXED = "mixed"
    RELIGIOUS = "religious"
    CUSTOMARY = "customary"


DATA_FILE = Path(__file__).parent / "data" / "legal_traditions.csv"

# A course module tagged "all" applies under every tradition.
ALL_TRADITIONS = "all"

# The one table of tradition names: course pages, session pages and forms all read it.
TRADITION_LABELS = {
    ALL_TRADITIONS: _l("All legal systems"),
    LegalTradition.COMMON_LAW: _l("Common law"),
    LegalTradition.CIVIL_LAW: _l("Civil law"),
    LegalTradition.MIXED: _l("Mixed legal system"),
    LegalTradition.RELIGIOUS: _l("Religious law"),
    LegalTradition.CUSTOMARY: _l("Customary law"),
}

# How a module's tradition reads inside a sentence ("covers common-law rules").
TRADITION_ADJECTIVES = {
    LegalTradition.COMMON_LAW: _l("common-law"),
    LegalTradition.CIVIL_LAW: _l("civil-law"),
    LegalTradition.MIXED: _l("mixed-system"),
    LegalTradition.RELIGIOUS: _l("religious-law"),
    LegalTradition.CUSTOMARY: _l("customary-law"),
}


@cache
def _table() -> dict[str, tuple[str, str]]:
    """Map alpha-2 codes to (tradition, components), skipping the '#' source lines."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return {
            row["country_code"]: (row["legal_tradition"], row["components"])
            for row in csv.DictReader(lines)
        }


def tradition_for_country(code: str | None) -> str | None:
    """Return the tradition a session there follows by default, or None for an unknown country.

    Criminal procedure is what decides which special-investigation modules apply, so a mixed
    system built on only one of the two families (Ghana: "English common law; customary";
    Jordan: "civil; Islamic; customary") follows that family; a mix of both stays mixed.
    """
    entry = _table().get(code or "")
    if entry is None:
        return None
    tradition, components = entry
    if tradition != LegalTradition.MIXED:
        return tradition
    components = components.lower()
    has_common, has_civil = "common law" in components, "civil" in components
    if has_common != has_civil:
        return LegalTradition.COMMON_LAW if has_common else LegalTradition.CIVIL_LAW
    return tradition


def tradition_label(tradition: str | None) -> str:
    """Return the translated name of a tradition code ("" for none, the code if unknown)."""
    if not tradition:
        return ""
    return str(TRADITION_LABELS.get(tradition, tradition))


def tradition_choices() -> list[tuple[str, str]]:
    """Return (code, label) pairs of the traditions a session may follow, for select fields."""
    return [(tradition.value, tradition_label(tradition)) for tradition in LegalTradition]
