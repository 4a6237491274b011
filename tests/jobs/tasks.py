"""Job functions the queue tests enqueue; each leaves a row a test can look for."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from tests import factories


def add_user(email: str, name: str = "Queued") -> None:
    """Create an account (the runner commits it)."""
    factories.make_user(email=email, name=name)


def rename_user(user_id: int, name: str) -> None:
    """Rename an account that the enqueuing transaction created."""
    user = db.session.get(User, user_id)
    if user is None:
        raise LookupError(f"user {user_id} is not committed yet")
    user.name = name


def fail(email: str) -> None:
    """Write a row, then fail: nothing of it may stay."""
    factories.make_user(email=email)
    raise RuntimeError("this job always fails")


def user_named(email: str) -> str | None:
    """Return the committed name of the account with that email, read in a fresh session."""
    db.session.expire_all()
    return db.session.scalar(select(User.name).where(User.email == email))


def refuse(email: str) -> None:
    """Write a row, then break a domain rule: the worker must still see the job fail."""
    from app.shared.unit_of_work import DomainError

    factories.make_user(email=email)
    raise DomainError("this job breaks a rule")
