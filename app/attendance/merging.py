"""Attendance's part of merging two records of one person: the days move with the enrolment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.enrolment.signals import enrolment_weighed, participants_merged

if TYPE_CHECKING:
    from app.enrolment.models import Enrolment, Participant


@enrolment_weighed.connect
def _days_recorded(enrolment: Enrolment) -> int:
    """Count the enrolment's recorded days, so the one with more attendance is kept."""
    return len(enrolment.attendance_records)


@participants_merged.connect
def _move_attendance(
    _keep: Participant, *, combined: list[tuple[Enrolment, Enrolment]], **_context: object
) -> None:
    """Give the kept enrolment the dropped one's days it has no record of (its own days win)."""
    for better, worse in combined:
        days = {record.day for record in better.attendance_records}
        for record in list(worse.attendance_records):
            if record.day not in days:
                record.enrolment = better
