"""Nominations' part of merging two records of one person: one nomination per call remains."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.audit import services as audit
from app.enrolment.signals import participants_merged
from app.extensions import db
from app.nominations.models import Nomination
from app.nominations.models import NominationStatus as S
from app.nominations.transitions import TERMINAL, TRANSITIONS

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.enrolment.models import Enrolment, Participant


# Out of the call without a place: such a nomination gives way to any other.
_OUT = TERMINAL - {S.ENROLLED}


@cache
def _stage(status: str) -> int:
    """Return how many moves of the table lie before a status at most (-1 once out)."""
    if status in _OUT:
        return -1
    earlier = [source for source, target in TRANSITIONS if target == status]
    return 1 + max((_stage(source) for source in earlier), default=-1)


def _ahead(one: Nomination, other: Nomination) -> bool:
    """Return whether one nomination is further along than the other (ties keep `other`)."""
    return _stage(one.status) > _stage(other.status)


@participants_merged.connect
def _move_nominations(
    keep: Participant,
    *,
    removed: Participant,
    combined: list[tuple[Enrolment, Enrolment]],
    actor: User,
    **_context: object,
) -> None:
    """Move the removed record's nominations to the kept one, the further one of a call winning.

    The other nomination of the same call is deleted (the unique call and person allows one),
    its vetting checks and replacement links going to the one kept, and an audit entry says
    which nomination, in which status, was folded into which.
    """
    dropped = {worse.id: better for better, worse in combined}
    rows = db.session.scalars(
        select(Nomination).where(Nomination.participant_id.in_((keep.id, removed.id)))
    ).all()
    for nomination in rows:
        if nomination.enrolment_id in dropped:
            nomination.enrolment = dropped[nomination.enrolment_id]
    kept = {n.call_id: n for n in rows if n.participant_id == keep.id}
    for nomination in (n for n in rows if n.participant_id == removed.id):
        other = kept.get(nomination.call_id)
        if other is None:
            nomination.participant = keep
            continue
        winner, loser = (nomination, other) if _ahead(nomination, other) else (other, nomination)
        _fold(winner, loser, actor)
        winner.participant = keep
    db.session.flush()


def _fold(winner: Nomination, loser: Nomination, actor: User) -> None:
    """Delete the nomination that gives way, keeping what points at it on the winner."""
    for check in list(loser.vetting_checks):
        check.nomination = winner
    for follower in db.session.scalars(
        select(Nomination).where(Nomination.replaces_id == loser.id)
    ):
        follower.replaces = winner
    if winner.enrolment is None:
        winner.enrolment = loser.enrolment
    audit.record(
        "nomination.merged",
        actor=actor,
        target=winner,
        training_session=winner.call.training_session_id,
        details={
            "merged_from": loser.id,
            "status": loser.status,
            "country": loser.country_code,
        },
    )
    db.session.delete(loser)
    db.session.flush()
