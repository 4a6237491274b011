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


def test_the_session_list_does_not_read_each_sessions_course_and_trainers_apart(
    client, as_role
):
    as_role("manager")
    _add_sessions(2)
    few = _statements_for(client, "/training-sessions")
    _add_sessions(8)
    assert _statements_for(client, "/training-sessions") == few
