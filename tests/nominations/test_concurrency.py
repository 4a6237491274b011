"""Concurrent acceptances at the seat limit never overbook: seats are counted under the row lock."""

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from app.enrolment import services as enrolment_services
from app.enrolment.models import Enrolment, Participant
from app.extensions import db
from app.nominations import services
from app.nominations.models import Nomination
from app.nominations.services import SeatsTakenError
from app.scheduling.models import TrainingSession
from tests import factories
from tests.nominations.helpers import nominated, scene, vetted

pytestmark = pytest.mark.postgres_only
PARALLEL = 12


def _require_postgresql(app) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("row locks are only meaningful on PostgreSQL")


def _all_at_once(app, trainer_id: int, jobs: list[Callable]) -> list[Exception]:
    """Run every job (given the trainer) from its own thread and app context at the same moment."""
    from app.accounts.models import User

    barrier = threading.Barrier(len(jobs))
    errors: list[Exception] = []

    def run(job: Callable) -> None:
        with app.app_context():
            try:
                trainer = db.session.get(User, trainer_id)
                barrier.wait()
                job(trainer)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                db.session.rollback()
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _accepting(nomination_id: int) -> Callable:
    return lambda trainer: services.accept(db.session.get(Nomination, nomination_id), trainer)


def _adding(participant_id: int, training_session_id: int) -> Callable:
    return lambda trainer: enrolment_services.add_directly(
        db.session.get(Participant, participant_id),
        db.session.get(TrainingSession, training_session_id),
        trainer,
    )


def _accept_all_at_once(app, nomination_ids: list[int], trainer_id: int) -> list[Exception]:
    return _all_at_once(app, trainer_id, [_accepting(pk) for pk in nomination_ids])


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
    s = scene(capacity=4, country_quota=None, seats={"KE": PARALLEL, "UG": PARALLEL})
    ids = [vetted(s, nominated(s, ("KE", "UG")[n % 2])).id for n in range(PARALLEL)]
    db.session.commit()
    errors = _accept_all_at_once(app, ids, s.trainer.id)
    assert _accepted(s.call.id) == 4
    assert all("Session full" in str(error) for error in errors), errors


def test_parallel_direct_adds_and_acceptances_never_pass_the_calls_seats(app):
    _require_postgresql(app)
    s = scene(capacity=PARALLEL * 2, country_quota=PARALLEL * 2, seats={"KE": 3})
    nominees = [vetted(s, nominated(s)).id for _ in range(PARALLEL // 2)]
    kenyans = [factories.make_participant(country_code="KE").id for _ in range(PARALLEL // 2)]
    db.session.commit()
    session_id = s.training_session.id
    jobs = [_accepting(pk) for pk in nominees] + [_adding(pk, session_id) for pk in kenyans]
    errors = _all_at_once(app, s.trainer.id, jobs)
    enrolled = db.session.scalar(
        select(func.count())
        .select_from(Enrolment)
        .where(Enrolment.training_session_id == session_id, Enrolment.status == "enrolled")
    )
    assert _accepted(s.call.id, "KE") + enrolled == 3
    assert all(isinstance(error, SeatsTakenError) for error in errors), errors
