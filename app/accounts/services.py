"""Account rules: creating users, roles, deactivation, one-time tokens and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import AccountToken, ApiToken, RoleCode, User
from app.extensions import db
from app.shared.models import utcnow

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A rule about accounts was broken; the message is shown to the user."""


def find_user_by_email(email: str) -> User | None:
    """Return the account for an email, ignoring case."""
    return db.session.scalar(select(User).where(User.email == User.normalise_email(email)))


def check_password_strength(password: str) -> None:
    """Refuse passwords too short to resist guessing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
        )


def create_user(
    email: str, name: str, roles: list[str] | set[str], password: str | None = None
) -> User:
    """Create an account; the email must be new (case-insensitively)."""
    if find_user_by_email(email):
        raise AccountError(_("An account with the email %(email)s already exists.", email=email))
    unknown = set(roles) - {code.value for code in RoleCode}
    if unknown:
        raise AccountError(_("Unknown role: %(role)s.", role=", ".join(sorted(unknown))))
    if password is not None:
        check_password_strength(password)
    user = User(email=email, name=name.strip(), roles=roles, password=password)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(
    user: User, *, name: str, email: str, roles: set[str], active: bool, acting_user: User
) -> None:
    """Change an account; an administrator cannot lock themselves out."""
    other = find_user_by_email(email)
    if other is not None and other.id != user.id:
        raise AccountError(_("An account with the email %(email)s already exists.", email=email))
    if user.id == acting_user.id and (not active or RoleCode.ADMIN not in roles):
        raise AccountError(
            _("You cannot remove your own administrator role or deactivate your own account.")
        )
    user.name = name.strip()
    user.email = email
    user.roles = roles
    user.active = active
    db.session.flush()


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = find_user_by_email(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    return user


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_account_token(user: User, purpose: str, valid_for: timedelta) -> str:
    """Create a one-time token (for an invitation link) and return its raw value."""
    raw = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user=user, purpose=purpose, token_hash=_hash_token(raw), expires_at=utcnow() + valid_for
        )
    )
    db.session.flush()
    return raw


def find_account_token(raw: str, purpose: str) -> AccountToken:
    """Return a usable token or explain why the link no longer works."""
    token = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == _hash_token(raw), AccountToken.purpose == purpose
        )
    )
    if token is None:
        raise AccountError(_("This link is not valid. Ask your trainer for a new invitation."))
    if token.used_at is not None:
        raise AccountError(_("This link has already been used. Log in with your password."))
    if token.expires_at < utcnow():
        raise AccountError(_("This link has expired. Ask your trainer for a new invitation."))
    return token


def send_invitation(user: User) -> str:
    """Email a one-time link to choose a password; return the raw token (tests follow it)."""
    from flask import current_app

    from app.shared.mail import send_email
    from app.shared.urls import external_url

    hours = current_app.config["INVITATION_MAX_AGE_HOURS"]
    raw = issue_account_token(user, "invitation", timedelta(hours=hours))
    link = external_url("accounts.set_password", token=raw)
    send_email(
        user.email,
        _("Your invitation to the training platform"),
        "invitation",
        user=user,
        link=link,
        hours=hours,
    )
    return raw


def set_password_with_token(raw: str, purpose: str, password: str) -> User:
    """Set the account's password through a one-time link and spend the link."""
    token = find_account_token(raw, purpose)
    check_password_strength(password)
    token.user.set_password(password)
    token.user.active = True
    token.used_at = utcnow()
    db.session.flush()
    return token.user


def create_api_token(user: User, label: str) -> str:
    """Issue an API token for a manager; the raw value is returned once and never stored."""
    if not user.has_role(RoleCode.MANAGER):
        raise AccountError(_("Only programme managers can hold API tokens."))
    raw = "tp_" + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(user=user, label=label.strip() or _("API token"), token_hash=_hash_token(raw))
    )
    db.session.flush()
    return raw


def user_for_api_token(raw: str) -> User | None:
    """Return the active manager behind a bearer token that has not been revoked."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(raw)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if not token.user.has_role(RoleCode.MANAGER):
        return None
    token.last_used_at = utcnow()
    return token.user


def revoke_api_token(token: ApiToken) -> None:
    """Stop a token from working; it stays listed as revoked."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    db.session.flush()
