"""UN M49 regions, groupings and sub-regions, and INTERPOL's members, from app/shared/data."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
M49_FILE = DATA / "m49.csv"
INTERPOL_FILE = DATA / "interpol_members.csv"


@dataclass(frozen=True)
class Region:
    """An M49 region (continent) or sub-region and the countries in it."""

    code: str
    name: str
    level: (
        str  # "region", "grouping" (202, 419: between a region and its sub-regions), "sub_region"
    )
    parent: str | None  # the region (continent) of a grouping or sub-region
    countries: frozenset[str]
    grouping: str | None = None  # the grouping a sub-region lies in (Eastern Africa: 202)


NO_REGION = "000"  # stands for "none" where every country needs a code of each level


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


@cache
def country_regions() -> dict[str, tuple[str, str, str]]:
    """Map each placed alpha-2 code to its (region, sub-region, grouping) codes (or NO_REGION)."""
    return {
        row["country_code"]: (
            row["region_code"],
            row["sub_region_code"],
            row["grouping_code"] or NO_REGION,
        )
        for row in _rows(M49_FILE)
        if row["region_code"]  # Antarctica has no M49 region
    }


@cache
def regions() -> dict[str, Region]:
    """Return every region, grouping and sub-region by code, in table order.

    Each region comes first, then the sub-regions outside any grouping, then each grouping
    followed by its sub-regions, each by name (Africa, Northern Africa, Sub-Saharan Africa,
    Eastern Africa, ...).
    """
    members: dict[str, set[str]] = {}
    found: dict[str, tuple[str, str, str | None, str | None]] = {}
    for row in _rows(M49_FILE):
        if not row["region_code"]:
            continue
        region, grouping = row["region_code"], row["grouping_code"] or None
        found[region] = (row["region"], "region", None, None)
        found[row["sub_region_code"]] = (row["sub_region"], "sub_region", region, grouping)
        if grouping:
            found[grouping] = (row["grouping"], "grouping", region, None)
        for code in (region, row["sub_region_code"], grouping):
            if code:
                members.setdefault(code, set()).add(row["country_code"])
    every = {
        code: Region(code, name, level, parent, frozenset(members[code]), grouping)
        for code, (name, level, parent, grouping) in found.items()
    }
    ordered: list[Region] = []
    for top in sorted((r for r in every.values() if r.level == "region"), key=_by_name):
        ordered.append(top)
        inside = [r for r in every.values() if r.parent == top.code]
        for child in sorted(
            (r for r in inside if r.level == "sub_region" and not r.grouping), key=_by_name
        ):
            ordered.append(child)
        for grouping in sorted((r for r in inside if r.level == "grouping"), key=_by_name):
            ordered.append(grouping)
            ordered += sorted((r for r in inside if r.grouping == grouping.code), key=_by_name)
    return {region.code: region for region in ordered}


def _by_name(region: Region) -> str:
    return region.name


def top_regions() -> list[Region]:
    """Return the five M49 regions (Africa, Americas, Asia, Europe, Oceania)."""
    return [region for region in regions().values() if region.level == "region"]


def sub_regions_of(region_code: str) -> list[Region]:
    """Return the sub-regions of a region (its finest groupings), by name."""
    return sorted(
        (r for r in regions().values() if r.parent == region_code and r.level == "sub_region"),
        key=_by_name,
    )


def filter_choices() -> list[tuple[str, str]]:
    """Return (code, label) of every region, grouping and sub-region, indented by level."""
    return [(region.code, "— " * _depth(region) + region.name) for region in regions().values()]


def _depth(region: Region) -> int:
    return (region.level != "region") + (region.grouping is not None)


def find_region(value: str) -> Region | None:
    """Return the region, grouping or sub-region for an M49 code ('014', '14', '202') or name."""
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
