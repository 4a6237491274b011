"""Completion follows the calendar: no roll before a day starts where the session is held,
no completion before the last day."""

from datetime import UTC, date, datetime

import pytest

from app.attendance import completion, services, uploads
from app.scheduling import services as scheduling
from app.shared import clock
from tests.attendance.helpers import make_session

# The case from the issue: a session of 29 Nov – 3 Dec, and it is 1 Dec in Nairobi.
START = date(2025, 11, 29)


@pytest.fixture
def at(monkeypatch):
    """Return a callable that stops the one clock at a UTC moment."""

    def _at(moment: datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)

    return _at


def _nairobi_session(trainer, **kwargs):
    return make_session(
        2, days=5, start=START, trainer=trainer, timezone="Africa/Nairobi", **kwargs
    )


def test_today_follows_the_zone(at):
    at(datetime(2025, 12, 2, 21, 30, tzinfo=UTC))
    assert clock.today_in("Africa/Nairobi") == date(2025, 12, 3)
    assert clock.today_in("UTC") == date(2025, 12, 2)
    assert clock.today_in("America/Lima") == date(2025, 12, 2)


def test_a_day_that_has_not_started_cannot_be_marked(trainer, at):
    at(datetime(2025, 12, 1, 9, 0, tzinfo=UTC))
    ts, (first, second) = _nairobi_session(trainer)
    services.mark(ts, first.id, date(2025, 12, 1), "present", trainer)
    with pytest.raises(services.AttendanceError, match="not started"):
        services.mark(ts, first.id, date(2025, 12, 2), "present", trainer)
    with pytest.raises(services.AttendanceError, match="not started"):
        services.mark_all(ts, date(2025, 12, 3), trainer)
    assert services.day_counts(ts, date(2025, 12, 2)).marked == 0


def test_a_day_starts_at_midnight_where_the_session_is_held(trainer, at):
    # 21:30 UTC on 2 Dec is already 00:30 on 3 Dec in Nairobi, but still 2 Dec in London.
    at(datetime(2025, 12, 2, 21, 30, tzinfo=UTC))
    nairobi, (person,) = make_session(1, days=5, start=START, timezone="Africa/Nairobi")
    london, (other,) = make_session(1, days=5, start=START, timezone="Europe/London")
    services.mark(nairobi, person.id, date(2025, 12, 3), "present", trainer)
    with pytest.raises(services.AttendanceError, match="not started"):
        services.mark(london, other.id, date(2025, 12, 3), "present", trainer)


def test_a_paper_roll_with_days_to_come_is_refused(trainer, at):
    at(datetime(2025, 12, 1, 9, 0, tzinfo=UTC))
    ts, (first, _) = _nairobi_session(trainer)
    csv = (
        "session_code,participant_id,email,name,day,status\n"
        f"{ts.code},{first.participant_id},,,2025-12-01,present\n"
        f"{ts.code},{first.participant_id},,,2025-12-02,present\n"
    ).encode()
    plan = uploads.plan_upload(ts, "roll.csv", csv)
    assert [(error.row, error.column) for error in plan.errors] == [(3, "day")]
    assert "not started" in plan.errors[0].message


def test_a_session_cannot_be_completed_before_its_last_day(trainer, at):
    at(datetime(2025, 12, 1, 9, 0, tzinfo=UTC))
    ts, _ = _nairobi_session(trainer)
    assert completion.can_complete(ts) is False
    with pytest.raises(completion.CompletionError, match="last day"):
        completion.complete_session(ts, trainer)
    assert ts.status == "in_progress"
    # Nor through scheduling's own life cycle.
    with pytest.raises(scheduling.SchedulingError, match="last day"):
        scheduling.change_status(ts, "completed", trainer)
    assert ts.status == "in_progress"


def test_a_session_can_be_completed_once_its_last_day_starts_there(trainer, at):
    at(datetime(2025, 12, 2, 21, 30, tzinfo=UTC))  # 00:30 on 3 Dec in Nairobi
    ts, _ = _nairobi_session(trainer)
    assert completion.can_complete(ts) is True
    completion.complete_session(ts, trainer)
    assert ts.status == "completed"


def test_an_open_session_is_completed_on_its_last_day_too(trainer, at):
    at(datetime(2025, 12, 3, 12, 0, tzinfo=UTC))
    ts, _ = _nairobi_session(trainer, status="open")
    completion.complete_session(ts, trainer)
    assert ts.status == "completed"
