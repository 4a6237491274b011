"""Participant list uploads (CSV or XLSX): parse, check every row, preview, then apply at once.

Columns (header row, any order, case-insensitive, or one of the ALIASES people write):
name, latin_name, email, country, organisation, agency_type, job_title, gender, language,
supervisor_name, supervisor_email (whom the follow-ups also ask about the person's work).
Only name and country are required. A row whose name and country match a person with another
email is a conflict the uploader decides (same person: the file's email and organisation
replace the directory's; different person: a new record). A file with bad rows is applied
only when the uploader chooses to leave them out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.audit import services as audit
from app.enrolment import services
from app.enrolment.labels import parse_agency_type, parse_gender, parse_language
from app.enrolment.models import AgencyType, Enrolment, EnrolmentStatus, Participant
from app.enrolment.names import normalise_name
from app.extensions import db
from app.scheduling.models import TrainingSession
from app.shared.countries import lookup_country
from app.shared.imports import (
    Column,
    ImportChoices,
    PendingFiles,
    RowError,
    bad_row_count,
    read_table,
)
from app.shared.spreadsheets import ENCODINGS, Limits, SpreadsheetError

COLUMNS = (
    "name",
    "latin_name",
    "email",
    "country",
    "organisation",
    "agency_type",
    "job_title",
    "gender",
    "language",
    "supervisor_name",
    "supervisor_email",
)
# The headings people write for each column, in the languages the lists come in.
ALIASES = {
    "name": (
        "full name",
        "participant",
        "nom",
        "nom complet",
        "nombre",
        "nombre completo",
        "nome",
        "الاسم",
        "имя",
        "фио",
    ),
    "latin_name": ("name in latin letters", "latin name", "transliteration"),
    "email": (
        "e-mail",
        "email address",
        "e-mail address",
        "mail",
        "courriel",
        "adresse électronique",
        "correo",
        "correo electrónico",
        "البريد الإلكتروني",
    ),
    "country": ("country of service", "pays", "país", "البلد", "страна"),
    "organisation": (
        "organization",
        "agency",
        "unit",
        "organisme",
        "organización",
        "institution",
        "institución",
    ),
    "agency_type": ("agency type", "type of agency", "sector", "type d'organisme"),
    "job_title": ("rank", "position", "function", "fonction", "grade", "cargo", "puesto"),
    "gender": ("sex", "sexe", "sexo", "genre", "género"),
    "language": ("preferred language", "langue", "idioma", "lengua"),
    "supervisor_name": (
        "supervisor",
        "supervisor name",
        "supervisor's name",
        "supérieur",
        "supérieur hiérarchique",
        "nom du supérieur",
        "nombre del supervisor",
        "jefe",
        "المشرف",
    ),
    "supervisor_email": (
        "supervisor email",
        "supervisor's email",
        "supervisor e-mail",
        "courriel du supérieur",
        "e-mail du supérieur",
        "correo del supervisor",
        "correo electrónico del supervisor",
        "بريد المشرف",
    ),
}
REQUIRED = ("name", "country")
SAME_PERSON, OTHER_PERSON = "same", "new"
MAX_ROWS = 2000
MAX_LENGTH = 200


@dataclass
class UploadRow:
    """A valid row, with the person it matches and what will happen to it."""

    row: int
    data: dict
    match: Participant | None = None
    match_by: str | None = None  # "email" or "name"
    existing_status: str | None = None
    # A person with this name and country but another email, and what the uploader decided.
    conflict: Participant | None = None
    decision: str | None = None  # SAME_PERSON or OTHER_PERSON

    @property
    def already_enrolled(self) -> bool:
        """Return whether the person already holds a place or a waitlist slot."""
        return self.existing_status in services.HOLDING_PLACE


@dataclass
class UploadPreview:
    """Everything the preview page shows; nothing has been written yet."""

    filename: str
    rows: list[UploadRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    columns_read: list[Column] = field(default_factory=list)
    encoding: str | None = None  # a CSV's codec; None for XLSX
    skip_bad_rows: bool = False
    encodings = ENCODINGS

    @property
    def valid(self) -> bool:
        """Return whether the whole file can be applied."""
        return not self.errors and bool(self.rows)

    @property
    def bad_rows(self) -> int:
        """Return how many rows have a problem (a row may have several)."""
        return bad_row_count(self.errors)

    @property
    def conflicts(self) -> list[UploadRow]:
        """Return the rows whose person the uploader must decide on."""
        return [row for row in self.rows if row.conflict is not None]

    @property
    def undecided(self) -> list[UploadRow]:
        """Return the conflicts still waiting for a decision."""
        return [row for row in self.conflicts if row.decision is None]

    def can_apply(self, skip_bad_rows: bool = False) -> bool:
        """Return whether applying is allowed: all rows good, or bad ones left out by choice."""
        return bool(self.rows) and not self.undecided and (skip_bad_rows or not self.errors)

    @property
    def to_add(self) -> int:
        """Return how many rows will be enrolled or waitlisted."""
        return sum(1 for row in self.rows if not row.already_enrolled)


@dataclass
class UploadChoices(ImportChoices):
    """The shared choices (encoding, leaving bad rows out) plus a decision for each conflict."""

    decisions: dict[int, str] = field(default_factory=dict)  # row number -> SAME/OTHER_PERSON

    @classmethod
    def from_form(cls, form: Mapping[str, str]) -> UploadChoices:
        """Read the preview form: the shared choices and the person-<row> decisions."""
        decisions = {
            int(key.removeprefix("person-")): value
            for key, value in form.items()
            if key.startswith("person-")
            and key.removeprefix("person-").isdigit()
            and value in (SAME_PERSON, OTHER_PERSON)
        }
        return cls(**vars(ImportChoices.from_form(form)), decisions=decisions)


@dataclass
class UploadSummary:
    """What applying the upload did."""

    created: int = 0
    matched: int = 0
    enrolled: int = 0
    waitlisted: int = 0
    already: int = 0
    skipped: int = 0  # bad rows left out by choice

    def sentence(self) -> str:
        """Say what applying did, for the message after confirmation."""
        text = _(
            "%(enrolled)d enrolled, %(waitlisted)d waitlisted, %(already)d already enrolled; "
            "%(created)d new people, %(matched)d matched in the directory.",
            **asdict(self),
        )
        if self.skipped:
            text += " " + ngettext(
                "%(num)d row with problems was left out.",
                "%(num)d rows with problems were left out.",
                self.skipped,
            )
        return text


def _limits() -> Limits:
    return Limits(
        max_rows=MAX_ROWS,
        max_unpacked_bytes=current_app.config["SPREADSHEET_MAX_UNPACKED_BYTES"],
    )


def _read(
    filename: str, content: bytes, preview: UploadPreview, encoding: str | None
) -> list[tuple[int, dict[str, str]]]:
    """Return (row number, {column: text}) for each non-empty data row of a CSV or XLSX file.

    The preview learns the encoding read and which heading became which column.
    """
    table = read_table(
        filename, content, _limits(), fields=COLUMNS, aliases=ALIASES, encoding=encoding
    )
    preview.encoding, preview.columns_read = table.encoding, table.columns_read
    _check_header(table.header)
    return [
        (number, {name: " ".join(text.split()) for name, text in cells.items()})
        for number, cells in table.records()
    ]


def _check_header(header: list[str]) -> None:
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        raise SpreadsheetError(
            _(
                "Row 1: unknown column(s) %(names)s. Expected columns: %(expected)s.",
                names=", ".join(unknown),
                expected=", ".join(COLUMNS),
            )
        )
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise SpreadsheetError(
            _("Row 1: the required column(s) %(names)s are missing.", names=", ".join(missing))
        )
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise SpreadsheetError(
            _("Row 1: column(s) %(names)s appear twice.", names=", ".join(repeated))
        )


def _check_row(number: int, cells: dict[str, str], errors: list[RowError]) -> dict | None:
    """Return participant fields for a row, or None after adding its errors."""
    found: list[RowError] = []

    def fail(column: str, message: str) -> None:
        found.append(RowError(number, column, message))

    for column in ("name", "latin_name", "organisation", "job_title", "supervisor_name"):
        if len(cells.get(column, "")) > MAX_LENGTH:
            fail(column, _("Longer than %(n)d characters.", n=MAX_LENGTH))
    name = cells.get("name", "")
    if not name:
        fail("name", _("The name is missing."))
    country_text = cells.get("country", "")
    country_code = lookup_country(country_text)
    if not country_text:
        fail("country", _("The country is missing."))
    elif country_code is None:
        fail(
            "country",
            _(
                "Unknown country “%(value)s”; use an ISO code (KE, KEN) or the English name.",
                value=country_text,
            ),
        )
    email = cells.get("email", "")
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            fail("email", _("“%(value)s” is not a valid email address.", value=email))
    agency_text = cells.get("agency_type", "")
    agency = parse_agency_type(agency_text) if agency_text else AgencyType.OTHER.value
    if agency is None:
        fail(
            "agency_type",
            _(
                "Unknown agency type “%(value)s”; use one of %(codes)s.",
                value=agency_text,
                codes=", ".join(code.value for code in AgencyType),
            ),
        )
    gender_text = cells.get("gender", "")
    gender = parse_gender(gender_text) if gender_text else None
    if gender_text and gender is None:
        fail(
            "gender",
            _(
                "Unknown gender “%(value)s”; use female, male, other or undisclosed.",
                value=gender_text,
            ),
        )
    supervisor_email = cells.get("supervisor_email", "")
    if supervisor_email:
        try:
            supervisor_email = validate_email(
                supervisor_email, check_deliverability=False
            ).normalized.lower()
        except EmailNotValidError:
            fail(
                "supervisor_email",
                _("“%(value)s” is not a valid email address.", value=supervisor_email),
            )
    language_text = cells.get("language", "")
    language = parse_language(language_text) if language_text else None
    if language_text and language is None:
        fail("language", _("Unknown language “%(value)s”.", value=language_text))
    if found:
        errors.extend(found)
        return None
    return {
        "full_name": name,
        "latin_name": cells.get("latin_name") or None,
        "email": email or None,
        "country_code": country_code,
        "organisation": cells.get("organisation", ""),
        "agency_type": agency,
        "job_title": cells.get("job_title", ""),
        "gender": gender,
        "preferred_language": language,
        "supervisor_name": cells.get("supervisor_name") or None,
        "supervisor_email": supervisor_email or None,
    }


def parse_upload(
    filename: str,
    content: bytes,
    training_session: TrainingSession,
    choices: UploadChoices | None = None,
) -> UploadPreview:
    """Check the whole file and match its people, as the uploader chose; write nothing."""
    choices = choices or UploadChoices()
    preview = UploadPreview(filename=filename, skip_bad_rows=choices.skip_bad_rows)
    try:
        table = _read(filename, content, preview, choices.encoding)
    except SpreadsheetError as exc:
        preview.errors.append(RowError(1, "", str(exc)))
        return preview
    if not table:
        preview.errors.append(RowError(2, "", _("The file has a header but no people.")))
        return preview
    seen_emails: dict[str, int] = {}
    seen_people: dict[tuple[str, str], int] = {}
    for number, cells in table:
        data = _check_row(number, cells, preview.errors)
        if data is None:
            continue
        key = (normalise_name(data["full_name"]), data["country_code"])
        if data["email"] and data["email"] in seen_emails:
            preview.errors.append(
                RowError(
                    number,
                    "email",
                    _("Same email as row %(row)d.", row=seen_emails[data["email"]]),
                )
            )
            continue
        if key in seen_people:
            preview.errors.append(
                RowError(number, "name", _("Same person as row %(row)d.", row=seen_people[key]))
            )
            continue
        if data["email"]:
            seen_emails[data["email"]] = number
        seen_people[key] = number
        row = UploadRow(number, data, decision=choices.decisions.get(number))
        problems = len(preview.errors)
        _match(row, preview.errors)
        if len(preview.errors) == problems:
            preview.rows.append(row)
    _attach_statuses(preview.rows, training_session)
    return preview


def _match(row: UploadRow, errors: list[RowError]) -> None:
    """Find the existing person: by email first, else by normalised name and country.

    A name-and-country match holding another email is a conflict: the person is matched only
    when the uploader said it is the same person.
    """
    data = row.data
    if data["email"]:
        person = db.session.scalar(select(Participant).where(Participant.email == data["email"]))
        if person is not None:
            row.match, row.match_by = person, "email"
            return
    people = db.session.scalars(
        select(Participant).where(
            Participant.name_key == normalise_name(data["full_name"]),
            Participant.country_code == data["country_code"],
        )
    ).all()
    if len(people) > 1:
        errors.append(
            RowError(
                row.row,
                "name",
                _(
                    "Matches %(n)d people in the directory; merge them first.",
                    n=len(people),
                ),
            )
        )
    elif people:
        person = people[0]
        if data["email"] and person.email and person.email != data["email"]:
            row.conflict = person
            if row.decision != SAME_PERSON:
                return
        row.match, row.match_by = person, "name"


def _attach_statuses(rows: list[UploadRow], training_session: TrainingSession) -> None:
    ids = [row.match.id for row in rows if row.match is not None]
    if not ids:
        return
    statuses = dict(
        db.session.execute(
            select(Enrolment.participant_id, Enrolment.status).where(
                Enrolment.training_session_id == training_session.id,
                Enrolment.participant_id.in_(ids),
            )
        ).all()
    )
    for row in rows:
        if row.match is not None:
            row.existing_status = statuses.get(row.match.id)


def apply_upload(
    preview: UploadPreview,
    training_session: TrainingSession,
    actor,
    skip_bad_rows: bool = False,
) -> UploadSummary:
    """Create or match every good person and enrol them; the caller commits or rolls back as one.

    Rows with problems are left out only when skip_bad_rows says so; else nothing is applied.
    """
    if preview.undecided:
        raise services.EnrolmentError(
            _("Say for each row that matches someone with another email whether it is them.")
        )
    if not preview.can_apply(skip_bad_rows):
        raise services.EnrolmentError(_("The file has errors; nothing was saved."))
    summary = UploadSummary(skipped=preview.bad_rows)
    for row in preview.rows:
        person = row.match
        if person is None:
            person = services.create_participant(row.data)
            summary.created += 1
        else:
            summary.matched += 1
            _complete(person, row)
        if row.already_enrolled:
            summary.already += 1
            continue
        enrolment = services.add_directly(person, training_session, actor)
        if enrolment.status == EnrolmentStatus.ENROLLED:
            summary.enrolled += 1
        else:
            summary.waitlisted += 1
    db.session.flush()
    return summary


def _complete(person: Participant, row: UploadRow) -> None:
    """Fill the person's empty fields from the row; the same person confirmed takes its email."""
    for key in (
        "latin_name",
        "organisation",
        "job_title",
        "gender",
        "preferred_language",
    ):
        if not getattr(person, key) and row.data.get(key):
            setattr(person, key, row.data[key])
    if not person.supervisor_email and row.data.get("supervisor_email"):
        # A supervisor's name and email travel together, never one person's name with another's.
        person.supervisor_name = row.data.get("supervisor_name") or None
        person.supervisor_email = row.data["supervisor_email"]
    if row.conflict is not None:
        # The uploader said the file is right: its organisation and (unless the email is the
        # person's login) its email replace the directory's.
        if row.data["organisation"]:
            person.organisation = row.data["organisation"]
        if person.user is None:
            person.email = row.data["email"]
    elif not person.email and row.data["email"]:
        person.email = row.data["email"]


