"""The session list reads a page in a fixed number of statements, however many rows it shows."""

from sqlalchemy import event

from app.extensions import db
from tests import factories


def _statements_for(client, path: str) -> int:
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def _add_sessions(number: int) -> None:
    for _ in range(number):
        trainers = [factories.make_user(roles=("trainer",)) for _ in range(2)]
        factories.make_training_session(trainers=trainers)
    db.session.commit()


def test_the_session_list_does_not_read_each_sessions_course_and_trainers_apart(client, as_role):
    as_role("manager")
    _add_sessions(2)
    few = _statements_for(client, "/training-sessions")
    _add_sessions(8)
    assert _statements_for(client, "/training-sessions") == few


def test_pages_of_the_list_follow_one_another_across_in_progress_upcoming_and_past(app):
    from datetime import date, timedelta

    from app.scheduling import queries
    from app.scheduling.models import SessionStatus
    from app.scheduling.queries import SessionFilters

    today = date.today()
    for offset, status in [
        (-40, SessionStatus.COMPLETED),
        (-1, SessionStatus.IN_PROGRESS),
        (5, SessionStatus.OPEN),
        (-10, SessionStatus.COMPLETED),
        (30, SessionStatus.DRAFT),
        (-3, SessionStatus.IN_PROGRESS),
        (-90, SessionStatus.CANCELLED),
    ]:
        factories.make_training_session(start=today + timedelta(days=offset), status=status)
    db.session.commit()
    whole = [ts.code for ts in queries.session_page(SessionFilters(), per_page=50).items]
    paged = [
        ts.code
        for number in (1, 2, 3, 4)
        for ts in queries.session_page(SessionFilters(), page=number, per_page=2).items
    ]
    assert paged == whole and len(whole) == 7
    assert queries.session_page(SessionFilters(), page=4, per_page=2).total == 7


def test_a_filtered_list_counts_and_pages_only_the_matching_sessions(app):
    from datetime import date, timedelta

    from app.scheduling import queries
    from app.scheduling.models import SessionStatus
    from app.scheduling.queries import SessionFilters

    today = date.today()
    for offset, status, country in [
        (-2, SessionStatus.IN_PROGRESS, "KE"),
        (-1, SessionStatus.IN_PROGRESS, "UG"),
        (3, SessionStatus.OPEN, "KE"),
        (9, SessionStatus.OPEN, "UG"),
        (-20, SessionStatus.COMPLETED, "KE"),
        (-30, SessionStatus.COMPLETED, "UG"),
    ]:
        factories.make_training_session(
            start=today + timedelta(days=offset), status=status, host_country=country
        )
    db.session.commit()
    kenya = SessionFilters(country="KE")
    pages = [queries.session_page(kenya, page=number, per_page=1) for number in (1, 2, 3)]
    assert [page.total for page in pages] == [3, 3, 3]
    assert [page.items[0].status for page in pages] == [
        SessionStatus.IN_PROGRESS,
        SessionStatus.OPEN,
        SessionStatus.COMPLETED,
    ]
    assert {page.items[0].host_country for page in pages} == {"KE"}
