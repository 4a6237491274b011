"""Account rules: creating users, roles, deactivation, one-time tokens and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from app.accounts.models import AccountToken, ApiToken, TokenPurpose, User
from app.extensions import db
from app.shared.models import utcnow
from app.shared.roles import RoleCode
from app.shared.unit_of_work import DomainError

MIN_PASSWORD_LENGTH = 12
USERS_PER_PAGE = 50
# zxcvbn's scale: 3 is "safely unguessable: moderate protection from offline slow-hash attacks".
MIN_PASSWORD_SCORE = 3
STAFF_ROLES = frozenset({RoleCode.ADMIN, RoleCode.MANAGER, RoleCode.TRAINER})
# Checked against when the email is unknown, so that both answers cost one hash (no timing oracle).
_UNKNOWN_USER_HASH = generate_password_hash(secrets.token_urlsafe(16))


class AccountError(DomainError, ValueError):
    """A rule about accounts was broken; the message is shown to the user."""


def find_user_by_email(email: str) -> User | None:
    """Return the account for an email, ignoring case."""
    return db.session.scalar(select(User).where(User.email == User.normalise_email(email)))


def user_for_cookie(cookie_id: str) -> User | None:
    """Return the account a session cookie names, unless it predates a "sign out everywhere"."""
    user_id, _sep, version = cookie_id.partition("-")
    if not (user_id.isascii() and user_id.isdigit() and version.isascii() and version.isdigit()):
        return None
    # One statement with the roles: every signed-in request starts here, and the menu reads them.
    user = (
        db.session.get(User, int(user_id), options=[joinedload(User.role_links)])
        if len(user_id) < 12
        else None
    )
    if user is None or str(user.session_version) != version:
        return None
    return user


def _matching_users(text: str) -> Select:
    """Select the accounts whose name or email contains the text (all of them without), by name."""
    statement = select(User).order_by(User.name, User.id)
    if text:
        like = f"%{text.lower()}%"
        statement = statement.where(or_(func.lower(User.name).like(like), User.email.like(like)))
    return statement


def users_page(text: str, number: int) -> Pagination:
    """Return one page of the accounts that match, by name; past the end, the last page.

    A programme gives its officers accounts by the thousand, so the list shows fifty at a time.
    """
    statement = _matching_users(text)
    page = db.paginate(statement, page=max(number, 1), per_page=USERS_PER_PAGE, error_out=False)
    if page.page > max(page.pages, 1):
        page = db.paginate(statement, page=page.pages, per_page=USERS_PER_PAGE, error_out=False)
    return page


def _refuse_taken(email: str) -> None:
    """Refuse an address another account already logs in with."""
    if find_user_by_email(email) is not None:
        raise AccountError(_("An account with the email %(email)s already exists.", email=email))


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Return why a password is refused (too short, common, guessable), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    # zxcvbn ships lists of common and breached passwords, names and words; it also sees the
    # person's own email and name, which must not make up the password.
    verdict = zxcvbn(password[:100], user_inputs=[value for value in user_inputs if value])
    if verdict["score"] < MIN_PASSWORD_SCORE:
        warning = verdict["feedback"]["warning"]
        return _(
            "This password is too easy to guess%(why)s. Use a few uncommon words together.",
            why=f" ({warning.rstrip('.')})" if warning else "",
        )
    return None


def check_password_strength(password: str, user: User | None = None) -> None:
    """Refuse passwords too short or too guessable to resist an attacker."""
    inputs = (user.email, user.name) if user is not None else ()
    problem = password_problem(password, inputs)
    if problem:
        raise AccountError(problem)


def holds_staff_role(user: User) -> bool:
    """Return whether the account works for the programme (its email is never a record's)."""
    return bool(user.roles & STAFF_ROLES)


def end_all_sessions(user: User) -> None:
    """Sign the account out on every device (session and remember-me cookies)."""
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()


def lock_out(user: User) -> None:
    """End every session and void every outstanding link (deactivation, a lost phone)."""
    end_all_sessions(user)
    cancel_account_tokens(user)


# Links that set a password replace each other; an email-change link replaces only its kind.
_LINK_FAMILIES = {
    TokenPurpose.INVITATION: (TokenPurpose.INVITATION, TokenPurpose.RESET),
    TokenPurpose.RESET: (TokenPurpose.INVITATION, TokenPurpose.RESET),
    TokenPurpose.EMAIL_CHANGE: (TokenPurpose.EMAIL_CHANGE,),
}


def cancel_account_tokens(
    user: User, keep: AccountToken | None = None, purposes: tuple[str, ...] | None = None
) -> None:
    """Void the account's unused links (of the given purposes, all by default; except `keep`)."""
    statement = (
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.used_at.is_(None),
            AccountToken.cancelled_at.is_(None),
        )
        .values(cancelled_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    if keep is not None:
        statement = statement.where(AccountToken.id != keep.id)
    if purposes is not None:
        statement = statement.where(AccountToken.purpose.in_(purposes))
    db.session.execute(statement)


def create_user(
    email: str,
    name: str,
    roles: list[str] | set[str],
    password: str | None = None,
    actor: User | None = None,
    *,
    active: bool = True,
) -> User:
    """Create an account; the email must be new (case-insensitively)."""
    _refuse_taken(email)
    unknown = set(roles) - {code.value for code in RoleCode}
    if unknown:
        raise AccountError(_("Unknown role: %(role)s.", role=", ".join(sorted(unknown))))
    if password is not None:
        problem = password_problem(password, (email, name))
        if problem:
            raise AccountError(problem)
    user = User(email=email, name=name.strip(), roles=roles, password=password, active=active)
    db.session.add(user)
    db.session.flush()
    _audit("account.created", actor, user, roles=sorted(user.roles))
    return user


def set_language(user: User, language: str | None) -> None:
    """Keep the language a person reads pages and emails in (None: as their browser asks)."""
    user.language = language or None


def update_user(
    user: User,
    *,
    name: str,
    email: str,
    roles: set[str],
    active: bool,
    acting_user: User,
    password: str | None = None,
) -> bool:
    """Change an account (and its password, if given); an administrator cannot lock themselves out.

    A new email is not applied here: a confirmation link goes to it (see request_email_change).
    Return whether such a link was sent.
    """
    if user.id == acting_user.id and (not active or RoleCode.ADMIN not in roles):
        raise AccountError(
            _("You cannot remove your own administrator role or deactivate your own account.")
        )
    email_changes = User.normalise_email(email) != user.email
    if email_changes:
        request_email_change(user, email, actor=acting_user)
    old_roles = user.roles
    user.name = name.strip()
    user.roles = roles
    if user.active and not active:
        lock_out(user)
    if old_roles != user.roles:
        _audit(
            "account.roles_changed",
            acting_user,
            user,
            before=sorted(old_roles),
            after=sorted(user.roles),
        )
    if user.active != active:
        _audit("account.activated" if active else "account.deactivated", acting_user, user)
    user.active = active
    db.session.flush()
    if password:
        set_password_by_admin(user, password, acting_user)
    return email_changes


def _audit(action: str, actor: User | None, user: User | None, **details) -> None:
    """Write an audit entry about an account in the current transaction."""
    from app.audit.services import record

    record(action, actor=actor, target=user, subject_user=user, details=details or None)


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None, in the same time either way."""
    user = find_user_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_UNKNOWN_USER_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def record_login(user: User) -> None:
    """Note a successful sign-in in the audit trail."""
    _audit("account.login", user, user)


def record_failed_login(email: str, action: str = "account.login_failed") -> None:
    """Note a refused (or throttled) sign-in; the typed address is kept apart for erasure."""
    from app.audit.services import record

    email = User.normalise_email(email or "")[:254]
    record(action, actor=None, subject_user=find_user_by_email(email), personal={"email": email})


def sign_out_everywhere(user: User, actor: User) -> None:
    """End every session and link of an account, at an administrator's request."""
    lock_out(user)
    _audit("account.signed_out_everywhere", actor, user)


def set_password_by_admin(user: User, password: str, actor: User) -> None:
    """Set a password for someone (an administrator's reset), signing their devices out."""
    check_password_strength(password, user)
    user.set_password(password)
    end_all_sessions(user)
    cancel_account_tokens(user, purposes=_LINK_FAMILIES[TokenPurpose.RESET])
    _audit("account.password_set_by_admin", actor, user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change one's own password, which signs every other device out."""
    if not user.check_password(current_password):
        raise AccountError(_("The current password is not correct."))
    check_password_strength(new_password, user)
    user.set_password(new_password)
    end_all_sessions(user)
    cancel_account_tokens(user, purposes=_LINK_FAMILIES[TokenPurpose.RESET])
    _audit("account.password_changed", user, user)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_account_token(
    user: User, purpose: str, valid_for: timedelta, new_email: str | None = None
) -> str:
    """Create a one-time token, voiding the older links it replaces, and return its raw value."""
    cancel_account_tokens(user, purposes=_LINK_FAMILIES[purpose])
    raw = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user=user,
            purpose=purpose,
            token_hash=_hash_token(raw),
            expires_at=utcnow() + valid_for,
            new_email=new_email,
        )
    )
    db.session.flush()
    return raw


def find_account_token(raw: str, purpose: str) -> AccountToken:
    """Return a usable token or explain why the link no longer works."""
    token = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == _hash_token(raw[:100]), AccountToken.purpose == purpose
        )
    )
    if token is None:
        raise AccountError(_("This link is not valid. Ask your trainer for a new invitation."))
    if token.used_at is not None:
        raise AccountError(_("This link has already been used. Log in with your password."))
    if token.cancelled_at is not None:
        raise AccountError(_("A newer link replaced this one. Use the most recent email."))
    if not token.user.active:
        raise AccountError(_("This account is deactivated. Ask an administrator."))
    if token.expires_at < utcnow():
        raise AccountError(_("This link has expired. Ask your trainer for a new invitation."))
    return token


