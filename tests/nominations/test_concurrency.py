"""Concurrent acceptances at the seat limit never overbook: seats are counted under the row lock."""

import threading

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.nominations import services
from app.nominations.models import Nomination
from app.nominations.services import SeatsTakenError
from tests.nominations.helpers import nominated, scene, vetted

pytestmark = pytest.mark.postgres_only
PARALLEL = 12


def _require_postgresql(app) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("row locks are only meaningful on PostgreSQL")


def _accept_all_at_once(app, nomination_ids: list[int], trainer_id: int) -> list[Exception]:
    """Accept every nominee from its own thread and app context at the same moment."""
    from app.accounts.models import User

    barrier = threading.Barrier(len(nomination_ids))
    errors: list[Exception] = []

    def accept(nomination_id: int) -> None:
        with app.app_context():
            try:
                nomination = db.session.get(Nomination, nomination_id)
                trainer = db.session.get(User, trainer_id)
                barrier.wait()
                services.accept(nomination, trainer)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                db.session.rollback()
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(pk,)) for pk in nomination_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _accepted(call_id: int, country_code: str | None = None) -> int:
    db.session.expire_all()
    statement = (
        select(func.count())
        .select_from(Nomination)
        .where(Nomination.call_id == call_id, Nomination.status == "accepted")
    )
    if country_code:
        statement = statement.where(Nomination.country_code == country_code)
    return db.session.scalar(statement)


def test_parallel_acceptances_never_pass_a_countrys_seats(app):
    _require_postgresql(app)
    s = scene(capacity=PARALLEL, seats={"KE": 3})
    ids = [vetted(s, nominated(s)).id for _ in range(PARALLEL)]
    db.session.commit()
    errors = _accept_all_at_once(app, ids, s.trainer.id)
    assert _accepted(s.call.id, "KE") == 3
    assert len(errors) == PARALLEL - 3
    assert all(isinstance(error, SeatsTakenError) for error in errors), errors


def test_parallel_acceptances_never_pass_the_sessions_capacity(app):
    _require_postgresql(app)
    s = scene(capacity=4, seats={"KE": PARALLEL, "UG": PARALLEL})
    ids = [vetted(s, nominated(s, ("KE", "UG")[n % 2])).id for n in range(PARALLEL)]
    db.session.commit()
    errors = _accept_all_at_once(app, ids, s.trainer.id)
    assert _accepted(s.call.id) == 4
    assert all("Session full" in str(error) for error in errors), errors
