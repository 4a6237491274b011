"""The one table of a nominee's allowed moves, and who may make each.

Services ask `allowed` before changing a status, pages ask `next_states` for their buttons;
no other code compares one status to another to decide what may happen.
"""

from __future__ import annotations

from enum import StrEnum

from app.nominations.models import NominationStatus as S


class Actor(StrEnum):
    """The three kinds of people who move a nominee on."""

    FOCAL_POINT = "focal_point"  # the country's focal point or their deputy
    STAFF = "staff"  # the session's trainer, a manager or an administrator
    PARTICIPANT = "participant"  # the nominee, through their own account


FP, STAFF, PERSON = Actor.FOCAL_POINT, Actor.STAFF, Actor.PARTICIPANT

# (from, to) -> who may make the move. REPLACED is reached only by nominating someone else
# in the nominee's place (services.replace_nominee), before the deadline.
TRANSITIONS: dict[tuple[S, S], frozenset[Actor]] = {
    (S.NOMINATED, S.ENDORSED): frozenset({FP}),
    (S.NOMINATED, S.WITHDRAWN): frozenset({FP}),
    (S.NOMINATED, S.REPLACED): frozenset({FP}),
    (S.ENDORSED, S.UNDER_REVIEW): frozenset({STAFF}),
    (S.ENDORSED, S.WITHDRAWN): frozenset({FP}),
    (S.ENDORSED, S.REPLACED): frozenset({FP}),
    (S.UNDER_REVIEW, S.VETTING): frozenset({STAFF}),
    (S.UNDER_REVIEW, S.WAITLISTED): frozenset({STAFF}),
    (S.UNDER_REVIEW, S.DECLINED): frozenset({STAFF}),
    (S.UNDER_REVIEW, S.WITHDRAWN): frozenset({FP, STAFF}),
    (S.UNDER_REVIEW, S.REPLACED): frozenset({FP}),
    (S.VETTING, S.ACCEPTED): frozenset({STAFF}),
    (S.VETTING, S.WAITLISTED): frozenset({STAFF}),
    (S.VETTING, S.DECLINED): frozenset({STAFF}),
    (S.VETTING, S.WITHDRAWN): frozenset({FP, STAFF}),
    (S.VETTING, S.REPLACED): frozenset({FP}),
    (S.WAITLISTED, S.ACCEPTED): frozenset({STAFF}),
    (S.WAITLISTED, S.DECLINED): frozenset({STAFF}),
    (S.WAITLISTED, S.WITHDRAWN): frozenset({FP, STAFF, PERSON}),
    (S.ACCEPTED, S.CONFIRMED): frozenset({PERSON}),
    (S.ACCEPTED, S.WITHDRAWN): frozenset({FP, STAFF, PERSON}),
    (S.CONFIRMED, S.ENROLLED): frozenset({STAFF}),
    (S.CONFIRMED, S.WITHDRAWN): frozenset({FP, STAFF, PERSON}),
}

STATES = frozenset(S)
# No move leaves these: the nominee's course through the call is over.
TERMINAL = frozenset(STATES - {source for source, _target in TRANSITIONS})
# Still in the running: nominated for the country and not yet out of the call.
ACTIVE = frozenset(STATES - TERMINAL)
# Holding one of the country's seats (and one of the session's places) until enrolled.
HOLDING_SEAT = frozenset({S.ACCEPTED, S.CONFIRMED})
# Moves before the deadline only (a focal point's own decisions about whom to put forward).
BEFORE_DEADLINE = frozenset({S.ENDORSED, S.REPLACED})
# Statuses whose nominee may still be swapped for someone else.
REPLACEABLE = frozenset(source for source, target in TRANSITIONS if target == S.REPLACED)


def allowed(source: str, target: str, actor: Actor) -> bool:
    """Return whether the table lets this kind of actor move a nominee from source to target."""
    return actor in TRANSITIONS.get((S(source), S(target)), frozenset())


def next_states(source: str, actor: Actor) -> list[S]:
    """Return the statuses this kind of actor may move a nominee to, in table order."""
    return [
        target
        for (origin, target), actors in TRANSITIONS.items()
        if origin == source and actor in actors and target != S.REPLACED
    ]
