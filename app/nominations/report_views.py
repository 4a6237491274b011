"""A call's report for its staff: on the review page, and as a CSV file."""

from __future__ import annotations

from flask_login import login_required

from app.nominations import bp, queries, reports
from app.nominations.labels import ENROLMENT_ENDED_LABELS
from app.nominations.models import NominationCall
from app.nominations.permissions import can_manage_call
from app.shared.downloads import private_file
from app.shared.loading import load_or_abort


@bp.context_processor
def _report_helpers() -> dict:
    """Let the pages include the call's report and a nominee's status without views passing them."""
    return {
        "call_report": reports.call_report,
        "enrolment_ended": queries.enrolment_ended,
        "enrolment_ended_labels": ENROLMENT_ENDED_LABELS,
    }


@bp.get("/nominations/calls/<int:call_id>/report.csv")
@login_required
def call_report_csv(call_id: int):
    """Download the call's figures per country, headed in the exporter's language."""
    call = load_or_abort(NominationCall, call_id, can_manage_call)
    filename = f"nominations-{call.training_session.code}.csv"
    return private_file(reports.call_report_csv(call), "text/csv; charset=utf-8", filename)