def _spend(token: AccountToken) -> None:
    token.used_at = utcnow()
    cancel_account_tokens(token.user, keep=token)


def _mail_after_commit(
    to: str, subject: str, template: str, language: str | None = None, **context
) -> None:
    """Send an account email from a worker once the link's row is committed.

    A worker (not the request) talks to SMTP, so a reset request for a known address takes
    no longer than one for an unknown address, and a rolled-back request sends nothing.
    """
    from app.notifications.services import queue_email

    queue_email(to, subject, template, language=language, **context)


def _person(user: User) -> dict:
    return {"name": user.name, "email": user.email}


def _send_link(
    user: User,
    purpose: str,
    valid_for: timedelta,
    endpoint: str,
    subject: str,
    template: str,
    **context,
) -> str:
    """Issue a one-time link and email it to the account's own address after commit."""
    from app.shared.urls import external_url

    raw = issue_account_token(user, purpose, valid_for)
    _mail_after_commit(
        user.email,
        subject,
        template,
        user.language,
        user=_person(user),
        link=external_url(endpoint, token=raw),
        **context,
    )
    return raw


def send_invitation(user: User, actor: User | None = None) -> str:
    """Email a one-time link to choose a password; return the raw token (tests follow it)."""
    hours = current_app.config["INVITATION_MAX_AGE_HOURS"]
    raw = _send_link(
        user,
        TokenPurpose.INVITATION,
        timedelta(hours=hours),
        "accounts.set_password",
        _l("Your invitation to the training platform"),
        "invitation",
        hours=hours,
    )
    _audit("account.invited", actor, user)
    return raw


