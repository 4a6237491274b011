"""Sessions written many at a time, for imports of past trainings; scheduling picks the defaults.

Another domain (the history import) says what it knows of each past session; this module
decides what an imported session is: completed, flagged as imported, in UTC (its hours are
unknown), in English, with no legal tradition. Nothing commits here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import insert

from app.extensions import db
from app.scheduling.models import SessionStatus, TrainingSession

# A past session's hours and legal tradition are not in the file; these stand for "unknown".
IMPORTED_DEFAULTS = {
    "venue": "",
    "timezone": "UTC",
    "language": "en",
    "legal_tradition": None,
    "status": SessionStatus.COMPLETED.value,
    "imported": True,
}


class PastSession(NamedTuple):
    """What an import knows of a session held in the past."""

    code: str
    course_id: int
    course_version_id: int
    host_country: str
    city: str
    start_date: date
    end_date: date
    capacity: int
    notes: str
    created_by_id: int | None


def insert_past_sessions(sessions: Sequence[PastSession], now: datetime) -> dict[str, int]:
    """Insert these sessions as completed and imported; return their ids by code."""
    if not sessions:
        return {}
    rows = [
        {**session._asdict(), **IMPORTED_DEFAULTS, "created_at": now, "updated_at": now}
        for session in sessions
    ]
    # Core INSERT … RETURNING on the table: batched multi-row statements. (The ORM's bulk
    # INSERT with RETURNING sorts by parameter order, which SQLite can do only row by row.)
    table = TrainingSession.__table__
    statement = insert(table).returning(table.c.id, table.c.code)
    return {code: session_id for session_id, code in db.session.execute(statement, rows)}
