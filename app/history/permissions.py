"""Who may load past training records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.shared.roles import RoleCode, signed_in

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.history.models import HistoryImport


def can_import_history(user: User | None) -> bool:
    """Programme managers and administrators load past training records."""
    return signed_in(user) and user.has_role(RoleCode.MANAGER)


def can_follow_import(user: User | None, record: HistoryImport) -> bool:
    """Let the manager who asked for an import, and administrators, see and confirm it.

    Its page lists rows of their file (names, emails) that other managers did not upload.
    """
    return can_import_history(user) and (user.is_admin or record.requested_by_id == user.id)
