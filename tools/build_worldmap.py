"""Build app/shared/data/worldmap.svg from Natural Earth's country borders (run by hand).

The source is the npm package world-atlas 2.0.2 (Natural Earth 4.1.0 Admin 0 countries as
TopoJSON, public domain; packaging ISC). Fetch it with npm's own client and point this at it:

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python tools/build_worldmap.py /tmp/package app/shared/data/worldmap.svg

The 1:50m borders are projected (Natural Earth I, the projection's own polynomial), simplified
arc by arc so that neighbours keep one shared border, and written as one <path> per ISO alpha-2
code. A country too small to see at the dashboard's size also gets a <circle> marker; one that
1:50m leaves out (Tuvalu) gets only a marker, placed from the 1:10m file. See docs/map.md.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

WIDTH = 1600  # map units; the dashboard shows the map about 620 px wide, the PDF about 180 mm
SCALE = 290.0  # units per radian at the equator: the 180th meridians fall 7 units in
NORTH, SOUTH = 84.0, -60.0  # degrees: Greenland's north cape to below Cape Horn (no Antarctica)
MARGIN = 6  # units above and below
TOLERANCE = 0.9  # Douglas-Peucker, in map units (0.35 px on the dashboard)
# Shapes smaller than this (square map units, about 3 x 3 px on the dashboard) also get a dot.
VISIBLE_AREA = 50.0
MARKER_RADIUS = 5  # map units, about 4 px across on the dashboard

# Natural Earth features without an ISO numeric code, by name: None drops the feature.
UNCODED = {
    "Kosovo": "XK",
    "Somaliland": "SO",  # ISO 3166-1 and the UN count it within Somalia
    "N. Cyprus": "CY",  # likewise within Cyprus
    "Siachen Glacier": "IN",  # administered by India
    "Indian Ocean Ter.": None,  # split below into Christmas Island and the Cocos Islands
}
DROPPED = {"010"}  # Antarctica, cropped from the frame
# Parts that Natural Earth draws inside another country but ISO 3166-1 codes apart: code and
# bounding box (west, south, east, north) in degrees of the part's centre.
OVERSEAS = {
    "250": [  # France
        ("GF", (-55, 1, -51, 6.5)),
        ("GP", (-62, 15.8, -60.9, 16.6)),
        ("MQ", (-61.4, 14.3, -60.7, 15)),
        ("RE", (55, -21.5, 56, -20.8)),
        ("YT", (44.9, -13.1, 45.4, -12.5)),
    ],
    "528": [("BQ", (-69, 11.9, -62.8, 17.7))],  # Netherlands: Bonaire, Sint Eustatius, Saba
    "578": [("SJ", (-10, 70, 35, 81))],  # Norway: Svalbard and Jan Mayen
    "": [("CX", (105, -11, 106, -10)), ("CC", (96, -13, 97.5, -11.5))],  # Indian Ocean Ter.
}

Point = tuple[float, float]


def natural_earth(lon: float, lat: float) -> Point:
    """Natural Earth I (Šavrič, Jenny, Patterson and Hurni 2011) in radians, y up."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return x, y


ORIGIN_Y = MARGIN + SCALE * natural_earth(0, NORTH)[1]  # the equator's y: NORTH sits at MARGIN
HEIGHT = round(ORIGIN_Y - SCALE * natural_earth(0, SOUTH)[1] + MARGIN)


def project(lon: float, lat: float) -> Point:
    """Return a point's position in map units (x right, y down)."""
    x, y = natural_earth(lon, lat)
    return WIDTH / 2 + SCALE * x, ORIGIN_Y - SCALE * y


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Return the topology's arcs as absolute (lon, lat) points (delta-decoded, unquantised)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _distance(point: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = point, a, b
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy)
    if length < 1e-9:
        return math.hypot(px - ax, py - ay)
    return abs(dy * px - dx * py + bx * ay - by * ax) / length


def simplify(points: list[Point], tolerance: float = TOLERANCE) -> list[Point]:
    """Douglas-Peucker, iterative; the two ends are always kept (they are shared nodes)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, worst_index = 0.0, None
        for i in range(first + 1, last):
            distance = _distance(points[i], points[first], points[last])
            if distance > worst:
                worst, worst_index = distance, i
        if worst_index is not None and worst > tolerance:
            keep[worst_index] = True
            stack += [(first, worst_index), (worst_index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def ring_points(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    """Join a ring's arcs (a negative index ~i is arc i reversed), dropping repeated nodes."""
    ring: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def area(ring: list[Point]) -> float:
    """Shoelace area, in square units of the ring's coordinates."""
    pairs = zip(ring, ring[1:] + ring[:1], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def centroid(ring: list[Point]) -> Point:
    """Area-weighted centre of a ring (its mean point when it has no area)."""
    total = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        total += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(total) < 1e-9:
        return sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring)
    return cx / (3 * total), cy / (3 * total)


