"""Who may see programme reach."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.shared.roles import RoleCode, signed_in

if TYPE_CHECKING:
    from app.accounts.models import User


def can_view_reports(user: User | None) -> bool:
    """Programme managers and administrators see programme reach."""
    return signed_in(user) and user.has_role(RoleCode.MANAGER)
