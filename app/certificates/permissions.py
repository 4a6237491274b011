"""Who may issue, download and revoke certificates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.scheduling.permissions import can_edit_session
from app.shared.roles import RoleCode, signed_in

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.scheduling.models import TrainingSession


def can_manage_certificates(user: User | None, training_session: TrainingSession) -> bool:
    """Trainers of the session, managers and administrators issue, download and revoke."""
    return signed_in(user) and (
        user.has_role(RoleCode.MANAGER) or can_edit_session(user, training_session)
    )
