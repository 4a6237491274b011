"""A session's enrolment list as CSV or XLSX: the header row first, one row per person.

What the list is (session, date) goes in the file name and, for XLSX, in an "About" sheet,
so spreadsheet tools and scripts read the file as it is. Headings are in the exporter's
language; the values stay codes (ISO countries, statuses, agency types) whatever the language.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font

from app.enrolment import queries
from app.enrolment.models import Enrolment
from app.scheduling.models import TrainingSession
from app.shared.spreadsheets import safe_row

FORMATS = ("csv", "xlsx")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    ("full_name", _l("Full name")),
    ("latin_name", _l("Name in Latin script")),
    ("email", _l("Email")),
    ("country", _l("Country of service")),
    ("organisation", _l("Organisation")),
    ("agency_type", _l("Agency type")),
    ("status", _l("Status")),
    ("waitlist_position", _l("Waitlist position")),
    ("completed", _l("Completed")),
)


def headings() -> list[str]:
    """Return the header row in the current language, the same for CSV and XLSX."""
    return [str(label) for _key, label in COLUMNS]


def _rows(training_session: TrainingSession, positions: dict[int, int]) -> list[list]:
    def completed(enrolment: Enrolment) -> str:
        return "" if enrolment.completed is None else ("yes" if enrolment.completed else "no")

    rows = []
    for group in queries.session_groups(training_session).values():
        for enrolment in group:
            person = enrolment.participant
            rows.append(
                safe_row(
                    [
                        person.full_name,
                        person.latin_name or "",
                        person.email or "",
                        enrolment.country_code,
                        enrolment.organisation,
                        enrolment.agency_type,
                        enrolment.status,
                        positions.get(enrolment.id, ""),
                        completed(enrolment),
                    ]
                )
            )
    return rows


def export_enrolments(
    training_session: TrainingSession, fmt: str, positions: dict[int, int], generated: datetime
) -> tuple[bytes, str, str]:
    """Return the list's bytes, media type and file name (session code and date in the name)."""
    filename = f"enrolments-{training_session.code}-{generated:%Y%m%d}.{fmt}"
    rows = _rows(training_session, positions)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(headings())
        writer.writerows(rows)
        return out.getvalue().encode(), "text/csv; charset=utf-8", filename
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_l("Enrolments"))
    sheet.append(headings())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    about = workbook.create_sheet(str(_l("About")))
    for pair in (
        (str(_l("Session")), training_session.code),
        (str(_l("Course")), training_session.course.title),
        (str(_l("Generated")), generated.strftime("%Y-%m-%d %H:%M UTC")),
    ):
        about.append(safe_row(list(pair)))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), XLSX_MIMETYPE, filename
