"""The shipped world map keeps every country's shape, and the simplifier that builds it."""

import math

import pytest

from app.reporting.charts import map_shapes
from app.reporting.mapdata import rings, simplify


def area(ring: list[tuple[float, float]]) -> float:
    """Shoelace area of a ring, in square map units."""
    pairs = zip(ring, ring[1:] + ring[:1], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def test_closed_ring_whose_ends_differ_by_float_noise_keeps_its_shape():
    # Relative path data sums to an end point one ulp away from the start, as in the source;
    # with coordinates near 1000 a line through two such points is pure rounding error.
    centre_x, centre_y = 1140.1, 344.76
    circle = [
        (centre_x + 20 * math.cos(k / 30 * math.tau), centre_y + 20 * math.sin(k / 30 * math.tau))
        for k in range(30)
    ]
    ring = [*circle, (circle[0][0], math.nextafter(circle[0][1], 0))]
    simplified = simplify(ring, tolerance=1.5)
    assert len(simplified) >= 8
    assert area(simplified) == pytest.approx(area(circle), rel=0.05)


@pytest.mark.parametrize(
    ("code", "least_area"),
    # These once lost their main outline to that float noise and showed only islands.
    [("GB", 1200), ("ES", 2500), ("PT", 400), ("BD", 500), ("DK", 200), ("ID", 7000)],
)
def test_shipped_map_draws_each_country_outline(code, least_area):
    drawn = sum(area(ring) for path in map_shapes()[code] for ring in rings(path))
    assert drawn >= least_area
