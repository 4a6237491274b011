"""Paper roll calls typed into a CSV or XLSX: the template, validation with row numbers, applying.

Format (CSV in UTF-8, UTF-16 or a Windows code page, or an XLSX first sheet; header row
required, column names case-insensitive, one of the ALIASES or the template's in any language):

    session_code    optional; when given it must be this session's code
    participant_id  the number shown in the template; or else
    email           the participant's email; or else
    name            the full name exactly as enrolled (used only when id and email are empty)
    day             YYYY-MM-DD, a day of the session
    status          present, late, excused or absent (or P, L, E, A); empty = not recorded

The downloadable template lists every enrolled participant for every day with an empty status.
The whole file is checked first and previewed; nothing is written unless every row is valid, or
the trainer chooses to leave the bad rows out. The preview may read a CSV again in another
encoding. Uploading the same file again changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from app.attendance.models import AttendanceRecord
from app.attendance.services import (
    STATUSES,
    AttendanceError,
    RollCallRow,
    check_can_take_roll,
    day_not_started,
    enrolled_rows,
    recompute_if_completed,
)
from app.audit import services as audit
from app.enrolment.models import Enrolment
from app.enrolment.names import normalise_name
from app.extensions import db
from app.shared.imports import (
    Column,
    ImportChoices,
    PendingFiles,
    RowError,
    Table,
    bad_row_count,
    read_table,
    with_headings,
)
from app.shared.models import utcnow
from app.shared.spreadsheets import ENCODINGS, Limits, SpreadsheetError, safe_row

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.scheduling.models import TrainingSession

COLUMNS = ("session_code", "participant_id", "email", "name", "day", "status")
# The template's header row, in the language of the trainer who downloads it.
HEADINGS = {
    "session_code": _l("Session"),
    "participant_id": _l("Participant"),
    "email": _l("Email"),
    "name": _l("Full name"),
    "day": _l("Date"),
    "status": _l("Status"),
}
# The headings people write for each column, besides the COLUMNS and the HEADINGS in every
# language (with_headings).
ALIASES = {
    "session_code": ("session", "code"),
    "participant_id": ("participant", "participant number", "id", "number"),
    "email": ("e-mail", "email address", "courriel", "correo"),
    "name": ("full name", "nom", "nombre"),
    "day": ("date", "jour", "día", "dia"),
    "status": ("attendance", "présence", "presence", "asistencia", "estado"),
}
SHORT_STATUSES = {status[0]: status for status in STATUSES}
MAX_ROWS = 20_000
# A previewed paper roll waits here, tied to its uploader and session, until it is confirmed.
PENDING = PendingFiles("attendance", AttendanceError)


@dataclass
class UploadPlan:
    """The validated content of a file and what applying it would change."""

    entries: dict[tuple[int, date], str] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0
    blank_status: int = 0
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0
    names: dict[int, RollCallRow] = field(default_factory=dict)
    columns_read: list[Column] = field(default_factory=list)
    encoding: str | None = None  # a CSV's codec; None for XLSX
    skip_bad_rows: bool = False
    encodings = ENCODINGS

    @property
    def bad_rows(self) -> int:
        """Return how many rows have a problem."""
        return bad_row_count(self.errors)

    def can_apply(self, skip_bad_rows: bool = False) -> bool:
        """Return whether recording is allowed: all rows good, or bad ones left out by choice."""
        return bool(self.entries) and (skip_bad_rows or not self.errors)

    def sentence(self) -> str:
        """Say what recording did, for the message after confirmation."""
        text = _(
            "Attendance recorded: %(created)d new, %(updated)d changed, %(same)d unchanged.",
            created=self.to_create,
            updated=self.to_update,
            same=self.unchanged,
        )
        if self.errors:
            text += " " + ngettext(
                "%(num)d row with problems was left out.",
                "%(num)d rows with problems were left out.",
                self.bad_rows,
            )
        return text


def template_csv(training_session: TrainingSession) -> str:
    """Return a CSV pre-filled with every enrolled person for every day, status left empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(HEADINGS[column]) for column in COLUMNS])
    rows = enrolled_rows(training_session)
    for day in training_session.days:
        for row in rows:
            writer.writerow(
                safe_row(
                    [
                        training_session.code,
                        row.participant_id,
                        row.email or "",
                        row.full_name,
                        day.isoformat(),
                        "",
                    ]
                )
            )
    # A byte-order mark lets spreadsheet programs open Arabic or Thai names correctly.
    return "\ufeff" + out.getvalue()