# --- Keeping the file between preview and confirmation ------------------------------------

PENDING = PendingFiles("enrolment", services.EnrolmentError)


def _scope(training_session_id: int, user_id: int) -> dict:
    return {"training_session_id": training_session_id, "user_id": user_id}


def preview_upload(
    filename: str, content: bytes, training_session: TrainingSession, user
) -> tuple[UploadPreview, str | None]:
    """Check a list, writing nothing, and keep it while the uploader chooses and confirms.

    A file with good rows, or a CSV that another encoding may read, is kept; return the
    preview and the kept file's token (None when the file cannot be read at all).
    """
    return PENDING.preview(
        filename,
        content,
        _scope(training_session.id, user.id),
        lambda name, data: parse_upload(name, data, training_session),
        ok=lambda preview: bool(preview.rows) or preview.encoding is not None,
    )


def confirm_upload(
    token: str,
    training_session: TrainingSession,
    actor,
    choices: UploadChoices | None = None,
) -> tuple[UploadPreview, UploadSummary | None]:
    """Read the kept list again as chosen, against today's directory, and apply it.

    The summary is None when nothing was applied: the uploader asked to read it again, a
    conflict waits for a decision, or rows have problems and were not left out by choice;
    the file then stays kept.
    """
    choices = choices or UploadChoices()

    def apply(filename: str, content: bytes) -> tuple[UploadPreview, UploadSummary | None]:
        preview = parse_upload(filename, content, training_session, choices)
        if choices.reread or not preview.can_apply(choices.skip_bad_rows):
            return preview, None
        summary = apply_upload(preview, training_session, actor, choices.skip_bad_rows)
        audit.record(
            "import.participants",
            actor=actor,
            training_session=training_session,
            details=asdict(summary),
            personal={"filename": filename},
        )
        return preview, summary

    _filename, applied = PENDING.confirm(
        token,
        _scope(training_session.id, actor.id),
        apply,
        used=lambda applied: applied[1] is not None,
    )
    return applied
