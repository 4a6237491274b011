"""Who may take the roll and who may look at attendance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.attendance.services import roll_is_editable
from app.enrolment.permissions import can_manage_enrolments
from app.scheduling.permissions import runs_session

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.scheduling.models import TrainingSession


def can_take_roll(user: User | None, training_session: TrainingSession) -> bool:
    """Trainers of the session and administrators take the roll and complete the session."""
    return can_manage_enrolments(user, training_session)


def can_view_attendance(user: User | None, training_session: TrainingSession) -> bool:
    """Those who take the roll, and programme managers, see attendance figures and sheets."""
    return runs_session(user, training_session)


def can_call_the_roll_now(user: User | None, training_session: TrainingSession) -> bool:
    """Offer the roll call to those who take it, once the session is planned and not cancelled."""
    return roll_is_editable(training_session) and can_take_roll(user, training_session)
