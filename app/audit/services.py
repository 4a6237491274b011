"""Write the audit trail in the caller's transaction, read a person's entries, and erase them.

Searching the trail by names and session codes reads other domains: app.reporting.audit_log.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import has_request_context, request
from sqlalchemy import delete, or_, select

from app.audit.models import ERASING, PERSONAL, AuditEntry
from app.extensions import db
from app.shared.unit_of_work import unit_of_work

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.enrolment.models import Participant
    from app.scheduling.models import TrainingSession


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


def record_read(action: str, *, actor: User | None, **fields: Any) -> AuditEntry:
    """Record and commit who read or downloaded personal data: the one write a GET may make.

    Takes `record()`'s keywords. It commits whatever the request holds so far, so call it once
    the response is ready and nothing else is pending.
    """
    with unit_of_work(show_error=False):
        entry = record(action, actor=actor, **fields)
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


def purge_before(cutoff: datetime) -> int:
    """Delete the entries written before cutoff (the retention rule) and return how many.

    The one deletion of entries the trail allows: by age, never one by one.
    """
    return db.session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff)).rowcount
