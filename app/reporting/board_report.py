"""The board report PDF (figures, map, trend, regions, countries not reached), made by a worker.

It also holds the evaluation figures under the reach filters, which the dashboard, the XLSX
and this report read from one cached calculation kept fresh by the reach data version.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession

from app.accounts.models import User
from app.audit import services as audit
from app.documents.services import DocumentKind, register_kind
from app.enrolment.models import Enrolment
from app.evaluation import indicators
from app.evaluation import services as evaluation
from app.evaluation.models import SurveyAnswer, SurveyRespondent, SurveyResponse, TestAttempt
from app.reporting import charts, freshness, queries, services
from app.reporting.filters import ReachFilters, parse_filters
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


# --- evaluation beside reach ------------------------------------------------------------------

# Writes that change the evaluation figures; reach's own watch (freshness.WATCHED) misses them.
EVALUATION_MODELS = (SurveyResponse, SurveyAnswer, SurveyRespondent, TestAttempt)
EVALUATION_TABLES = frozenset(model.__tablename__ for model in EVALUATION_MODELS)


def _changes_evaluation(instance: object) -> bool:
    if isinstance(instance, EVALUATION_MODELS):
        return True
    # Tests and follow-ups count the places held: a withdrawal moves them.
    return isinstance(instance, Enrolment) and inspect(instance).attrs.status.history.has_changes()


@event.listens_for(OrmSession, "after_flush")
def _bump_on_evaluation(session: OrmSession, _context) -> None:
    if any(map(_changes_evaluation, chain(session.new, session.deleted, session.dirty))):
        freshness.bump(session)


@event.listens_for(OrmSession, "do_orm_execute")
def _bump_on_bulk_evaluation(state: ORMExecuteState) -> None:
    table = getattr(state.statement, "table", None)
    if (state.is_insert or state.is_update or state.is_delete) and getattr(
        table, "name", None
    ) in EVALUATION_TABLES:
        freshness.bump(state.session)


def evaluation_scope(filters: ReachFilters) -> evaluation.Scope:
    """Return the evaluation's scope for the reach filters (people by country and agency)."""
    countries = None
    if filters.region:
        countries = frozenset(filters.region.countries)
    if filters.country:
        countries = frozenset({filters.country}) & (countries or {filters.country})
    return evaluation.Scope(
        date_from=filters.date_from,
        date_to=filters.date_to,
        course_id=filters.course_id,
        host_country=filters.host_country,
        partner_id=filters.partner_id,
        countries=countries,
        agency_type=filters.agency_type,
    )


def evaluation_rows(filters: ReachFilters) -> list[evaluation.FigureRow]:
    """Return the evaluation figures under these filters, computed once per data version.

    The key names the quarter hour too: a follow-up opens at midnight where each session was
    held, and every time zone's midnight falls on a quarter hour.
    """
    moment = clock.now()
    key = "&".join(f"{k}={v}" for k, v in sorted(filters.query_args().items()))
    name = f"evaluation:{moment:%Y%m%d%H}{moment.minute // 15}:{key}"
    figures = freshness.cached(
        name, lambda: evaluation.programme_figures(evaluation_scope(filters))
    )
    return evaluation.figure_rows(figures)


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
        evaluation=evaluation_rows(filters),
        min_group=evaluation.MIN_GROUP,
        indicator_years=indicators.latest_by_country(evaluation_scope(filters).countries),
        indicator_list=indicators.INDICATORS,
        **chart_context(reach),
    )
    return pdf, f"reach-report-{generated:%Y%m%d}.pdf"


def record_download(params: dict[str, Any], user: User) -> None:
    """Record that the user exported the report, with the filters it was made for."""
    audit.record("export.reach_report", actor=user, details={"filters": params["filters"]})


register_kind(
    KIND, DocumentKind(title=_l("Board report"), render=render, record_download=record_download)
)
