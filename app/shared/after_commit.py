"""Side effects that wait for the commit: emails and jobs run only once their data is saved.

A service registers a callback on the current session; the callbacks run in order once the
outermost transaction has committed and released its connection, and are dropped when it rolls
back, so a rolled-back request never mails a link to a row that does not exist, nor enqueues
work on it. A callback registered inside a savepoint is dropped with that savepoint when it
rolls back. A failing callback is logged and the others still run: the data is committed by
then, and an error raised out of the commit would leave the session unusable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction

from app.extensions import db

_KEY = "after_commit_callbacks"
_DUE = "after_commit_due"


def after_commit(callback: Callable[[], Any], key: object = None) -> None:
    """Run callback once the current transaction commits; a repeated key adds nothing."""
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any query still drops the callback
    pending = session.info.setdefault(_KEY, {})
    # A key (a job id, say) makes the same side effect count once per transaction.
    savepoint = session.get_nested_transaction()
    pending.setdefault(key if key is not None else object(), (savepoint, callback))


def pending_count() -> int:
    """Return how many side effects wait for the current transaction's commit."""
    return len(db.session.info.get(_KEY, {}))


@event.listens_for(OrmSession, "after_commit")
def _commit_callbacks(session: OrmSession) -> None:
    # Committed: the callbacks become due. They run once the transaction has ended and given
    # its connection back to the pool, so that a job run in this process (no Redis) never holds
    # a second connection while the first waits: under load that exhausts the pool.
    due = session.info.setdefault(_DUE, [])
    due.extend(callback for _, callback in session.info.pop(_KEY, {}).values())


@event.listens_for(OrmSession, "after_transaction_end")
def _run_callbacks(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return  # a savepoint ended; the outer transaction has not committed yet
    # Popped first: a callback that commits its own session must not see this list again.
    for callback in session.info.pop(_DUE, []):
        try:
            callback()
        except Exception:  # one failure must not cancel the others, nor break the session
            current_app.logger.exception("A side effect after commit failed")


@event.listens_for(OrmSession, "after_soft_rollback")
def _drop_callbacks(session: OrmSession, previous_transaction: SessionTransaction) -> None:
    # Soft, not "after_rollback": that one is skipped when nothing had reached the database yet.
    pending = session.info.get(_KEY)
    if not pending:
        return
    if not previous_transaction.nested:
        session.info.pop(_KEY, None)
        return
    for key, (savepoint, _) in list(pending.items()):
        if savepoint is not None and _within(savepoint, previous_transaction):
            del pending[key]


def _within(transaction: SessionTransaction, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False
