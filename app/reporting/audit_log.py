"""Search the audit trail across domains for the administrator's page and its CSV export.

The trail itself (its model, `record()` and erasure) lives in app.audit, below every domain
that writes it; finding entries by a person's name or a session's code reads accounts,
enrolment and scheduling, so it lives up here with the other cross-domain readers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.enrolment.models import Participant
from app.extensions import db
from app.scheduling.models import TrainingSession
from app.shared.converters import is_record_id
from app.shared.paging import RowPagination
from app.shared.spreadsheets import safe_row

PER_PAGE = 50
MAX_PAGE = 1_000_000  # keeps the offset inside the database's integer range


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


def filtered(filters: AuditFilters, *columns) -> Select:
    """Return the entries matching the filters, newest first (only `columns` when given)."""
    statement = select(*columns) if columns else select(AuditEntry)
    statement = statement.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
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


# What a line of the page shows, read as plain columns rather than as AuditEntry objects.
LINE_COLUMNS = (
    AuditEntry.at,
    AuditEntry.actor_label,
    AuditEntry.action,
    AuditEntry.target_type,
    AuditEntry.target_id,
    AuditEntry.training_session_id,
    AuditEntry.participant_id,
    AuditEntry.ip_address,
    AuditEntry.details,
)

# The session and person a line names, joined under names of their own: the filters' own
# subqueries on sessions and people must not correlate with them. Made once: an alias made
# for each page cost more than the page's query and defeated the statement cache.
_NAMED_SESSION = aliased(TrainingSession, name="named_session")
_NAMED_PERSON = aliased(Participant, name="named_person")


def page_of(filters: AuditFilters, number: int) -> Pagination:
    """Return one page of the filtered entries' lines; a page past the last is empty, not 404.

    Each line names its session (session_code) and person (person_name) when they still
    exist, joined on their keys; the count is of the entries alone.
    """
    session, person = _NAMED_SESSION, _NAMED_PERSON
    named = (
        filtered(
            filters,
            *LINE_COLUMNS,
            session.code.label("session_code"),
            person.full_name.label("person_name"),
        )
        .outerjoin(session, session.id == AuditEntry.training_session_id)
        .outerjoin(person, person.id == AuditEntry.participant_id)
    )
    return RowPagination(
        select=named,
        counted=filtered(filters, AuditEntry.id),
        session=db.session,
        page=min(max(number, 1), MAX_PAGE),
        per_page=PER_PAGE,
        error_out=False,
        count_ahead=True,
    )


def known_actions() -> list[str]:
    """Return the action codes present in the trail, for the filter's choices."""
    statement = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    return list(db.session.scalars(statement))


# Each exported field with its heading; the values stay codes (actions, ids, ISO times).
EXPORT_COLUMNS = (
    ("id", _l("Entry")),
    ("at", _l("Time (UTC)")),
    ("actor_id", _l("Actor ID")),
    ("actor", _l("Actor")),
    ("action", _l("Action")),
    ("target_type", _l("Target type")),
    ("target_id", _l("Target ID")),
    ("training_session_id", _l("Session ID")),
    ("training_session", _l("Session")),
    ("participant_id", _l("Participant ID")),
    ("subject_user_id", _l("Subject account ID")),
    ("ip_address", _l("IP address")),
    ("details", _l("Details")),
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
        yield [row[column] for column, _heading in EXPORT_COLUMNS]


def export_csv(filters: AuditFilters) -> tuple[str, int]:
    """Return the filtered entries as CSV text (headings in the reader's language) and a count."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([str(heading) for _column, heading in EXPORT_COLUMNS])
    count = 0
    for row in export_rows(filters):
        writer.writerow(safe_row(row))
        count += 1
    return out.getvalue(), count
