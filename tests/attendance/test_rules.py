"""The rules the views and templates ask the attendance services, not restate themselves."""

from collections import Counter
from datetime import timedelta

import pytest

from app.attendance import completion, services, sheets
from app.attendance.services import AttendanceError
from app.documents.models import DocumentState, RenderedDocument
from app.extensions import db
from app.shared import clock
from tests.attendance.helpers import make_session

PAST = clock.today_in("UTC") - timedelta(days=30)


@pytest.mark.parametrize(
    ("status", "editable"),
    [
        ("draft", False),
        ("cancelled", False),
        ("open", True),
        ("in_progress", True),
        ("completed", True),
    ],
)
def test_the_roll_is_editable_except_for_drafts_and_cancelled_sessions(status, editable, trainer):
    ts, (enrolment,) = make_session(participants=1, status=status, start=PAST)
    assert services.roll_is_editable(ts) is editable
    if not editable:
        with pytest.raises(AttendanceError, match="draft or cancelled"):
            services.mark(ts, enrolment.id, ts.start_date, "present", trainer)


def test_day_counts_as_json_gives_every_status_and_the_unmarked():
    counts = services.DayCounts(day=PAST, enrolled=5, by_status=Counter(present=2, late=1))
    assert counts.as_json() == {"present": 2, "late": 1, "excused": 0, "absent": 0, "unmarked": 2}


def test_is_completed_follows_the_session_status():
    ts, _ = make_session(participants=1, status="in_progress", start=PAST)
    assert not completion.is_completed(ts)
    ts.status = "completed"
    assert completion.is_completed(ts)


def test_decision_of_one_enrolled_person(trainer):
    ts, (first, second) = make_session(participants=2, days=1, status="in_progress", start=PAST)
    services.mark(ts, first.id, ts.start_date, "present", trainer)
    assert completion.decision_of(ts, first).by_rule is True
    assert completion.decision_of(ts, second).by_rule is False
    _other, (stranger,) = make_session(participants=1, start=PAST)
    assert completion.decision_of(ts, stranger) is None


def test_request_sheet_records_a_queued_document_for_the_day(trainer):
    ts, _ = make_session(participants=1, start=PAST)
    document = sheets.request_sheet(ts, ts.days[1], trainer)
    stored = db.session.get(RenderedDocument, document.id)
    assert stored.kind == sheets.KIND
    assert stored.state == DocumentState.QUEUED
    assert stored.parameters["day"] == ts.days[1].isoformat()
    assert stored.requested_by_id == trainer.id
