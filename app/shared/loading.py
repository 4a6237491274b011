"""The one way a view loads a record and checks who asks (flaskr's `get_post(id, check_author)`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from app.extensions import db

Record = TypeVar("Record")


def load_or_abort(
    model: type[Record],
    key: Any,
    allowed: Callable[[Any, Record], bool] | None = None,
    *,
    by: InstrumentedAttribute | None = None,
    hide: bool = False,
) -> Record:
    """Return the record `key` names (its id, or the column `by`) if the current user may see it.

    A missing record answers 404. A record the predicate refuses answers 403, or 404 with `hide`
    where even knowing it exists says too much (a certificate number, a person).
    """
    if by is None:
        record = db.session.get(model, key)
    else:
        record = db.session.scalar(select(model).where(by == key))
    if record is None:
        abort(404)
    if allowed is not None and not allowed(current_user, record):
        abort(404 if hide else 403)
    return record
