"""Who may plan and edit training sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.shared.roles import RoleCode, signed_in

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.scheduling.models import TrainingSession


def can_schedule(user: User | None) -> bool:
    """Trainers (and administrators) create new training sessions."""
    return signed_in(user) and user.has_role(RoleCode.TRAINER)


def can_edit_session(user: User | None, training_session: TrainingSession) -> bool:
    """Let a trainer edit only sessions they are assigned to; administrators edit all."""
    if not signed_in(user):
        return False
    return user.is_admin or (RoleCode.TRAINER in user.roles and training_session.has_trainer(user))


def runs_session(user: User | None, training_session: TrainingSession) -> bool:
    """Let the session's trainers, programme managers and administrators run its business."""
    return can_edit_session(user, training_session) or (
        signed_in(user) and user.has_role(RoleCode.MANAGER)
    )
