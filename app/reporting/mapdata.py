"""Read the shipped world map: one path per country and a dot for each too small to see.

The asset, app/shared/data/worldmap.svg, is built from Natural Earth by tools/build_worldmap.py
(run by hand; see docs/map.md). Nothing here changes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from app.reporting.regions import DATA

MAP_FILE = DATA / "worldmap.svg"


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
