"""Builders for history files in tests."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import Workbook
from sqlalchemy import func, select

from app.enrolment.models import Enrolment, Participant
from app.extensions import db
from app.history.services import COLUMNS
from app.scheduling.models import TrainingSession
from tests import factories

COURSE_SLUG = "cyber-investigation"


def course():
    """Create the course the sample rows refer to."""
    return factories.make_course(slug=COURSE_SLUG, title="Cyber investigation", code="CYB")


def row(**values) -> dict:
    """Return one valid history row, with some values replaced."""
    base = {
        "course": COURSE_SLUG,
        "session_code": "CYB-2019-KE-01",
        "host_country": "KE",
        "city": "Nairobi",
        "start_date": "2019-03-04",
        "end_date": "2019-03-08",
        "name": "Amina Njeri",
        "email": "amina@police.example",
        "country": "Kenya",
        "organisation": "National Police Service",
        "agency_type": "police",
        "completed": "yes",
    }
    base.update(values)
    return base


def csv_bytes(rows: list[dict], columns=COLUMNS) -> bytes:
    """Write rows as a UTF-8 CSV with a header."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list], header=COLUMNS) -> bytes:
    """Write rows (lists of cell values, dates as date objects) as an XLSX workbook."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def counts() -> tuple[int, int, int]:
    """Return how many sessions, people and enrolments exist."""
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (TrainingSession, Participant, Enrolment)
    )


DAY = date(2019, 3, 4)
