from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.attendance import services
from app.attendance.models import AttendanceRecord
from app.extensions import db
from tests import factories
from tests.attendance.helpers import make_session


def _status(enrolment, day):
    return db.session.scalar(
        select(AttendanceRecord.status).where(
            AttendanceRecord.enrolment_id == enrolment.id, AttendanceRecord.day == day
        )
    )


def test_mark_creates_then_replaces_one_record(trainer):
    ts, (first, *_rest) = make_session(3, trainer=trainer)
    day = ts.start_date
    services.mark(ts, first.id, day, "late", trainer)
    services.mark(ts, first.id, day, "present", trainer)
    records = db.session.scalars(
        select(AttendanceRecord).where(AttendanceRecord.enrolment_id == first.id)
    ).all()
    assert [(r.day, r.status, r.recorded_by_id) for r in records] == [(day, "present", trainer.id)]


@pytest.mark.parametrize(
    ("status", "day_offset", "message"),
    [("asleep", 0, "Unknown"), ("present", 10, "not part of the session")],
)
def test_mark_refuses_bad_status_and_days(trainer, status, day_offset, message):
    ts, (first, *_rest) = make_session(1, trainer=trainer)
    with pytest.raises(services.AttendanceError, match=message):
        services.mark(ts, first.id, ts.start_date + timedelta(days=day_offset), status, trainer)


def test_mark_refuses_people_of_other_sessions_and_not_enrolled(trainer):
    ts, _enrolments = make_session(1, trainer=trainer)
    other, (stranger,) = make_session(1)
    waitlisted = factories.make_enrolment(ts, status="waitlisted")
    for enrolment in (stranger, waitlisted):
        with pytest.raises(services.AttendanceError):
            services.mark(ts, enrolment.id, ts.start_date, "present", trainer)


def test_mark_refuses_draft_sessions(trainer):
    ts, (first,) = make_session(1, trainer=trainer, status="draft")
    with pytest.raises(services.AttendanceError, match="draft"):
        services.mark(ts, first.id, ts.start_date, "present", trainer)


def test_mark_all_fills_only_unmarked_unless_overwrite(trainer):
    ts, (a, b, c) = make_session(3, trainer=trainer)
    day = ts.start_date
    services.mark(ts, a.id, day, "absent", trainer)
    assert services.mark_all(ts, day, trainer) == 2
    assert [_status(e, day) for e in (a, b, c)] == ["absent", "present", "present"]
    assert services.mark_all(ts, day, trainer) == 0
    assert services.mark_all(ts, day, trainer, status="present", overwrite=True) == 1
    assert [_status(e, day) for e in (a, b, c)] == ["present"] * 3


def test_waitlisted_people_are_not_on_the_roll(trainer):
    ts, enrolments = make_session(2, trainer=trainer)
    factories.make_enrolment(ts, status="waitlisted")
    rows = services.roll_call_rows(ts, ts.start_date)
    assert {row.enrolment_id for row in rows} == {e.id for e in enrolments}
    services.mark_all(ts, ts.start_date, trainer)
    assert services.day_counts(ts, ts.start_date).by_status["present"] == 2


def test_session_attendance_by_day_and_country(trainer):
    ts, enrolments = make_session(4, trainer=trainer)  # EG, TH, KE, KZ
    d1, d2, d3 = ts.days
    services.mark_all(ts, d1, trainer)
    services.mark(ts, enrolments[0].id, d2, "excused", trainer)
    services.mark(ts, enrolments[1].id, d2, "late", trainer)
    services.mark(ts, enrolments[2].id, d2, "absent", trainer)
    summary = services.session_attendance(ts)
    first, second, third = summary.days
    assert first.by_status["present"] == 4 and first.rate == 1
    # Day 2: one excused is left out, KZ has no record (counted absent once the roll is taken).
    assert (second.attended, second.unmarked) == (1, 1)
    assert second.rate == pytest.approx(1 / 3)
    assert third.rate is None and third.unmarked == 4
    by_country = {c.country_code: c for c in summary.countries}
    assert by_country["EG"].rate == 1  # day 1 present, day 2 excused
    assert by_country["TH"].rate == 1
    assert by_country["KE"].rate == 0.5
    assert by_country["KZ"].rate == 0.5
    assert summary.rate == pytest.approx(5 / 7)


def test_default_day_is_today_inside_the_session_else_first_day():
    ts, _ = make_session(0, start=date.today() - timedelta(days=1))
    assert services.default_day(ts) == date.today()
    later, _ = make_session(0, start=date.today() + timedelta(days=5))
    assert services.default_day(later) == later.start_date
