"""Who may load past training records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.shared.roles import RoleCode, signed_in

if TYPE_CHECKING:
    from app.accounts.models import User


def can_import_history(user: User | None) -> bool:
    """Programme managers and administrators load past training records."""
    return signed_in(user) and user.has_role(RoleCode.MANAGER)
