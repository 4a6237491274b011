"""UN M49 regions and the INTERPOL member list, from the data files in app/shared/data."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "shared" / "data"
M49_FILE = DATA / "m49.csv"
INTERPOL_FILE = DATA / "interpol_members.csv"


@dataclass(frozen=True)
class Region:
    """An M49 region (continent) or sub-region and the countries in it."""

    code: str
    name: str
    level: str  # "region" or "sub_region"
    parent: str | None
    countries: frozenset[str]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


@cache
def country_regions() -> dict[str, tuple[str, str]]:
    """Map each alpha-2 code to its (region code, sub-region code)."""
    return {
        row["country_code"]: (row["region_code"], row["sub_region_code"]) for row in _rows(M49_FILE)
    }


@cache
def regions() -> dict[str, Region]:
    """Return every region and sub-region by code, regions first, in M49 order of names."""
    members: dict[str, set[str]] = {}
    names: dict[str, tuple[str, str, str | None]] = {}
    for row in _rows(M49_FILE):
        names[row["region_code"]] = (row["region"], "region", None)
        names[row["sub_region_code"]] = (row["sub_region"], "sub_region", row["region_code"])
        members.setdefault(row["region_code"], set()).add(row["country_code"])
        members.setdefault(row["sub_region_code"], set()).add(row["country_code"])
    ordered = sorted(names, key=lambda code: (names[code][1] != "region", names[code][0]))
    return {
        code: Region(code, names[code][0], names[code][1], names[code][2], frozenset(members[code]))
        for code in ordered
    }


def top_regions() -> list[Region]:
    """Return the five M49 regions (Africa, Americas, Asia, Europe, Oceania)."""
    return [region for region in regions().values() if region.level == "region"]


def sub_regions_of(region_code: str) -> list[Region]:
    """Return the sub-regions of a region, by name."""
    return [r for r in regions().values() if r.parent == region_code]


def find_region(value: str) -> Region | None:
    """Return the region or sub-region for an M49 code ('014', '14') or an English name."""
    value = " ".join(value.split()).casefold()
    if value.isdigit():
        return regions().get(value.zfill(3))
    for region in regions().values():
        if region.name.casefold() == value:
            return region
    return None


def region_of(country_code: str) -> Region | None:
    """Return the M49 region (continent) of a country, or None if it has none."""
    codes = country_regions().get(country_code)
    return regions()[codes[0]] if codes else None


def sub_region_of(country_code: str) -> Region | None:
    """Return the M49 sub-region of a country, or None if it has none."""
    codes = country_regions().get(country_code)
    return regions()[codes[1]] if codes else None


@cache
def interpol_members() -> tuple[str, ...]:
    """Return the alpha-2 codes of INTERPOL's member countries from the shipped list."""
    return tuple(row["country_code"] for row in _rows(INTERPOL_FILE))
