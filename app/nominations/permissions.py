"""Who may open calls, review nominees, nominate for a country, and confirm a place.

Staff (the session's trainers, managers, administrators) manage a call; a national focal
point sees and acts for only the countries (and agency types) of their scope, never another
country's people; a nominee sees and answers only their own nomination.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.accounts.focal_points import focal_point_scope
from app.accounts.permissions import is_focal_point
from app.nominations.transitions import Actor
from app.scheduling.permissions import runs_session
from app.shared.roles import signed_in

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.nominations.models import Nomination, NominationCall
    from app.scheduling.models import TrainingSession


def can_manage_calls(user: User | None, training_session: TrainingSession) -> bool:
    """Let the session's trainers, programme managers and administrators open and decide calls."""
    return runs_session(user, training_session)


def can_manage_call(user: User | None, call: NominationCall) -> bool:
    """Return whether the user reviews and decides this call's nominees."""
    return can_manage_calls(user, call.training_session)


def focal_countries_in(user: User | None, call: NominationCall) -> frozenset[str]:
    """Return the call's invited countries this focal point acts for (empty for anyone else)."""
    return focal_point_scope(user).countries & frozenset(call.country_codes)


def can_view_call(user: User | None, call: NominationCall) -> bool:
    """Staff who manage it, and focal points of an invited country, read a call."""
    return can_manage_call(user, call) or bool(focal_countries_in(user, call))


def can_nominate(user: User | None, call: NominationCall) -> bool:
    """Let a focal point of an invited country nominate for it (the deadline is services')."""
    return bool(focal_countries_in(user, call))


def acts_for_country(user: User | None, nomination: Nomination) -> bool:
    """Return whether the user is a focal point whose scope covers this nominee."""
    return is_focal_point(user) and focal_point_scope(user).covers(
        nomination.country_code, nomination.participant.agency_type
    )


def is_nominee(user: User | None, nomination: Nomination) -> bool:
    """Return whether the nomination is the signed-in person's own."""
    return signed_in(user) and nomination.participant.user_id == user.id


def can_view_nomination(user: User | None, nomination: Nomination) -> bool:
    """Staff of the call, the country's focal points, and the nominee see a nomination."""
    return (
        can_manage_call(user, nomination.call)
        or acts_for_country(user, nomination)
        or is_nominee(user, nomination)
    )


def can_confirm(user: User | None, nomination: Nomination) -> bool:
    """Only the nominee, through their own account, confirms their place."""
    return is_nominee(user, nomination)


def actor_kinds(user: User | None, nomination: Nomination) -> frozenset[Actor]:
    """Return the kinds of actor the user may act as on this nomination (for the table)."""
    kinds = set()
    if can_manage_call(user, nomination.call):
        kinds.add(Actor.STAFF)
    if acts_for_country(user, nomination):
        kinds.add(Actor.FOCAL_POINT)
    if is_nominee(user, nomination):
        kinds.add(Actor.PARTICIPANT)
    return frozenset(kinds)
