"""Who may work on the curriculum."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.shared.roles import RoleCode, signed_in

if TYPE_CHECKING:
    from app.accounts.models import User


def can_edit_curriculum(user: User | None) -> bool:
    """Trainers and administrators work on the curriculum (synced from courses/)."""
    return signed_in(user) and user.has_role(RoleCode.TRAINER)