def set_password_with_token(raw: str, purpose: str, password: str) -> User:
    """Set the password through a one-time link, spend it and sign out other devices.

    A link never reactivates a deactivated account (find_account_token refuses it).
    """
    token = find_account_token(raw, purpose)
    user = token.user
    check_password_strength(password, user)
    user.set_password(password)
    _spend(token)
    end_all_sessions(user)
    _audit("account.password_set", None, user, purpose=purpose)
    return user


def request_password_reset(email: str) -> str | None:
    """Email a reset link when an active account has this address; return the raw token.

    The page answers the same either way, so it never tells whether an address has an account.
    """
    user = find_user_by_email(email)
    if user is None or not user.active:
        return None
    minutes = current_app.config["RESET_MAX_AGE_MINUTES"]
    raw = _send_link(
        user,
        TokenPurpose.RESET,
        timedelta(minutes=minutes),
        "accounts.reset_password",
        _l("Reset your password"),
        "password_reset",
        minutes=minutes,
    )
    _audit("account.reset_requested", None, user)
    return raw


def request_email_change(user: User, new_email: str, actor: User | None = None) -> str:
    """Send a confirmation link to a new address; the login changes only once it is followed."""
    from app.shared.urls import external_url

    new_email = User.normalise_email(new_email)
    _refuse_taken(new_email)
    hours = current_app.config["INVITATION_MAX_AGE_HOURS"]
    raw = issue_account_token(
        user, TokenPurpose.EMAIL_CHANGE, timedelta(hours=hours), new_email=new_email
    )
    context = {"user": _person(user), "new_email": new_email, "hours": hours}
    _mail_after_commit(
        new_email,
        _l("Confirm your new email address"),
        "email_change_confirm",
        user.language,
        link=external_url("accounts.confirm_email", token=raw),
        **context,
    )
    _mail_after_commit(
        user.email,
        _l("Your login email is about to change"),
        "email_change_notice",
        user.language,
        **context,
    )
    _audit("account.email_change_requested", actor or user, user)
    return raw


