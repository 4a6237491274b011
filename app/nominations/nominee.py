"""What a nominee's own pages read: the places offered to them that wait for their answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from app.enrolment.models import Participant
from app.extensions import db
from app.nominations.models import Nomination
from app.nominations.models import NominationStatus as S

if TYPE_CHECKING:
    from app.accounts.models import User


def places_to_answer(user: User) -> list[Nomination]:
    """Return the user's accepted nominations, waiting for them to confirm or decline."""
    return list(
        db.session.scalars(
            select(Nomination)
            .join(Participant, Participant.id == Nomination.participant_id)
            .where(Participant.user_id == user.id, Nomination.status == S.ACCEPTED)
            .order_by(Nomination.id)
        )
    )
