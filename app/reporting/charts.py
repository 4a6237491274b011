"""Server-rendered SVG: the choropleth world map and the trend chart (no JavaScript)."""

from __future__ import annotations

import math

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from app.reporting.mapdata import dot_id, world_map_data
from app.shared.countries import country_name

PALETTE = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
ZERO_FILL = "#e4e7eb"
NICE = (1, 2, 5)


def _nice_ceiling(value: float) -> int:
    """Round up to 1, 2 or 5 times a power of ten."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (*NICE, 10):
        if value <= step * power:
            return int(step * power)
    return int(10 * power)


def map_classes(values: list[int]) -> list[tuple[int, int, str]]:
    """Return up to five (low, high, colour) classes for the positive values (rounded quantiles)."""
    positive = sorted(value for value in values if value > 0)
    if not positive:
        return []
    highest = positive[-1]
    bounds: list[int] = []
    for share in (0.2, 0.4, 0.6, 0.8):
        bound = _nice_ceiling(positive[min(len(positive) - 1, int(share * len(positive)))])
        if bound < highest and (not bounds or bound > bounds[-1]):
            bounds.append(bound)
    bounds.append(highest)
    colours = PALETTE[-len(bounds) :]
    classes, low = [], 1
    for bound, colour in zip(bounds, colours, strict=True):
        classes.append((low, bound, colour))
        low = bound + 1
    return classes


def _fill(value: int, classes: list[tuple[int, int, str]]) -> str:
    for low, high, colour in classes:
        if low <= value <= high:
            return colour
    return ZERO_FILL


def world_map(counts: dict[str, int], title: str | None = None, sheet: str | None = None) -> Markup:
    """Render the map coloured by participants trained per country, with a <title> per country.

    Countries too small to see also get a dot of their colour, drawn above every shape. With
    the URL of the static sheet (mapdata.symbol_sheet), each shape is a <use> of it, so that the
    page carries only colours and names and the browser keeps the geometry; without, the
    shapes are inline (the PDF).
    """
    classes = map_classes(list(counts.values()))
    label = title or _("World map of participants trained by country of service")
    data = world_map_data()
    parts = [
        f'<svg class="reach-map" viewBox="0 0 {data.width} {data.height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
        'preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(label)}</title>",
        f'<rect x="0" y="0" width="{data.width}" height="{data.height}" fill="#f7fafc"/>',
        '<g stroke="#ffffff" stroke-width="0.6" stroke-linejoin="round">',
    ]

    def country(code: str, shape: str) -> str:
        value = counts.get(code, 0)
        hover = ngettext(
            "%(name)s: %(num)d participant trained",
            "%(name)s: %(num)d participants trained",
            value,
            name=country_name(code),
        )
        return (
            f'<g class="country" data-country="{code}" fill="{_fill(value, classes)}">'
            f"<title>{escape(hover)}</title>{shape}</g>"
        )

    if sheet:
        link = escape(sheet)
        parts += [country(code, f'<use href="{link}#{code}"/>') for code in data.shapes]
        parts += [country(code, f'<use href="{link}#{dot_id(code)}"/>') for code in data.markers]
    else:
        parts += [country(code, f'<path d="{d}"/>') for code, d in data.shapes.items()]
        parts += [
            country(code, f'<circle cx="{dot.x}" cy="{dot.y}" r="{dot.r}"/>')
            for code, dot in data.markers.items()
        ]
    parts.append("</g></svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above


def map_legend(counts: dict[str, int]) -> list[tuple[str, str]]:
    """Return (colour, label) pairs describing the map's classes, 'not reached' first."""
    legend = [(ZERO_FILL, _("Not reached"))]
    for low, high, colour in map_classes(list(counts.values())):
        legend.append((colour, str(low) if low == high else f"{low}–{high}"))
    return legend


def trend_chart(
    by_year: list[dict], width: int = 520, height: int = 250, with_countries: bool = True
) -> Markup:
    """Render bars of participants trained per year, labelled, with countries reached below.

    A country's own page leaves the countries out (always one there).
    """
    label = _("Participants trained per year")
    if not by_year:
        return Markup("")
    top, bottom, left, right = 30, 56 if with_countries else 36, 12, 12
    plot_h = height - top - bottom
    highest = max(row["participants_trained"] for row in by_year) or 1
    slot = (width - left - right) / len(by_year)
    bar = min(64.0, slot * 0.6)
    parts = [
        f'<svg class="trend-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        'stroke="#8895a5" stroke-width="1"/>',
    ]
    for index, row in enumerate(by_year):
        value = row["participants_trained"]
        bar_h = plot_h * value / highest
        x = left + slot * index + (slot - bar) / 2
        y = top + plot_h - bar_h
        centre = x + bar / 2
        if with_countries:
            text = ngettext(
                "%(year)s: %(num)d participant trained in %(countries)d countries",
                "%(year)s: %(num)d participants trained in %(countries)d countries",
                value,
                year=row["year"],
                countries=row["countries_reached"],
            )
        else:
            text = ngettext(
                "%(year)s: %(num)d participant trained",
                "%(year)s: %(num)d participants trained",
                value,
                year=row["year"],
            )
        countries = (
            f'<text x="{centre:.1f}" y="{top + plot_h + 36:.1f}" text-anchor="middle" '
            f'font-size="15" fill="#5b6675">{row["countries_reached"]}</text>'
            if with_countries
            else ""
        )
        parts.append(
            f"<g><title>{escape(text)}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{bar_h:.1f}" '
            'fill="#1f6fb2" rx="2"/>'
            f'<text x="{centre:.1f}" y="{y - 6:.1f}" text-anchor="middle" font-size="18" '
            f'font-weight="700" fill="#1c2430">{value}</text>'
            f'<text x="{centre:.1f}" y="{top + plot_h + 18:.1f}" text-anchor="middle" '
            f'font-size="17" fill="#1c2430">{row["year"]}</text>{countries}</g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above
