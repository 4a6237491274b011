"""The shipped world map: every target drawn, each country where it is, small ones dotted."""

import math
import re

import pytest

from app.reporting.charts import world_map
from app.reporting.mapdata import MAP_FILE, world_map_data
from app.shared.regions import interpol_members

Point = tuple[float, float]


def rings(d: str) -> list[list[Point]]:
    """Read the asset's path data: an absolute move, then relative lines, per ring."""
    result = []
    for ring in re.findall(r"M([^Mz]+)z", d):
        start, _, rest = ring.partition("l")
        x, y = map(float, re.findall(r"-?\d+", start))
        points = [(x, y)]
        numbers = list(map(float, re.findall(r"-?\d+", rest)))
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
        result.append(points)
    return result


def area(ring: list[Point]) -> float:
    pairs = zip(ring, ring[1:] + ring[:1], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def centre(code: str) -> Point:
    """Area-weighted centre of a country's largest ring, in map units."""
    ring = max(rings(world_map_data().shapes[code]), key=area)
    total = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        total, cx, cy = total + cross, cx + (x1 + x2) * cross, cy + (y1 + y2) * cross
    return cx / (3 * total), cy / (3 * total)


def inside(point: Point, ring: list[Point]) -> bool:
    x, y = point
    result = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            result = not result
    return result


def to_lon_lat(point: Point) -> Point:
    """Invert the Natural Earth I projection with the constants the asset states."""
    header = MAP_FILE.read_text(encoding="utf-8").split("<svg")[0]
    x0, scale = map(float, re.search(r"x = ([\d.]+) \+ ([\d.]+) \* X", header).groups())
    y0 = float(re.search(r"y = ([\d.]+) - [\d.]+ \* Y", header).group(1))

    def a(phi: float) -> float:
        p2 = phi * phi
        p4 = p2 * p2
        return 0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4))

    def b(phi: float) -> float:
        p2 = phi * phi
        p4 = p2 * p2
        return phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))

    target = (y0 - point[1]) / scale
    low, high = -math.pi / 2, math.pi / 2
    for _ in range(60):  # b() rises with latitude
        middle = (low + high) / 2
        low, high = (middle, high) if b(middle) < target else (low, middle)
    phi = (low + high) / 2
    return math.degrees((point[0] - x0) / scale / a(phi)), math.degrees(phi)


def test_every_target_country_has_a_shape_or_a_dot():
    data = world_map_data()
    missing = [c for c in interpol_members() if c not in data.shapes and c not in data.markers]
    assert missing == []


@pytest.mark.parametrize(
    ("code", "lon", "lat"),
    [("KW", 47.6, 29.3), ("QA", 51.2, 25.3), ("SS", 30.3, 7.3), ("FJ", 178.0, -17.8)],
)
def test_shapes_lie_at_their_true_position(code, lon, lat):
    found_lon, found_lat = to_lon_lat(centre(code))
    assert found_lon == pytest.approx(lon, abs=0.8)
    assert found_lat == pytest.approx(lat, abs=0.8)


def test_south_sudan_is_its_own_shape_outside_sudan():
    south = centre("SS")
    assert not any(inside(south, ring) for ring in rings(world_map_data().shapes["SD"]))
    assert to_lon_lat(centre("SD"))[1] > 12  # Sudan's centre lies north of South Sudan's


def test_kosovo_is_drawn():
    assert to_lon_lat(centre("XK"))[0] == pytest.approx(20.9, abs=0.8)


@pytest.mark.parametrize("code", ["SG", "MT", "BH", "MV", "QA", "TV", "PW", "NR", "KN"])
def test_countries_too_small_to_see_get_a_dot(code):
    assert code in world_map_data().markers


@pytest.mark.parametrize("code", ["FJ", "TT", "BS", "QA", "SS", "GB", "ID", "DK"])
def test_countries_once_missing_or_broken_have_a_shape(code):
    assert sum(area(ring) for ring in rings(world_map_data().shapes[code])) > 0


def test_no_ring_crosses_the_whole_map():
    # A ring cut wrongly at the 180th meridian draws a band across the world (Russia, Fiji).
    half = world_map_data().width / 2
    for code, d in world_map_data().shapes.items():
        for ring in rings(d):
            for (x1, _), (x2, _) in zip(ring, ring[1:] + ring[:1], strict=True):
                assert abs(x2 - x1) < half, code


def test_rendered_map_colours_the_dot_like_the_shape_and_names_it():
    svg = str(world_map({"QA": 4, "KE": 9}))
    qatar = re.findall(r'<g class="country" data-country="QA" fill="([^"]+)"><title>([^<]+)', svg)
    assert len(qatar) == 2  # the shape and the dot
    assert qatar[0] == qatar[1]
    assert qatar[0][0] != "#e4e7eb"
    assert qatar[0][1] == "Qatar: 4 participants trained"
    assert "<circle" in svg.split('data-country="QA"')[2]
    assert "style=" not in svg
    assert "<script" not in svg


def test_rendered_map_stays_lighter_than_the_old_one():
    # The pygal-based map weighed 132 KB inline; every country reached is the heaviest case.
    data = world_map_data()
    svg = str(world_map({code: 3 for code in {*data.shapes, *data.markers}}))
    assert len(svg.encode()) < 110_000