def _unwrap(ring: list[Point]) -> list[Point]:
    """Shift longitudes by 360 where a ring jumps across the 180th meridian (Russia, Fiji)."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        previous = out[-1][0]
        while lon - previous > 180:
            lon -= 360
        while previous - lon > 180:
            lon += 360
        out.append((lon, lat))
    return out


def _clip(ring: list[Point], meridian: float, east: bool) -> list[Point]:
    """Keep the part of a ring east (or west) of a meridian (Sutherland-Hodgman, one edge)."""
    inside = (lambda p: p[0] >= meridian) if east else (lambda p: p[0] <= meridian)
    out: list[Point] = []
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        if inside(b):
            if not inside(a):
                out.append(_crossing(a, b, meridian))
            out.append(b)
        elif inside(a):
            out.append(_crossing(a, b, meridian))
    return out


def _crossing(a: Point, b: Point, meridian: float) -> Point:
    t = (meridian - a[0]) / (b[0] - a[0])
    return meridian, a[1] + t * (b[1] - a[1])


def split_at_antimeridian(ring: list[Point]) -> list[list[Point]]:
    """Cut a ring that crosses the 180th meridian into the parts on either side of it."""
    unwrapped = _unwrap(ring)
    low, high = min(p[0] for p in unwrapped), max(p[0] for p in unwrapped)
    meridian = 180.0 if high > 180 else -180.0
    if low >= -180 and high <= 180:
        return [ring]
    shift = 360.0 if meridian > 0 else -360.0
    west = _clip(unwrapped, meridian, east=False)
    east = [(lon - shift, lat) for lon, lat in _clip(unwrapped, meridian, east=True)]
    if meridian < 0:  # the ring lies mostly west of -180: "east" is the main part there
        west = [(lon + 360.0, lat) for lon, lat in west]
        west, east = east, west
    return [part for part in (west, east) if len(part) >= 3]


def _code_for(feature: dict) -> str | None:
    numeric = feature.get("id")
    if numeric is None:
        return UNCODED[feature["properties"]["name"]]
    country = pycountry.countries.get(numeric=numeric)
    return country.alpha_2 if country else None


def _part_code(numeric: str, code: str | None, polygon_lonlat: list[Point]) -> str | None:
    lon, lat = centroid(polygon_lonlat)
    for part, (west, south, east, north) in OVERSEAS.get(numeric, []):
        if west <= lon <= east and south <= lat <= north:
            return part
    return code


def _polygons(feature: dict) -> list[list[list[int]]]:
    if feature["type"] == "Polygon":
        return [feature["arcs"]]
    if feature["type"] == "MultiPolygon":
        return feature["arcs"]
    return []


@dataclass
class Country:
    """One ISO code's rings in map units and where its dot goes, if it needs one."""

    rings: list[list[tuple[int, int]]] = field(default_factory=list)
    areas: list[float] = field(default_factory=list)
    centres: list[Point] = field(default_factory=list)


def countries(topology: dict, tolerance: float = TOLERANCE) -> dict[str, Country]:
    """Project and simplify every country of a world-atlas topology, keyed by alpha-2 code."""
    lonlat = decode_arcs(topology)
    projected = [[project(lon, lat) for lon, lat in arc] for arc in lonlat]
    simplified = [simplify(arc, tolerance) for arc in projected]
    result: dict[str, Country] = {}
    crossing = {
        index
        for index, arc in enumerate(lonlat)
        if any(abs(b[0] - a[0]) > 180 for a, b in zip(arc, arc[1:], strict=False))
    }
    for feature in topology["objects"]["countries"]["geometries"]:
        numeric = feature.get("id") or ""
        if numeric in DROPPED:
            continue
        code = _code_for(feature)
        for polygon in _polygons(feature):
            part = _part_code(numeric, code, ring_points(polygon[0], lonlat))
            if part is None:
                continue
            country = result.setdefault(part, Country())
            if any((index if index >= 0 else ~index) in crossing for index in polygon[0]):
                _add_cut(country, ring_points(polygon[0], lonlat), tolerance)
                continue
            outer = ring_points(polygon[0], projected)
            country.areas.append(area(outer))
            country.centres.append(centroid(outer))
            rings = [_rounded(ring_points(indexes, simplified)) for indexes in polygon]
            if len(rings[0]) < 3:  # an island smaller than the tolerance keeps its outline
                rings = [_rounded(outer)]
            country.rings += [ring for ring in rings if len(ring) >= 3]
    return result


