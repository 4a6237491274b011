"""Who may do what with accounts; each domain keeps its own predicates in its permissions.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.shared.roles import RoleCode, signed_in

if TYPE_CHECKING:
    from app.accounts.models import ApiToken, User


def is_participant(user: User | None) -> bool:
    """Return whether the user has a participant account (their own trainings)."""
    return signed_in(user) and RoleCode.PARTICIPANT in user.roles


def is_focal_point(user: User | None) -> bool:
    """Return whether the user is a national focal point (or a deputy of one)."""
    return signed_in(user) and RoleCode.FOCAL_POINT in user.roles


def is_staff(user: User | None) -> bool:
    """Return whether the user works for the programme (trainer, manager or admin)."""
    return signed_in(user) and user.has_role(RoleCode.TRAINER, RoleCode.MANAGER)


def can_manage_users(user: User | None) -> bool:
    """Only administrators create accounts and assign roles."""
    return signed_in(user) and user.is_admin


def can_hold_api_tokens(user: User | None) -> bool:
    """Programme managers (and administrators) hold tokens for the reporting API."""
    return signed_in(user) and user.has_role(RoleCode.MANAGER)


def can_revoke_api_token(user: User | None, token: ApiToken) -> bool:
    """Let a token be revoked by its holder or by an administrator."""
    return signed_in(user) and (token.user_id == user.id or user.is_admin)
