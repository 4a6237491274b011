"""Default legal traditions follow JuriGlobe and the file's own rule for mixed systems."""

import csv
import re
from functools import cache

import pytest

from app.shared.legal_traditions import DATA_FILE, tradition_for_country


@cache
def _rows() -> dict[str, dict[str, str]]:
    """Read the data file itself, the subject of these tests."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return {row["country_code"]: row for row in csv.DictReader(lines)}


def all_traditions() -> dict[str, str]:
    return {code: row["legal_tradition"] for code, row in _rows().items()}


def tradition_components(code: str) -> str:
    return _rows()[code]["components"]


RELIGIOUS_OR_CUSTOMARY = re.compile(
    r"customary|islamic|muslim|religious|canon|buddhist|hindu|jewish|sharia", re.I
)


@pytest.mark.parametrize(
    ("code", "families", "default"),
    [
        # JuriGlobe's mixed lists; the default is what a new session there follows.
        ("BT", ("common law", "customary"), "common_law"),
        ("IR", ("civil", "muslim law"), "civil_law"),
        ("PS", ("civil", "muslim law"), "civil_law"),
        ("OM", ("civil", "muslim law", "customary"), "civil_law"),
        ("RW", ("civil", "customary"), "civil_law"),
        ("SZ", ("civil", "customary"), "civil_law"),
        ("GY", ("civil", "common law"), "mixed"),
    ],
)
def test_countries_juriglobe_classifies_as_mixed(code, families, default):
    assert all_traditions()[code] == "mixed"
    components = tradition_components(code).lower()
    for family in families:
        assert family in components
    assert tradition_for_country(code) == default


def test_named_components_have_no_family_juriglobe_does_not_list():
    assert "common law" not in tradition_components("IR").lower()
    assert "common law" not in tradition_components("PS").lower()
    assert "common law" not in tradition_components("RW").lower()
    assert "common law" not in tradition_components("SZ").lower()
    assert "civil" not in tradition_components("BT").lower()
    assert "anglo-saxon" not in tradition_components("OM").lower()


@pytest.mark.parametrize(
    ("code", "default"),
    [
        ("BF", "civil_law"),
        ("CG", "civil_law"),
        ("CD", "civil_law"),
        ("GN", "civil_law"),
        ("GW", "civil_law"),
        ("MG", "civil_law"),
        ("ML", "civil_law"),
        ("BJ", "civil_law"),
        ("BO", "civil_law"),
        ("CK", "common_law"),
        ("TK", "common_law"),
        ("IN", "common_law"),
    ],
)
def test_pluralistic_systems_are_mixed_and_keep_their_family_default(code, default):
    assert all_traditions()[code] == "mixed"
    assert tradition_for_country(code) == default


def test_no_civil_or_common_law_row_lists_customary_or_religious_law():
    offenders = [
        code
        for code, tradition in all_traditions().items()
        if tradition in {"civil_law", "common_law"}
        and RELIGIOUS_OR_CUSTOMARY.search(tradition_components(code))
    ]
    assert offenders == []


def test_header_names_source_and_edition_of_each_classification():
    header = DATA_FILE.read_text(encoding="utf-8").split("country_code,")[0]
    assert "JuriGlobe" in header
    assert "archived on 2017-05-21" in header
    assert "CIA World Factbook" in header
    assert "legal_tradition" in header  # which column follows which source
