"""Read the shipped world map: one path per country and a dot for each too small to see.

The asset, app/shared/data/worldmap.svg, is built from Natural Earth by tools/build_worldmap.py
(run by hand; see docs/map.md). Nothing here changes it. The dashboard draws the shapes from a
static copy (SHEET_FILE, a cached file the page names by id) that symbol_sheet() writes; run
`flask reports map-sheet` after rebuilding the asset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.shared.regions import DATA

MAP_FILE = DATA / "worldmap.svg"
# Under the static folder; the page links it as <use href="…worldmap.svg?v=<hash>#KE">.
SHEET_NAME = "reporting/worldmap.svg"
SHEET_FILE = Path(__file__).resolve().parents[2] / "static" / SHEET_NAME


@dataclass(frozen=True)
class Marker:
    """A dot standing for a country too small to see at the dashboard's size."""

    x: int
    y: int
    r: int


@dataclass(frozen=True)
class WorldMap:
    """The map's frame, each country's path data and the dots, by alpha-2 code."""

    width: int
    height: int
    shapes: dict[str, str]
    markers: dict[str, Marker]


@cache
def world_map_data() -> WorldMap:
    """Parse the asset once."""
    text = MAP_FILE.read_text(encoding="utf-8")
    width, height = re.search(r'viewBox="0 0 (\d+) (\d+)"', text).groups()
    shapes = dict(re.findall(r'<path data-country="([A-Z]{2})" d="([^"]+)"/>', text))
    markers = {
        code: Marker(int(x), int(y), int(r))
        for code, x, y, r in re.findall(
            r'<circle data-country="([A-Z]{2})" cx="(-?\d+)" cy="(-?\d+)" r="(\d+)"/>', text
        )
    }
    return WorldMap(int(width), int(height), shapes, markers)


def dot_id(code: str) -> str:
    """Return the id of a country's dot in the static sheet."""
    return f"{code}-dot"


def symbol_sheet() -> str:
    """Return the static sheet: shapes and dots with ids, no fill (the page's <use> sets it)."""
    data = world_map_data()
    lines = [
        "<!-- Built from app/shared/data/worldmap.svg by `flask reports map-sheet`. -->",
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {data.width} {data.height}">',
        *(f'<path id="{code}" d="{d}"/>' for code, d in data.shapes.items()),
        *(
            f'<circle id="{dot_id(code)}" cx="{dot.x}" cy="{dot.y}" r="{dot.r}"/>'
            for code, dot in data.markers.items()
        ),
        "</svg>",
    ]
    return "\n".join(lines) + "\n"


def write_symbol_sheet() -> Path:
    """Write the static sheet from the asset (`flask reports map-sheet`)."""
    SHEET_FILE.parent.mkdir(parents=True, exist_ok=True)
    SHEET_FILE.write_text(symbol_sheet(), encoding="utf-8")
    return SHEET_FILE