def _limits() -> Limits:
    return Limits(
        max_rows=MAX_ROWS,
        max_unpacked_bytes=current_app.config["SPREADSHEET_MAX_UNPACKED_BYTES"],
    )


def plan_upload(
    training_session: TrainingSession, filename: str, content: bytes, encoding: str | None = None
) -> UploadPlan:
    """Check every row (a CSV in `encoding`, else the one detected) and count the changes."""
    plan = UploadPlan()
    try:
        aliases = with_headings(ALIASES, HEADINGS)
        table = read_table(
            filename, content, _limits(), fields=COLUMNS, aliases=aliases, encoding=encoding
        )
        plan.columns_read, plan.encoding = table.columns_read, table.encoding
        _plan_rows(training_session, table, plan)
    except SpreadsheetError as exc:
        plan.errors.append(RowError(0, "", str(exc)))
    if not plan.errors and not plan.entries:
        plan.errors.append(RowError(0, "status", _("No row has a status to record.")))
    if plan.entries:
        _count_changes(training_session, plan)
    return plan


def _plan_rows(training_session: TrainingSession, table: Table, plan: UploadPlan) -> None:
    """Check the header, then each row, adding entries and errors to the plan."""
    columns = table.header
    unknown = [name for name in columns if name and name not in COLUMNS]
    for name in unknown:
        plan.errors.append(RowError(1, name, _("Unknown column.")))
    for required in ("day", "status"):
        if required not in columns:
            plan.errors.append(RowError(1, required, _("This column is required.")))
    if not {"participant_id", "email", "name"} & set(columns):
        plan.errors.append(
            RowError(
                1, "participant_id", _("Give participant_id, email or name to identify people.")
            )
        )
    if plan.errors:
        return

    people = enrolled_rows(training_session)
    plan.names = {row.enrolment_id: row for row in people}
    by_id = {str(row.participant_id): row for row in people}
    by_email = {row.email.lower(): row for row in people if row.email}
    by_name: dict[str, list[RollCallRow]] = {}
    for row in people:
        by_name.setdefault(normalise_name(row.full_name), []).append(row)
    session_days = set(training_session.days)
    seen_at: dict[tuple[int, date], int] = {}

    for number, cells in table.records():
        plan.rows_read += 1
        errors_before = len(plan.errors)

        code = cells.get("session_code", "")
        if code and code.casefold() != training_session.code.casefold():
            plan.errors.append(
                RowError(
                    number,
                    "session_code",
                    _("This row is for session %(code)s, not this one.", code=code),
                )
            )

        person = _find_person(number, cells, by_id, by_email, by_name, plan.errors)

        day = None
        raw_day = cells.get("day", "")
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            plan.errors.append(
                RowError(number, "day", _("%(value)r is not a date (YYYY-MM-DD).", value=raw_day))
            )
        else:
            if day not in session_days:
                plan.errors.append(
                    RowError(number, "day", _("%(day)s is outside the session.", day=raw_day))
                )
                day = None
            elif reason := day_not_started(training_session, day):
                plan.errors.append(RowError(number, "day", reason))
                day = None

        raw_status = cells.get("status", "").lower()
        status = SHORT_STATUSES.get(raw_status, raw_status)
        if raw_status and status not in STATUSES:
            plan.errors.append(
                RowError(
                    number,
                    "status",
                    _(
                        "%(value)r is not a status (present, late, excused or absent).",
                        value=cells.get("status", ""),
                    ),
                )
            )

        if len(plan.errors) > errors_before or person is None or day is None:
            continue
        if not raw_status:
            plan.blank_status += 1
            continue
        key = (person.enrolment_id, day)
        if key in seen_at and plan.entries[key] != status:
            plan.errors.append(
                RowError(
                    number,
                    "status",
                    _(
                        "Row %(other)d gives this person another status on the same day.",
                        other=seen_at[key],
                    ),
                )
            )
            continue
        seen_at.setdefault(key, number)
        plan.entries[key] = status


