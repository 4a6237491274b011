"""Evaluation's part of merging two records of one person: register and tests follow the place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from app.enrolment.signals import participants_merged
from app.evaluation.models import SurveyRespondent, TestAttempt
from app.extensions import db

if TYPE_CHECKING:
    from app.enrolment.models import Enrolment, Participant


@participants_merged.connect
def _move_evaluation(
    _keep: Participant, *, combined: list[tuple[Enrolment, Enrolment]], **_context: object
) -> None:
    """Give the kept place the dropped one's answered surveys and tests it has none of."""
    for better, worse in combined:
        for model, key in ((SurveyRespondent, "instrument"), (TestAttempt, "phase")):
            rows = db.session.scalars(
                select(model).where(model.enrolment_id.in_((better.id, worse.id)))
            ).all()
            held = {getattr(row, key) for row in rows if row.enrolment_id == better.id}
            for row in rows:
                if row.enrolment_id == worse.id and getattr(row, key) not in held:
                    row.enrolment_id = better.id
    db.session.flush()
