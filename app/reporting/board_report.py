"""The board report PDF (figures, map, trend, regions, countries not reached), made by a worker."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.documents.services import DocumentKind, register_kind
from app.reporting import charts, queries, services
from app.reporting.filters import parse_filters
from app.shared import clock
from app.shared.pdf import render_pdf

KIND = "reach_report"


def chart_context(reach: services.Reach, map_sheet: str | None = None) -> dict:
    """Return the map, its legend and the trend chart of a reach, for a page or the report.

    A page passes the URL of the map's static sheet; the PDF draws the shapes inline.
    """
    counts = {row["country"]: row["participants_trained"] for row in reach.by_country}
    return {
        "world_map": charts.world_map(counts, sheet=map_sheet),
        "map_legend": charts.map_legend(counts),
        "trend_chart": charts.trend_chart(reach.by_year),
    }


def render(params: dict[str, Any]) -> tuple[bytes, str]:
    """Render the report for the filters the manager chose, and name its file."""
    filters = parse_filters(params["filters"])  # checked in the request; the same values here
    reach = services.compute_reach(filters, queries.API_PARTS)  # the tables the report shows
    generated = clock.now()
    progress = services.target_progress(reach, services.ensure_targets(), generated.date())
    pdf = render_pdf(
        "pdf/reach_report.html",
        reach=reach,
        progress=progress,
        filters=filters,
        generated=generated,
        **chart_context(reach),
    )
    return pdf, f"reach-report-{generated:%Y%m%d}.pdf"


def record_download(params: dict[str, Any], user: User) -> None:
    """Record that the user exported the report, with the filters it was made for."""
    audit.record("export.reach_report", actor=user, details={"filters": params["filters"]})


register_kind(
    KIND, DocumentKind(title=_l("Board report"), render=render, record_download=record_download)
)