def confirm_email_change(raw: str) -> User:
    """Make the confirmed address the login (and the linked participant record's email)."""
    from app.accounts.signals import account_email_changed

    token = find_account_token(raw, TokenPurpose.EMAIL_CHANGE)
    user = token.user
    _refuse_taken(token.new_email)
    old_email, user.email = user.email, token.new_email
    _spend(token)
    account_email_changed.send(user, old_email=old_email)
    _audit("account.email_changed", user, user)
    db.session.flush()
    return user


def create_api_token(user: User, label: str) -> str:
    """Issue an API token for a manager; the raw value is returned once and never stored."""
    if not user.has_role(RoleCode.MANAGER):
        raise AccountError(_("Only programme managers can hold API tokens."))
    raw = "tp_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, label=label.strip() or _("API token"), token_hash=_hash_token(raw))
    db.session.add(token)
    db.session.flush()
    _audit("api.token_created", user, user, token_id=token.id)
    return raw


def api_tokens_of(user: User) -> list[ApiToken]:
    """Return the account's API tokens, revoked ones included, oldest first."""
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
        )
    )


@dataclass(frozen=True)
class ApiTokenCheck:
    """What a bearer token is worth: the manager it speaks for, or whose role it lacks."""

    user: User | None = None
    holder_not_manager: bool = False  # a live token of an active account that is no manager


def check_api_token(raw: str) -> ApiTokenCheck:
    """Tell whether a bearer token is live and its active holder a manager; note its use if so."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(raw)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return ApiTokenCheck()
    if not token.user.has_role(RoleCode.MANAGER):
        return ApiTokenCheck(holder_not_manager=True)
    token.last_used_at = utcnow()
    return ApiTokenCheck(user=token.user)


def revoke_api_token(token: ApiToken, actor: User | None = None) -> None:
    """Stop a token from working; it stays listed as revoked."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        _audit("api.token_revoked", actor, token.user, token_id=token.id)
    db.session.flush()
