"""People and enrolments written many at a time, for imports of past trainings.

The history import says who took part in which past session; this module writes the
participants and enrolments tables with enrolment's own defaults. Nothing commits here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import insert

from app.enrolment.models import Enrolment, EnrolmentStatus, Participant
from app.extensions import db


class NewPerson(NamedTuple):
    """A person an import found no match for."""

    full_name: str
    name_key: str
    email: str | None
    country_code: str
    organisation: str
    agency_type: str


class PastEnrolment(NamedTuple):
    """A person's place in a past session, and whether they completed it."""

    training_session_id: int
    participant_id: int
    country_code: str
    organisation: str
    agency_type: str
    completed: bool


def insert_people(
    people: Sequence[NewPerson], now: datetime
) -> list[tuple[int, str | None, str, str]]:
    """Insert these people; return (id, email, name_key, country_code) of each, in any order."""
    if not people:
        return []
    rows = [
        {
            **person._asdict(),
            "latin_name": None,
            "job_title": "",
            "gender": None,
            "preferred_language": None,
            "user_id": None,
            "created_at": now,
            "updated_at": now,
        }
        for person in people
    ]
    table = Participant.__table__
    statement = insert(table).returning(
        table.c.id, table.c.email, table.c.name_key, table.c.country_code
    )
    return [tuple(found) for found in db.session.execute(statement, rows)]


def insert_past_enrolments(enrolments: Sequence[PastEnrolment], now: datetime) -> None:
    """Insert these enrolments as places held (the session is over; completion is given)."""
    if not enrolments:
        return
    status = EnrolmentStatus.ENROLLED.value
    db.session.execute(
        insert(Enrolment),
        [
            {**enrolment._asdict(), "status": status, "created_at": now, "updated_at": now}
            for enrolment in enrolments
        ],
    )
