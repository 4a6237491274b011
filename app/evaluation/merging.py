"""Evaluation's part of merging two records of one person: register, tests and follow-ups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from app.audit import services as audit
from app.enrolment.signals import participants_merged
from app.evaluation.models import FollowUpObservation, SurveyRespondent, TestAttempt
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.enrolment.models import Enrolment, Participant


@participants_merged.connect
def _move_evaluation(
    _keep: Participant,
    *,
    combined: list[tuple[Enrolment, Enrolment]],
    actor: User,
    **_context: object,
) -> None:
    """Give the kept place the dropped one's surveys, tests and follow-ups it has none of."""
    for better, worse in combined:
        for model, key in ((SurveyRespondent, "instrument"), (TestAttempt, "phase")):
            rows = db.session.scalars(
                select(model).where(model.enrolment_id.in_((better.id, worse.id)))
            ).all()
            held = {getattr(row, key) for row in rows if row.enrolment_id == better.id}
            for row in rows:
                if row.enrolment_id == worse.id and getattr(row, key) not in held:
                    row.enrolment_id = better.id
        _move_observations(better, worse, actor)
    db.session.flush()


def _move_observations(better: Enrolment, worse: Enrolment, actor: User) -> None:
    """Move the answers about the dropped place; where the kept one has its own, record the loss.

    A place is described once per follow-up, so the dropped place's answers go with it when
    the kept place has answers of its own; the audit trail says which gave way to which.
    """
    rows = db.session.scalars(
        select(FollowUpObservation)
        .where(FollowUpObservation.enrolment_id.in_((better.id, worse.id)))
        .order_by(FollowUpObservation.id)
    ).all()
    held = {row.instrument: row for row in rows if row.enrolment_id == better.id}
    for row in rows:
        if row.enrolment_id != worse.id:
            continue
        kept = held.get(row.instrument)
        if kept is None:
            row.enrolment_id = better.id
            continue
        audit.record(
            "follow_up_observation.merged",
            actor=actor,
            target=kept,
            training_session=kept.training_session_id,
            details={"dropped": row.id, "instrument": row.instrument, "kind": row.kind},
        )
