"""The role codes and the one decorator that gates a page by them, below every domain.

Each domain's permissions.py builds its predicates from `signed_in` and `User.has_role`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required


class RoleCode(StrEnum):
    """The roles; a person may hold several."""

    ADMIN = "admin"
    MANAGER = "manager"
    TRAINER = "trainer"
    PARTICIPANT = "participant"
    # A country's national focal point: nominates its people to calls, sees only its countries.
    FOCAL_POINT = "focal_point"


def signed_in(user: Any) -> bool:
    """Return whether `user` is a signed-in account (not None, not the anonymous visitor)."""
    return bool(user is not None and getattr(user, "is_authenticated", False))


def permission_required(allowed: Callable[[Any], bool]) -> Callable:
    """Send anonymous visitors to login and answer 403 to users the predicate refuses."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def role_required(*codes: str) -> Callable:
    """Send anonymous visitors to login and answer 403 to users without any of the roles."""
    return permission_required(lambda user: user.has_role(*codes))
