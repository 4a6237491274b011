"""Capacity holds under parallel requests: the session row is locked before places are counted."""

import threading
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from sqlalchemy import func, select

from app.enrolment import services
from app.enrolment.models import Enrolment
from app.extensions import db
from tests import factories
from tests.enrolment.helpers import participant_with_account, scene
from tests.factories import PASSWORD

pytestmark = pytest.mark.postgres_only
CAPACITY = 5
PARALLEL = 24


def _require_postgresql(app) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("row locks are only meaningful on PostgreSQL")


def _signed_in_cookie(base: str, email: str) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = urllib.parse.urlencode({"email": email, "password": PASSWORD}).encode()
    opener.open(f"{base}/login", data=body, timeout=30)
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def _fire(urls: list[str], cookie: str, data: list[dict]) -> list[int]:
    """POST to every URL at the same moment from its own thread; return the status codes."""
    barrier = threading.Barrier(len(urls))
    statuses: list[int] = []

    def post(url: str, form: dict) -> None:
        request = urllib.request.Request(  # noqa: S310 - our own loopback server
            url, data=urllib.parse.urlencode(form).encode(), headers={"Cookie": cookie}
        )
        barrier.wait()
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            statuses.append(response.status)

    threads = [threading.Thread(target=post, args=pair) for pair in zip(urls, data, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def _enrolled(training_session_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count())
        .select_from(Enrolment)
        .where(Enrolment.training_session_id == training_session_id, Enrolment.status == "enrolled")
    )


def test_parallel_approvals_never_exceed_capacity(app, live_server):
    _require_postgresql(app)
    s = scene(capacity=CAPACITY)
    people = [participant_with_account(f"Officer {n}") for n in range(PARALLEL)]
    requests = [services.request_place(p, s.training_session, p.user) for p in people]
    db.session.commit()
    cookie = _signed_in_cookie(live_server, s.trainer.email)
    urls = [f"{live_server}/enrolments/{e.id}/approve" for e in requests]
    statuses = _fire(urls, cookie, [{} for _ in urls])
    assert statuses == [200] * PARALLEL  # each redirected to the enrolments page
    assert _enrolled(s.training_session.id) == CAPACITY
    waiting = db.session.scalars(
        select(Enrolment).where(Enrolment.status == "waitlisted").order_by(Enrolment.waitlisted_at)
    ).all()
    assert len(waiting) == PARALLEL - CAPACITY


def test_parallel_direct_adds_never_exceed_capacity_or_quota(app, live_server):
    _require_postgresql(app)
    s = scene(capacity=CAPACITY + 3, country_quota=CAPACITY)
    people = [
        factories.make_participant(
            f"Officer {n}", country_code="KE", email=f"officer{n}@example.org"
        )
        for n in range(PARALLEL)
    ]
    db.session.commit()
    cookie = _signed_in_cookie(live_server, s.trainer.email)
    url = f"{live_server}/training-sessions/{s.training_session.id}/enrolments/add"
    # Found by their exact emails, as a trainer adds people from outside their sessions.
    forms = [{"participant_id": p.id, "email": p.email} for p in people]
    _fire([url] * PARALLEL, cookie, forms)
    # Quota (5 from Kenya) binds before capacity (8): exactly five places are taken.
    assert _enrolled(s.training_session.id) == CAPACITY
    total = db.session.scalar(select(func.count()).select_from(Enrolment))
    assert total == PARALLEL


def test_parallel_service_calls_in_their_own_app_contexts(app):
    _require_postgresql(app)
    s = scene(capacity=CAPACITY)
    people = [factories.make_participant(f"Officer {n}") for n in range(PARALLEL)]
    db.session.commit()
    session_id, trainer_id = s.training_session.id, s.trainer.id
    person_ids = [p.id for p in people]
    barrier = threading.Barrier(PARALLEL)
    errors = []

    def add(person_id: int) -> None:
        from app.accounts.models import User
        from app.enrolment.models import Participant
        from app.scheduling.models import TrainingSession

        with app.app_context():
            try:
                barrier.wait()
                services.add_directly(
                    db.session.get(Participant, person_id),
                    db.session.get(TrainingSession, session_id),
                    db.session.get(User, trainer_id),
                )
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=add, args=(pid,)) for pid in person_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert _enrolled(session_id) == CAPACITY
