"""Builders for nominations tests: a session with a call, focal points of two countries, people."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

from app.accounts.focal_points import set_focal_point_scope
from app.nominations import services
from app.nominations.models import Nomination
from tests import factories

FAR_AHEAD = datetime(2099, 1, 1, 17, 0)


def focal_point(*countries: str, name: str | None = None, **scope):
    """Return a focal-point account scoped to the countries."""
    user = factories.make_user(roles=("focal_point",), name=name)
    set_focal_point_scope(user, countries, **scope)
    return user


def scene(
    capacity: int = 20,
    seats: dict[str, int | None] | None = None,
    deadline: datetime = FAR_AHEAD,
    **call_fields,
) -> SimpleNamespace:
    """Return an open session in Kenya, its trainer, focal points of Kenya and Uganda, a call."""
    s = SimpleNamespace()
    s.trainer = factories.make_user(roles=("trainer",), name="Trainer Tess")
    s.training_session = factories.make_training_session(
        capacity=capacity,
        country_quota=call_fields.pop("country_quota", 3),
        trainers=[s.trainer],
        timezone=call_fields.pop("timezone", "Africa/Nairobi"),
    )
    s.kenya = focal_point("KE", name="Kenya Focal")
    s.uganda = focal_point("UG", name="Uganda Focal")
    s.call = services.open_call(
        s.training_session,
        s.trainer,
        deadline_local=deadline,
        countries=seats if seats is not None else {"KE": 2, "UG": 2},
        **call_fields,
    )
    return s


def person(full_name: str | None = None, country_code: str = "KE", **kwargs):
    """Return a participant with an account, so that they can confirm their own place."""
    user = factories.make_user(roles=("participant",), name=full_name)
    return factories.make_participant(
        full_name, country_code=country_code, email=user.email, user=user, **kwargs
    )


def nominated(s, country_code: str = "KE", **kwargs) -> Nomination:
    """Return a new nominee of the country, nominated by its focal point."""
    actor = s.kenya if country_code == "KE" else s.uganda
    return services.nominate(s.call, person(country_code=country_code, **kwargs), actor)


def vetted(s, nomination: Nomination, outcome: str = "cleared") -> Nomination:
    """Endorse, review and vet a nominee (a cleared check unless told otherwise)."""
    actor = s.kenya if nomination.country_code == "KE" else s.uganda
    services.endorse(nomination, actor)
    services.start_review(nomination, s.trainer)
    services.start_vetting(nomination, s.trainer)
    services.record_vetting(
        nomination, s.trainer, outcome=outcome, checked_on=date(2026, 1, 5), external_reference="R1"
    )
    return nomination