def _add_cut(country: Country, ring: list[Point], tolerance: float) -> None:
    """Add a ring crossing the 180th meridian as its two halves, each simplified whole."""
    for part in split_at_antimeridian(ring):
        outer = [project(lon, lat) for lon, lat in part]
        country.areas.append(area(outer))
        country.centres.append(centroid(outer))
        simple = _rounded(simplify([*outer, outer[0]], tolerance))
        if len(simple) >= 3:
            country.rings.append(simple)


def missing_markers(topology: dict, drawn: set[str]) -> dict[str, tuple[int, int]]:
    """Return dot positions for ISO-coded countries of a (larger-scale) topology not in drawn."""
    lonlat = decode_arcs(topology)
    result = {}
    for feature in topology["objects"]["countries"]["geometries"]:
        country = pycountry.countries.get(numeric=feature.get("id") or "000")
        if country is None or country.alpha_2 in drawn or feature.get("id") in DROPPED:
            continue
        outers = [
            [project(lon, lat) for lon, lat in ring_points(polygon[0], lonlat)]
            for polygon in _polygons(feature)
        ]
        x, y = centroid(max(outers, key=area))
        result[country.alpha_2] = (round(x), round(y))
    return result


def _rounded(ring: list[Point]) -> list[tuple[int, int]]:
    """Round to whole map units, dropping repeats and the closing point (z closes the ring)."""
    out: list[tuple[int, int]] = []
    for x, y in ring:
        point = (round(x), round(y))
        if not out or point != out[-1]:
            out.append(point)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _numbers(values: list[int]) -> str:
    """Join integers as SVG path data does: a minus sign separates on its own."""
    text = ""
    for value in values:
        text += str(value) if value < 0 or not text else f" {value}"
    return text


def path_data(rings: list[list[tuple[int, int]]]) -> str:
    """Write rings as compact path data: an absolute move, then relative lines."""
    parts = []
    for ring in rings:
        (x0, y0), deltas = ring[0], []
        for (xa, ya), (xb, yb) in zip(ring, ring[1:], strict=False):
            deltas += [xb - xa, yb - ya]
        parts.append(f"M{_numbers([x0, y0])}l{_numbers(deltas)}z")
    return "".join(parts)


def marker_centre(country: Country) -> tuple[int, int]:
    """Place the dot on the country's largest island or mainland."""
    x, y = country.centres[country.areas.index(max(country.areas))]
    return round(x), round(y)


def build(package: Path, target: Path) -> None:
    """Write the asset: a <path> per country, then a <circle> for each one too small to see."""
    medium = countries(json.loads((package / "countries-50m.json").read_text(encoding="utf-8")))
    extra = missing_markers(
        json.loads((package / "countries-10m.json").read_text(encoding="utf-8")), set(medium)
    )
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    out = [
        "<!-- Natural Earth 4.1.0 Admin 0 countries, 1:50m (public domain), from the npm package",
        f"     world-atlas {version} (ISC). Built by tools/build_worldmap.py; do not edit by hand.",
        f"     Natural Earth I projection: x = {WIDTH / 2:g} + {SCALE:g} * X(lon, lat),",
        f"     y = {ORIGIN_Y:.3f} - {SCALE:g} * Y(lat), X and Y in radians as in the script.",
        "     A circle marks each country too small to see at the dashboard's size. -->",
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}">',
    ]
    markers = dict(extra)
    for code, country in sorted(medium.items()):
        if country.rings:  # an island under a map unit across is only a dot
            out.append(f'<path data-country="{code}" d="{path_data(country.rings)}"/>')
        if sum(country.areas) < VISIBLE_AREA:
            markers[code] = marker_centre(country)
    for code, (cx, cy) in sorted(markers.items()):
        out.append(f'<circle data-country="{code}" cx="{cx}" cy="{cy}" r="{MARKER_RADIUS}"/>')
    out.append("</svg>")
    target.write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
