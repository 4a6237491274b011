"""Scenes for evaluation tests: a session with participants who have accounts, and a clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event

from app.evaluation import services
from app.evaluation.instruments import instruments
from app.extensions import db
from app.shared import clock
from tests import factories

LAST_DAY = date(2026, 3, 13)


def set_today(monkeypatch, day: date, hour: int = 12) -> None:
    """Move the one clock to a moment of that day (UTC)."""
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)


def session_with_people(count: int, course=None, **kwargs):
    """Return a session ending on LAST_DAY and `count` enrolments of participants with accounts."""
    kwargs.setdefault("start", date(2026, 3, 9))
    kwargs.setdefault("days", 5)
    kwargs.setdefault("status", "in_progress")
    training_session = factories.make_training_session(course=course, **kwargs)
    enrolments = []
    for _ in range(count):
        user = factories.make_user(roles=("participant",))
        participant = factories.make_participant(email=user.email, user=user)
        enrolments.append(factories.make_enrolment(training_session, participant))
    return training_session, enrolments


def count_queries(action: Callable[[], object]) -> int:
    """Return how many SQL statements the action sends to the database."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def evaluated_programme(monkeypatch, people: int = 6, answering: int = 5):
    """A CFCAC session: `answering` answer the reaction survey, take both tests, follow up."""
    set_today(monkeypatch, LAST_DAY)
    course = factories.make_course(slug="cfcac", code="CFCAC")
    trainer = factories.make_user(roles=("trainer",))
    _, enrolments = session_with_people(people, course=course)
    test = instruments()["cfcac-knowledge"]
    right = {item.id: item.answer for item in test.form_items("B")}
    for number, enrolment in enumerate(enrolments[:answering]):
        services.submit_survey(services.reaction_instrument(), enrolment, {"overall": "4"})
        services.record_test(test, enrolment, "pre", {}, entered_by=trainer)
        services.record_test(test, enrolment, "post", right if number else {}, entered_by=trainer)
    set_today(monkeypatch, LAST_DAY + timedelta(days=100))
    for enrolment in enrolments[:3]:
        services.submit_survey(instruments()["follow-up-3m"], enrolment, {"applied": "4"})
    manager = factories.make_user(roles=("manager",))
    db.session.commit()
    return manager, enrolments
