"""Write the audit trail in the caller's transaction, read it back, and erase people from it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import has_request_context, request
from sqlalchemy import Select, func, or_, select

from app.accounts.models import User
from app.audit.models import ERASING, PERSONAL, AuditEntry
from app.enrolment.models import Participant
from app.extensions import db
from app.scheduling.models import TrainingSession
from app.shared.converters import is_record_id


def _id_of(value: Any) -> int | None:
    """Accept a model instance or its id."""
    return value if value is None or isinstance(value, int) else value.id


def _context_of(target: Any) -> dict[str, int | None]:
    """Derive the session, participant and account an entry is about from its target."""
    if target is None:
        return {}
    table = getattr(target, "__tablename__", None)
    # Certificates and attendance records point at an enrolment, which names both.
    source = getattr(target, "enrolment", None) or target
    participant = target if table == "participants" else getattr(source, "participant", None)
    return {
        "training_session_id": target.id
        if table == "training_sessions"
        else getattr(source, "training_session_id", None),
        "participant_id": participant.id if participant is not None else None,
        "subject_user_id": target.id if table == "users" else getattr(participant, "user_id", None),
    }


def record(
    action: str,
    *,
    actor: User | None,
    target: Any = None,
    training_session: TrainingSession | int | None = None,
    participant: Participant | int | None = None,
    subject_user: User | int | None = None,
    details: dict[str, Any] | None = None,
    personal: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry to the current transaction and flush it; the caller's commit keeps both.

    `details` holds codes and counts; `personal` holds any text that names a person (a typed
    email, a file name), kept apart so that erasure can drop it and keep the rest.
    """
    if target is not None and getattr(target, "id", 0) is None:
        db.session.flush()  # a new record gets its id (and its links) before the entry names it
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    context = _context_of(target)
    explicit = {
        "training_session_id": _id_of(training_session),
        "participant_id": _id_of(participant),
        "subject_user_id": _id_of(subject_user),
    }
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if signed_in else None,
        actor_label=actor.email if signed_in else None,
        target_type=type(target).__name__ if target is not None else None,
        target_id=getattr(target, "id", None),
        ip_address=request.remote_addr if has_request_context() else None,
        details={**(details or {}), **({PERSONAL: personal} if personal else {})},
        **{key: explicit[key] or context.get(key) for key in explicit},
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _about(user_id: int | None, participant_id: int | None) -> list:
    conditions = []
    if user_id is not None:
        conditions += [AuditEntry.actor_id == user_id, AuditEntry.subject_user_id == user_id]
    if participant_id is not None:
        conditions.append(AuditEntry.participant_id == participant_id)
    return conditions


def entries_about(
    user_id: int | None = None, participant_id: int | None = None
) -> list[AuditEntry]:
    """Return, oldest first, the entries a person did or that were about them (data export)."""
    conditions = _about(user_id, participant_id)
    if not conditions:
        return []
    statement = select(AuditEntry).where(or_(*conditions)).order_by(AuditEntry.id)
    return list(db.session.scalars(statement))


def erase_personal_data(*, user_id: int | None = None, participant_id: int | None = None) -> int:
    """Blank who-as-text, address and personal details of a person's entries; keep the actions.

    The actor's label and address are blanked where the person acted, or where nobody signed in
    acted about them (a failed login with their email). Staff who acted on them stay named.
    Returns how many entries were changed.
    """
    changed = 0
    db.session.info[ERASING] = True
    try:
        for entry in entries_about(user_id, participant_id):
            before = (entry.actor_label, entry.ip_address, entry.details)
            if entry.actor_id is None or entry.actor_id == user_id:
                entry.actor_label = None
                entry.ip_address = None
            if PERSONAL in (entry.details or {}):
                entry.details = {k: v for k, v in entry.details.items() if k != PERSONAL}
            changed += before != (entry.actor_label, entry.ip_address, entry.details)
        db.session.flush()
    finally:
        db.session.info.pop(ERASING, None)
    return changed


@dataclass(frozen=True)
class AuditFilters:
    """What the administrator's page narrows the trail to; empty fields do not filter."""

    person: str = ""
    training_session: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _like(text: str) -> str:
    """Return a case-insensitive substring pattern with LIKE's wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def filtered(filters: AuditFilters) -> Select:
    """Return the entries matching the filters, newest first."""
    statement = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if filters.person:
        pattern = _like(filters.person)
        users = select(User.id).where(
            or_(User.email.ilike(pattern, escape="\\"), User.name.ilike(pattern, escape="\\"))
        )
        participants = select(Participant.id).where(
            or_(
                Participant.full_name.ilike(pattern, escape="\\"),
                Participant.email.ilike(pattern, escape="\\"),
                Participant.user_id.in_(users),
            )
        )
        statement = statement.where(
            or_(
                AuditEntry.actor_id.in_(users),
                AuditEntry.subject_user_id.in_(users),
                AuditEntry.participant_id.in_(participants),
                AuditEntry.actor_label.ilike(pattern, escape="\\"),
            )
        )
    if filters.training_session:
        wanted = filters.training_session.strip()
        match = func.upper(TrainingSession.code) == wanted.upper()
        if is_record_id(wanted):
            match = or_(match, TrainingSession.id == int(wanted))
        statement = statement.where(
            AuditEntry.training_session_id.in_(select(TrainingSession.id).where(match))
        )
    if filters.action:
        statement = statement.where(AuditEntry.action == filters.action)
    if filters.date_from:
        statement = statement.where(AuditEntry.at >= _start_of(filters.date_from))
    if filters.date_to:
        statement = statement.where(AuditEntry.at < _start_of(filters.date_to + timedelta(days=1)))
    return statement


def known_actions() -> list[str]:
    """Return the action codes present in the trail, for the filter's choices."""
    statement = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    return list(db.session.scalars(statement))


def names_for(entries: list[AuditEntry]) -> tuple[dict[int, str], dict[int, str]]:
    """Return the codes of the sessions and the names of the people a page of entries names."""
    session_ids = {e.training_session_id for e in entries if e.training_session_id}
    participant_ids = {e.participant_id for e in entries if e.participant_id}
    sessions = db.session.execute(
        select(TrainingSession.id, TrainingSession.code).where(TrainingSession.id.in_(session_ids))
    )
    people = db.session.execute(
        select(Participant.id, Participant.full_name).where(Participant.id.in_(participant_ids))
    )
    return {key: value for key, value in sessions}, {key: value for key, value in people}


EXPORT_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor",
    "action",
    "target_type",
    "target_id",
    "training_session_id",
    "training_session",
    "participant_id",
    "subject_user_id",
    "ip_address",
    "details",
)


def export_rows(filters: AuditFilters) -> Iterator[list[Any]]:
    """Yield the filtered entries as CSV rows of EXPORT_COLUMNS, details as JSON text."""
    statement = (
        filtered(filters)
        .add_columns(TrainingSession.code)
        .outerjoin(TrainingSession, TrainingSession.id == AuditEntry.training_session_id)
        .execution_options(yield_per=1000)
    )
    for entry, code in db.session.execute(statement):
        row = {
            **entry.as_dict(),
            "training_session": code or "",
            "details": json.dumps(entry.details, ensure_ascii=False, sort_keys=True),
        }
        yield [row[column] for column in EXPORT_COLUMNS]
