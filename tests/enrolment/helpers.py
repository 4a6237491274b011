"""Builders for enrolment tests."""

from __future__ import annotations

from types import SimpleNamespace

from app.enrolment import services
from app.extensions import db
from tests import factories


def scene(capacity: int = 20, country_quota: int | None = None, **kwargs) -> SimpleNamespace:
    """Return an open session with its trainer, ready for requests and enrolments."""
    s = SimpleNamespace()
    s.trainer = factories.make_user(roles=("trainer",), name="Trainer Tess")
    s.training_session = factories.make_training_session(
        capacity=capacity,
        country_quota=country_quota,
        trainers=[s.trainer],
        status=kwargs.pop("status", "open"),
        **kwargs,
    )
    return s


def participant_with_account(full_name: str = "Amina Yusuf", country_code: str = "KE", **kwargs):
    """Return a participant linked to a participant account."""
    user = factories.make_user(roles=("participant",), name=full_name)
    return factories.make_participant(
        full_name, country_code=country_code, email=user.email, user=user, **kwargs
    )


def enrol(training_session, actor, *people):
    """Add each person directly, in order, and return their enrolments."""
    return [services.add_directly(person, training_session, actor) for person in people]


def commit() -> None:
    db.session.commit()
