"""Cached reach figures, kept fresh by a data version bumped in the transaction that changes them.

Reporting reads other domains and never edits them, so it watches their writes from here: a
flush that adds, deletes or changes (in a column reach reads) a session, an enrolment, a
participant, a course's modules or an agenda, and any bulk INSERT/UPDATE/DELETE on those
tables through the session, bumps `reach_data_version` in the same transaction. Figures are
cached under the version they were computed at, so a commit makes every older entry
unreachable and a rollback leaves the version (and the cache) as it was. Writes that bypass
the session (a raw DB-API cursor, another program) are not seen: run `flask reports bump`.

After a change, a job recomputes the unfiltered dashboard, so that a manager opening it does
not wait. Its fixed job id makes the changes of a busy minute queue it once (debounced), and it
computes again while the version moved under it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from types import SimpleNamespace
from typing import TypeVar

from flask import current_app, has_app_context
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, SessionTransaction
from sqlalchemy.orm import Session as OrmSession

from app.curriculum.models import Course, CourseModule, CourseVersion
from app.enrolment.models import Enrolment, Participant
from app.extensions import cache, db
from app.jobs.services import enqueue_after_commit, is_sync
from app.reporting import queries
from app.reporting.filters import ReachFilters
from app.reporting.models import ReachDataVersion
from app.scheduling.models import (
    AgendaItem,
    PartnerOrganisation,
    TrainingSession,
    training_session_partners,
)

# The attributes reach reads from each model (None: any change counts).
WATCHED: dict[type, frozenset[str] | None] = {
    Enrolment: frozenset(
        {
            "training_session_id",
            "participant_id",
            "country_code",
            "organisation",
            "agency_type",
            "completed",
        }
    ),
    Participant: frozenset({"country_code", "gender"}),
    TrainingSession: frozenset(
        {
            "status",
            "start_date",
            "end_date",
            "course_id",
            "course_version_id",
            "host_country",
            "legal_tradition",
            "partners",
        }
    ),
    AgendaItem: None,
    CourseModule: None,
    CourseVersion: None,
    Course: frozenset({"slug", "title"}),
    PartnerOrganisation: frozenset({"name"}),
}
WATCHED_TABLES = frozenset(
    {model.__tablename__ for model in WATCHED} | {training_session_partners.name}
)
# Every cached entry holds all the dashboard's breakdowns: the page, the API, the board report
# and a country's page then share one computation per filter.
CACHED_PARTS = queries.DASHBOARD_PARTS
WARM_JOB = "app.reporting.freshness.warm_dashboard"
WARM_JOB_ID = "reporting.warm_dashboard"
# Rounds the warming job computes again when the version moved while it computed.
WARM_ROUNDS = 3
_BUMPED = "reach_version_bumped"
T = TypeVar("T")
_VERSION = ReachDataVersion.__table__


def _changes_reach(instance: object, changed: bool) -> bool:
    """Return whether a new, deleted (changed=False) or dirty object alters reach figures."""
    watched = next((names for model, names in WATCHED.items() if isinstance(instance, model)), ...)
    if watched is ...:
        return False
    if not changed or watched is None:
        return True
    attrs = inspect(instance).attrs
    return any(attrs[name].history.has_changes() for name in watched)


def bump(session: OrmSession) -> None:
    """Bump the data version in the session's transaction, and queue the dashboard's warming."""
    session.connection().execute(
        update(_VERSION).where(_VERSION.c.id == 1).values(version=_VERSION.c.version + 1)
    )
    session.info[_BUMPED] = True
    if has_app_context() and _precompute():
        enqueue_after_commit(WARM_JOB, job_id=WARM_JOB_ID)


def _precompute() -> bool:
    setting = current_app.config.get("REACH_PRECOMPUTE")
    return (not is_sync()) if setting is None else bool(setting)


@event.listens_for(OrmSession, "after_flush")
def _bump_after_flush(session: OrmSession, _context) -> None:
    # After the flush, session.new/dirty/deleted and attribute history still show what changed.
    found = chain(
        ((obj, False) for obj in session.new),
        ((obj, False) for obj in session.deleted),
        ((obj, True) for obj in session.dirty),
    )
    if any(_changes_reach(obj, changed) for obj, changed in found):
        bump(session)


@event.listens_for(OrmSession, "do_orm_execute")
def _bump_on_bulk_write(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in WATCHED_TABLES:
        bump(state.session)


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_bump(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_BUMPED, None)


def data_version() -> int:
    """Return the committed (or this transaction's) data version; 0 if the row is missing."""
    return db.session.scalar(select(_VERSION.c.version).where(_VERSION.c.id == 1)) or 0


def _filter_key(filters: ReachFilters) -> str:
    return "&".join(f"{key}={value}" for key, value in sorted(filters.query_args().items()))


def _plain(rows: dict[str, list]) -> dict[str, list]:
    """Turn result rows into plain namespaces that pickle into any cache backend."""
    return {
        part: [
            row if isinstance(row, SimpleNamespace) else SimpleNamespace(**row._asdict())
            for row in found
        ]
        for part, found in rows.items()
    }


def cached(name: str, compute: Callable[[], T]) -> T:
    """Return compute()'s value, kept under `name` until the data version moves.

    A transaction that has itself changed the data computes afresh and caches nothing: its
    figures would be wrong under the same version if it rolled back.
    """
    if db.session.info.get(_BUMPED):
        return compute()
    key = f"reach:v{data_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value)
    return value


def reach_rows(filters: ReachFilters, parts: Iterable[str]) -> dict[str, list]:
    """Return queries.run's rows for these parts, from the cache while the data is unchanged."""
    rows = cached(_filter_key(filters), lambda: _plain(queries.run(filters, CACHED_PARTS)))
    return {part: rows[part] for part in parts}


def warm_dashboard() -> None:
    """Compute the unfiltered dashboard's figures into the cache (the job a change queues)."""
    filters = ReachFilters()
    for _round in range(WARM_ROUNDS):
        version = data_version()
        reach_rows(filters, CACHED_PARTS)
        db.session.rollback()  # end the read so that the next round sees later commits
        if data_version() == version:
            return
