"""Build the simplified world map the reports inline, from pygal_maps_world's worldmap.svg.

Run once when the source map changes:
    .venv/bin/python -m app.reporting.mapdata SOURCE.svg app/shared/data/worldmap.svg
Curves are flattened to their end points and each ring simplified (Douglas-Peucker), so that
the map renders quickly in browsers and in WeasyPrint (the source has 778 KB of paths).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TOLERANCE = 1.5  # map units; the map is 2475 units wide, about 700 px on the dashboard
ARGS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}
TOKEN = re.compile(r"[a-zA-Z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")

Point = tuple[float, float]


def rings(d: str) -> list[list[Point]]:
    """Flatten SVG path data to closed rings of absolute points (curve end points only)."""
    tokens = TOKEN.findall(d)
    result: list[list[Point]] = []
    ring: list[Point] = []
    x = y = 0.0
    start = (0.0, 0.0)
    index = 0
    command = ""
    while index < len(tokens):
        if tokens[index].isalpha():
            command = tokens[index]
            index += 1
            if command in "zZ":
                if ring:
                    result.append(ring)
                ring = []
                x, y = start
                continue
        lower = command.lower()
        count = ARGS[lower]
        values = [float(value) for value in tokens[index : index + count]]
        index += count
        relative = command.islower()
        if lower == "h":
            x = x + values[0] if relative else values[0]
        elif lower == "v":
            y = y + values[0] if relative else values[0]
        else:
            dx, dy = values[-2], values[-1]
            x, y = (x + dx, y + dy) if relative else (dx, dy)
        if lower == "m":
            if ring:
                result.append(ring)
            ring = []
            start = (x, y)
            command = "l" if relative else "L"  # further pairs are line-to
        ring.append((x, y))
    if ring:
        result.append(ring)
    return result


def _distance(point: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = point, a, b
    dx, dy = bx - ax, by - ay
    length = (dx * dx + dy * dy) ** 0.5
    if length < 1e-6:  # a closed ring's ends: their float sums differ in the last digits
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    return abs(dy * px - dx * py + bx * ay - by * ax) / length


def simplify(points: list[Point], tolerance: float = TOLERANCE) -> list[Point]:
    """Douglas-Peucker simplification, iterative."""
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


def path_data(country_rings: list[list[Point]]) -> str:
    """Write rings as compact absolute path data with one decimal."""
    parts = []
    for ring in country_rings:
        coords = " ".join(f"{x:.1f} {y:.1f}".replace(".0 ", " ") for x, y in ring)
        parts.append(f"M{coords}Z")
    return "".join(parts)


def build(source: Path, target: Path) -> None:
    """Write the simplified map: one <g class="xx country"> with one <path> per country."""
    text = source.read_text(encoding="utf-8")
    out = [
        "<!-- Simplified from worldmap.svg of pygal_maps_world 1.0.2 (Kozea), GNU LGPL v3+;",
        "     see SOURCES-reporting.md. Built by app/reporting/mapdata.py. -->",
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 2475 1388">',
    ]
    for match in re.finditer(r'<g class="([a-z]{2}) country map-element">(.*?)</g>', text, re.S):
        code = match.group(1)
        all_rings = [r for d in re.findall(r'd="([^"]+)"', match.group(2)) for r in rings(d)]
        kept = []
        for ring in all_rings:
            small = simplify(ring)
            if len(small) >= 4:
                kept.append(small)
        if not kept:  # a very small country: keep its largest ring roughly
            kept = [max(all_rings, key=len)]
        out.append(f'<g class="{code} country map-element"><path d="{path_data(kept)}"/></g>')
    out.append("</svg>")
    target.write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