def _find_person(
    number: int,
    cells: dict[str, str],
    by_id: dict[str, RollCallRow],
    by_email: dict[str, RollCallRow],
    by_name: dict[str, list[RollCallRow]],
    errors: list[RowError],
) -> RollCallRow | None:
    participant_id = cells.get("participant_id", "")
    email = cells.get("email", "").lower()
    name = cells.get("name", "")
    if participant_id:
        person = by_id.get(participant_id)
        if person is None:
            errors.append(
                RowError(number, "participant_id", _("No enrolled participant has this number."))
            )
        return person
    if email:
        person = by_email.get(email)
        if person is None:
            errors.append(RowError(number, "email", _("No enrolled participant has this email.")))
        return person
    if name:
        matches = by_name.get(normalise_name(name), [])
        if len(matches) == 1:
            return matches[0]
        reason = (
            _("Several enrolled participants have this name; give participant_id.")
            if matches
            else _("No enrolled participant has this name.")
        )
        errors.append(RowError(number, "name", reason))
        return None
    errors.append(
        RowError(number, "participant_id", _("Give participant_id, email or name for this row."))
    )
    return None


def _existing(training_session: TrainingSession) -> dict[tuple[int, date], AttendanceRecord]:
    return {
        (record.enrolment_id, record.day): record
        for record in db.session.scalars(
            select(AttendanceRecord)
            .join(Enrolment, AttendanceRecord.enrolment_id == Enrolment.id)
            .where(Enrolment.training_session_id == training_session.id)
        )
    }


def _count_changes(training_session: TrainingSession, plan: UploadPlan) -> None:
    existing = _existing(training_session)
    for key, status in plan.entries.items():
        record = existing.get(key)
        if record is None:
            plan.to_create += 1
        elif record.status != status:
            plan.to_update += 1
        else:
            plan.unchanged += 1


def _scope(training_session: TrainingSession, user: User) -> dict:
    return {"training_session_id": training_session.id, "user_id": user.id}


def preview_upload(
    training_session: TrainingSession, filename: str, content: bytes, user: User
) -> tuple[UploadPlan, str | None]:
    """Check a paper roll, writing nothing, and keep it while the trainer chooses and confirms.

    A file with good rows, or a CSV that another encoding may read, is kept; return the plan
    and the kept file's token (None when nothing in it can be recorded in any reading).
    """
    return PENDING.preview(
        filename,
        content,
        _scope(training_session, user),
        lambda name, data: plan_upload(training_session, name, data),
        ok=lambda plan: bool(plan.entries) or plan.encoding is not None,
    )


def confirm_upload(
    training_session: TrainingSession, token: str, actor: User, choices: ImportChoices
) -> tuple[UploadPlan, bool]:
    """Read the kept roll again as chosen and record it; return the plan and whether it was.

    Nothing is recorded when the trainer asked to read it again, or rows have problems and were
    not left out by choice; the file then stays kept for the next choice.
    """

    def apply(filename: str, content: bytes) -> tuple[UploadPlan, bool]:
        plan = plan_upload(training_session, filename, content, choices.encoding)
        plan.skip_bad_rows = choices.skip_bad_rows
        if choices.reread or not plan.can_apply(choices.skip_bad_rows):
            return plan, False
        _record(training_session, plan, actor)
        audit.record(
            "import.roll_call",
            actor=actor,
            target=training_session,
            details={"created": plan.to_create, "updated": plan.to_update},
        )
        return plan, True

    _filename, applied = PENDING.confirm(
        token, _scope(training_session, actor), apply, used=lambda applied: applied[1]
    )
    return applied


def _record(training_session: TrainingSession, plan: UploadPlan, actor: User) -> None:
    """Write the plan's good rows (the bad ones were left out by choice, or there were none)."""
    check_can_take_roll(training_session)
    existing = _existing(training_session)
    now = utcnow()
    for (enrolment_id, day), status in plan.entries.items():
        record = existing.get((enrolment_id, day))
        if record is None:
            db.session.add(
                AttendanceRecord(
                    enrolment_id=enrolment_id,
                    day=day,
                    status=status,
                    recorded_by_id=actor.id,
                    recorded_at=now,
                )
            )
        elif record.status != status:
            record.status = status
            record.recorded_by_id = actor.id
            record.recorded_at = now
    db.session.flush()
    recompute_if_completed(training_session)
