"""Reach pages for programme managers, exports, the PDF board report and the reach API."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from app.accounts.services import check_api_token
from app.audit import services as audit
from app.documents.services import request_document
from app.enrolment.labels import agency_label
from app.enrolment.models import AgencyType
from app.evaluation import indicators
from app.extensions import csrf
from app.reporting import board_report, bp, charts, exports, mapdata, queries, services
from app.reporting.board_report import chart_context as _chart_context
from app.reporting.engagement import engaged_countries
from app.reporting.filters import (
    FILTER_KEYS,
    FilterError,
    ReachFilters,
    filter_labels,
    parse_filters,
)
from app.reporting.forms import ConfirmForm, TargetsForm
from app.reporting.permissions import can_view_reports
from app.shared import clock
from app.shared.countries import country_choices, is_country
from app.shared.downloads import private_file
from app.shared.regions import filter_choices
from app.shared.roles import permission_required
from app.shared.unit_of_work import unit_of_work


def _filter_context(error: FilterError | None = None) -> dict:
    """Return what the filter form needs: current values, choices and the error, if any."""
    return {
        "values": {key: request.args.get(key, "") for key in FILTER_KEYS},
        "labels": filter_labels(),
        "error": error,
        "course_choices": queries.course_choices(),
        "partner_choices": queries.partner_choices(),
        "region_choices": filter_choices(),
        "agency_choices": [(member.value, agency_label(member.value)) for member in AgencyType],
        "country_choices": country_choices(),
    }


def _report(
    filters: ReachFilters, parts: tuple[str, ...] = queries.DASHBOARD_PARTS
) -> tuple[services.Reach, services.TargetProgress]:
    """Compute the tables and the target progress; reading never writes."""
    targets = queries.target_codes()
    reach = services.compute_reach(filters, parts)
    progress = services.target_progress(reach, targets, clock.today_in(None))
    return reach, progress


@bp.get("/reach")
@permission_required(can_view_reports)
def dashboard():
    """Show the programme's reach: figures, map, trend, targets and breakdowns."""
    try:
        filters = parse_filters(request.args)
    except FilterError as exc:
        return render_template("reporting/dashboard.html", reach=None, **_filter_context(exc)), 400
    reach, progress = _report(filters)
    return render_template(
        "reporting/dashboard.html",
        reach=reach,
        progress=progress,
        filters=filters,
        tables=exports.TABLES,
        evaluation=board_report.evaluation_rows(filters),
        min_group=board_report.evaluation.MIN_GROUP,
        engaged=engaged_countries(filters),  # outside the reach cache: always current
        **_chart_context(reach, url_for("static", filename=mapdata.SHEET_NAME)),
        **_filter_context(),
    )


@bp.get("/reach/countries/<country_code>")
@permission_required(can_view_reports)
def country_detail(country_code: str):
    """Show one country: sessions held there, people trained from there (counts), trend."""
    code = country_code.upper()
    if not is_country(code):
        abort(404)
    try:
        filters = parse_filters(request.args)
    except FilterError as exc:
        flash(exc.message, "error")
        return redirect(url_for("reporting.country_detail", country_code=code))
    detail = services.country_reach(code, filters)
    return render_template(
        "reporting/country_detail.html",
        detail=detail,
        reach=detail.reach,
        filters=filters,
        trend_chart=charts.trend_chart(detail.reach.by_year, with_countries=False),
        indicator_years=indicators.country_history(code),
        indicator_list=indicators.INDICATORS,
    )


def _filters_or_redirect() -> ReachFilters | BaseResponse:
    try:
        return parse_filters(request.args)
    except FilterError as exc:
        flash(exc.message, "error")
        return redirect(url_for("reporting.dashboard", **request.args))


@bp.get("/reach/export/<table>.<any(csv, xlsx):fmt>")
@permission_required(can_view_reports)
def export(table: str, fmt: str):
    """Download one table (or all tables, as XLSX) with the filters named in the file."""
    if not exports.is_table(table, fmt):
        abort(404)
    filters = _filters_or_redirect()
    if isinstance(filters, BaseResponse):
        return filters
    reach, progress = _report(filters)
    body, mimetype, filename = exports.download(
        reach, progress, table, fmt, clock.now(), lambda: board_report.evaluation_rows(filters)
    )
    audit.record_read(
        "export.reach",
        actor=current_user,
        details={"table": table, "format": fmt, "filters": request.args.to_dict()},
    )
    return private_file(body, mimetype, filename)


@bp.get("/reach/report.pdf")
@permission_required(can_view_reports)
def report_pdf_page():
    """Send an old link to the report to the reach page, whose button prepares the PDF."""
    return redirect(url_for("reporting.dashboard", **request.args))


@bp.post("/reach/report.pdf")
@permission_required(can_view_reports)
def report_pdf():
    """Ask a worker for the board report with these filters; follow it on its progress page."""
    filters = _filters_or_redirect()
    if isinstance(filters, BaseResponse):
        return filters
    with unit_of_work():
        document = request_document(
            board_report.KIND, {"filters": request.args.to_dict()}, current_user
        )
    return redirect(url_for("documents.progress", document_id=document.id))


@bp.route("/reach/targets", methods=["GET", "POST"])
@permission_required(can_view_reports)
def targets():
    """Let a manager choose the target countries, by region."""
    form = TargetsForm()
    if form.validate_on_submit():
        with unit_of_work() as done:
            chosen = services.set_targets(request.form.getlist("countries"))
        if done.ok:
            flash(_("The target list now has %(num)d countries.", num=len(chosen)), "success")
            return redirect(url_for("reporting.targets"))
    elif request.method == "POST":
        flash(_("The form had expired. Please submit it again."), "error")
    choices = services.target_choices()
    return render_template(
        "reporting/targets.html",
        form=form,
        confirm_form=ConfirmForm(),
        groups=choices.groups,
        unplaced=choices.unplaced,
        selected=choices.selected,
    )


@bp.post("/reach/targets/reset")
@permission_required(can_view_reports)
def targets_reset():
    """Put the default list (INTERPOL's member countries) back."""
    if ConfirmForm().validate_on_submit():
        with unit_of_work() as done:
            codes = services.reset_targets()
        if done.ok:
            message = _(
                "The target list is back to INTERPOL's %(num)d member countries.", num=len(codes)
            )
            flash(message, "success")
    return redirect(url_for("reporting.targets"))


# --- API ------------------------------------------------------------------------------------


def _api_error(status: int, message: str, field_name: str | None = None):
    body = {"error": message}
    if field_name:
        body["field"] = field_name
    headers = {"WWW-Authenticate": 'Bearer realm="reports"'} if status == 401 else {}
    return body, status, headers


@bp.get("/api/v1/reports/reach")
@csrf.exempt
def api_reach():
    """Return reach as JSON for a manager's bearer token, with the same filters as the pages."""
    scheme, _space, raw = request.headers.get("Authorization", "").partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw:
        return _api_error(401, _("Send an API token as 'Authorization: Bearer TOKEN'."))
    token = check_api_token(raw)
    if token.holder_not_manager:
        return _api_error(403, _("Only programme managers may read reports."))
    if token.user is None:
        return _api_error(401, _("The API token is not valid or has been revoked."))
    user = token.user
    # Commits the token's last use along with its entry on the trail.
    audit.record_read("api.token_used", actor=user, details={"endpoint": request.endpoint})
    try:
        filters = parse_filters(request.args)
    except FilterError as exc:
        return _api_error(400, exc.message, exc.field)
    reach = services.compute_reach(filters, queries.API_PARTS)
    return reach.api_json()
