"""Import past trainings from a CSV or XLSX file, all or nothing, set-based for large files.

One row is one participant in one past session. The import runs in three phases so that
100,000 rows stay fast: parse and validate every row in pure Python, load what already exists
with a few bulk queries, then insert sessions, people and enrolments with bulk INSERTs.
The web page and `flask import history` both call import_history(); nothing commits here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from app.accounts.models import User
from app.audit import services as audit
from app.curriculum.models import Course, CourseVersion
from app.enrolment.bulk import NewPerson, PastEnrolment, insert_past_enrolments, insert_people
from app.enrolment.models import AgencyType, Enrolment, Participant
from app.enrolment.names import normalise_name
from app.extensions import db
from app.scheduling.bulk import PastSession, insert_past_sessions
from app.scheduling.models import SessionStatus, TrainingSession
from app.scheduling.services import is_session_code, session_code_message, session_date_errors
from app.shared import clock, spreadsheets
from app.shared.countries import lookup_country
from app.shared.imports import RowError, bad_row_count, read_table, with_headings
from app.shared.models import utcnow
from app.shared.spreadsheets import ENCODINGS, Limits, Source, SpreadsheetError, safe_row
from app.shared.unit_of_work import DomainError

COLUMNS = (
    "course",
    "session_code",
    "host_country",
    "city",
    "start_date",
    "end_date",
    "name",
    "email",
    "country",
    "organisation",
    "agency_type",
    "completed",
)
# The template's header row, in the language of the manager who downloads it.
HEADINGS = {
    "course": _l("Course"),
    "session_code": _l("Session"),
    "host_country": _l("Host country"),
    "city": _l("City"),
    "start_date": _l("First day"),
    "end_date": _l("Last day"),
    "name": _l("Full name"),
    "email": _l("Email"),
    "country": _l("Country of service"),
    "organisation": _l("Organisation"),
    "agency_type": _l("Agency type"),
    "completed": _l("Completed"),
}
# The headings people write for each column, besides the COLUMNS and the HEADINGS in every
# language (see heading_aliases).
ALIASES = {
    "course": ("course slug", "cours", "curso"),
    "session_code": ("session", "code", "session id"),
    "host_country": ("held in", "host", "pays hôte", "país anfitrión"),
    "city": ("ville", "ciudad", "venue"),
    "start_date": ("start", "from", "date de début", "fecha de inicio"),
    "end_date": ("end", "to", "date de fin", "fecha de fin"),
    "name": ("full name", "participant", "nom", "nombre"),
    "email": ("e-mail", "email address", "courriel", "correo", "correo electrónico"),
    "country": ("country of service", "pays", "país"),
    "organisation": ("organization", "agency", "organisme", "organización"),
    "agency_type": ("agency type", "sector"),
    "completed": ("completion", "passed", "terminé", "completado"),
}
EXTENSIONS = spreadsheets.EXTENSIONS
MAX_SHOWN_ERRORS = 200
MAX_SHOWN_SESSIONS = 100
TRUE_WORDS = frozenset({"yes", "true", "1"})
FALSE_WORDS = frozenset({"no", "false", "0"})
AGENCY_TYPES = frozenset(agency.value for agency in AgencyType)
# Bound parameters per IN list: below SQLite's and PostgreSQL's limits, and index-friendly.
CHUNK = 900
INSERT_BATCH = 5000
# A worker checking a large file tells its progress every so many rows.
CHECK_PROGRESS_ROWS = 10_000
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
# Column sizes of the models; longer values would fail at INSERT time on PostgreSQL.
MAX_LENGTHS = {
    "session_code": 40,
    "city": 120,
    "name": 200,
    "email": 254,
    "organisation": 200,
}


COUNTS = (
    "rows",
    "sessions_created",
    "sessions_matched",
    "people_created",
    "people_matched",
    "enrolments_created",
    "enrolments_present",
    "duplicate_rows",
)


class HistoryImportError(DomainError):
    """A problem with the whole file (unreadable, wrong type, missing columns)."""


@dataclass
class SessionLine:
    """A session found in the file, shown in the preview."""

    code: str
    course_title: str
    host_country: str
    city: str
    start_date: date
    end_date: date
    rows: int
    exists: bool


@dataclass
class ImportReport:
    """What an import found and did; counts are meaningful only when there are no errors."""

    filename: str
    rows: int = 0
    sessions_created: int = 0
    sessions_matched: int = 0
    people_created: int = 0
    people_matched: int = 0
    enrolments_created: int = 0
    enrolments_present: int = 0
    duplicate_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    sessions: list[SessionLine] = field(default_factory=list)
    written: bool = False
    encoding: str | None = None  # a CSV's codec; None for XLSX
    skipped_rows: int = 0  # rows with problems left out by choice; the counts are the others'
    encodings = ENCODINGS

    @property
    def ok(self) -> bool:
        """Return whether the file is valid as a whole."""
        return not self.errors

    @property
    def usable(self) -> bool:
        """Return whether the counts hold: a valid file, or its bad rows left out by choice."""
        return self.ok or self.skipped_rows > 0

    @property
    def bad_rows(self) -> int:
        """Return how many rows have a problem."""
        return bad_row_count(self.errors)

    def may_choose(self) -> bool:
        """Return whether the preview is kept for a choice: import it, leave rows out, reread."""
        if self.ok:
            return bool(self.created)
        return self.encoding is not None or self.rows > self.bad_rows

    @property
    def shown_errors(self) -> list[RowError]:
        """Return the errors worth listing on a page; the rest are only counted."""
        return self.errors[:MAX_SHOWN_ERRORS]

    @property
    def hidden_error_count(self) -> int:
        """Return how many errors are not listed."""
        return max(0, len(self.errors) - MAX_SHOWN_ERRORS)

    @property
    def created(self) -> int:
        """Return how many records the import creates (or created)."""
        return self.sessions_created + self.people_created + self.enrolments_created

    def counts(self) -> dict[str, int]:
        """Return what was created and matched, as kept with an import run by a worker."""
        return {name: getattr(self, name) for name in COUNTS}

    def summary_lines(self) -> list[str]:
        """Return the counts as sentences, for the command line and flash messages."""
        lines = [
            _(
                "Sessions: %(created)d created, %(matched)d matched.",
                created=self.sessions_created,
                matched=self.sessions_matched,
            ),
            _(
                "People: %(created)d created, %(matched)d matched.",
                created=self.people_created,
                matched=self.people_matched,
            ),
            _(
                "Enrolments: %(created)d created, %(present)d already present.",
                created=self.enrolments_created,
                present=self.enrolments_present,
            ),
        ]
        if self.duplicate_rows:
            lines.append(
                ngettext(
                    "%(num)d repeated row ignored.",
                    "%(num)d repeated rows ignored.",
                    self.duplicate_rows,
                )
            )
        return lines


@dataclass(slots=True)
class _Row:
    """A validated row, ready for matching."""

    row: int
    course_slug: str
    code: str
    host_country: str
    city: str
    start_date: date
    end_date: date
    full_name: str
    name_key: str
    email: str | None
    country: str
    organisation: str
    agency_type: str
    completed: bool


@dataclass(slots=True)
class _CourseInfo:
    course_id: int
    version_id: int | None
    title: str


# ---------------------------------------------------------------------------- reading files


def _limits() -> Limits:
    config = current_app.config
    return Limits(
        max_rows=config["HISTORY_IMPORT_MAX_ROWS"],
        max_unpacked_bytes=config["HISTORY_IMPORT_MAX_UNPACKED_BYTES"],
    )


def check_filename(filename: str) -> str:
    """Return the file's lower-case extension, refusing anything but CSV and XLSX."""
    try:
        return spreadsheets.check_filename(filename)
    except SpreadsheetError as exc:
        raise HistoryImportError(
            _("%(name)s is not a CSV or XLSX file.", name=filename or _("The file"))
        ) from exc


def check_file(filename: str, source: Source) -> None:
    """Refuse at once a file that is unreadable, too big as a whole, or lacks columns.

    Only the archive's directory, the declared size and the header are read: a large file's
    rows are then checked by a worker.
    """
    next(_rows(filename, source), None)


def heading_aliases() -> dict[str, tuple[str, ...]]:
    """Return the headings read as each column: ALIASES and the template's in every language."""
    return with_headings(ALIASES, HEADINGS)


def _rows(
    filename: str,
    source: Source,
    encoding: str | None = None,
    report: ImportReport | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, the values of COLUMNS in order) of each non-blank row of the file.

    A CSV is read in `encoding`, else the one detected; the report learns which.
    """
    check_filename(filename)
    try:
        table = read_table(
            filename,
            source,
            _limits(),
            fields=COLUMNS,
            aliases=heading_aliases(),
            encoding=encoding,
        )
        if report is not None:
            report.encoding = table.encoding
        missing = [column for column in COLUMNS if column not in table.header]
        if missing:
            raise HistoryImportError(
                ngettext(
                    "The file lacks the column %(names)s.",
                    "The file lacks the columns %(names)s.",
                    len(missing),
                    names=", ".join(missing),
                )
            )
        yield from table.columns(COLUMNS)
    except SpreadsheetError as exc:
        raise HistoryImportError(str(exc)) from exc


def course_slugs() -> list[str]:
    """Return the slugs of the courses a file may name (those with a version), for the help."""
    return list(
        db.session.scalars(
            select(Course.slug)
            .where(Course.id.in_(select(CourseVersion.course_id)))
            .order_by(Course.slug)
        )
    )


def template_csv() -> str:
    """Return a ready template: the header and an example row for each existing course.

    The rows pass the import as they are, so a manager sees the format work, then replaces them.
    The header is in the reader's language; the values stay codes, ISO dates and yes/no.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(HEADINGS[column]) for column in COLUMNS])
    courses = db.session.execute(
        select(Course.slug, Course.code)
        .where(Course.id.in_(select(CourseVersion.course_id)))
        .order_by(Course.slug)
    ).all()
    for number, (slug, code) in enumerate(courses, start=1):
        writer.writerow(
            safe_row(
                [
                    slug,
                    f"{code}-2019-KE-{number:02d}",
                    "KE",
                    "Nairobi",
                    "2019-03-04",
                    "2019-03-08",
                    "Amina Njeri",
                    f"amina.njeri{number}@police.example",
                    "Kenya",
                    "National Police Service",
                    "police",
                    "yes",
                ]
            )
        )
    # A byte-order mark lets spreadsheet programs open Arabic or Thai names correctly.
    return "\ufeff" + out.getvalue()


# ---------------------------------------------------------------------------- validating


class _Validator:
    """Check each row's values, remembering conversions that repeat across rows."""

    def __init__(self, courses: dict[str, _CourseInfo]) -> None:
        self.courses = courses
        self.errors: list[RowError] = []
        self._dates: dict[str, date | None] = {}
        self._countries: dict[str, str | None] = {}
        self._names: dict[str, tuple[str, str]] = {}
        self._windows: dict[tuple[date | None, date | None], dict[str, str]] = {}
        self._today = clock.today_in(None)  # imported sessions are kept in UTC

    def error(self, row: int, column: str, message: str) -> None:
        """Record an invalid value."""
        self.errors.append(RowError(row, column, message))

    def date(self, row: int, column: str, text: str) -> date | None:
        """Parse an ISO date (YYYY-MM-DD)."""
        if text in self._dates:
            value = self._dates[text]
        else:
            value = None
            if ISO_DATE.fullmatch(text):
                try:
                    value = date.fromisoformat(text)
                except ValueError:
                    value = None
            self._dates[text] = value
        if value is None:
            if text:
                self.error(row, column, _("“%(value)s” is not a date (YYYY-MM-DD).", value=text))
            else:
                self.error(row, column, _("A date is required."))
        return value

    def window(self, start: date | None, end: date | None) -> dict[str, str]:
        """Return the messages for dates outside the plausible window, once per date pair."""
        key = (start, end)
        if key not in self._windows:
            self._windows[key] = session_date_errors(start, end, self._today)
        return self._windows[key]

    def country(self, row: int, column: str, text: str) -> str | None:
        """Look up a country given as alpha-2, alpha-3 or English name."""
        if text not in self._countries:
            self._countries[text] = lookup_country(text)
        code = self._countries[text]
        if code is None:
            if text:
                self.error(row, column, _("Unknown country “%(value)s”.", value=text))
            else:
                self.error(row, column, _("A country is required."))
        return code

    def name(self, text: str) -> tuple[str, str]:
        """Return the name with spaces collapsed and its matching key."""
        found = self._names.get(text)
        if found is None:
            full_name = " ".join(text.split())
            found = (full_name, normalise_name(full_name))
            self._names[text] = found
        return found

    def row(self, number: int, values: Sequence[str]) -> _Row | None:
        """Validate one row's values (in COLUMNS order); None when any is invalid."""
        (
            slug,
            code,
            host_text,
            city,
            start_text,
            end_text,
            name_text,
            email,
            country_text,
            organisation,
            agency_text,
            completed_text,
        ) = values
        before = len(self.errors)
        course = self.courses.get(slug.lower())
        if course is None:
            if slug:
                self.error(number, "course", _("Unknown course “%(value)s”.", value=slug))
            else:
                self.error(number, "course", _("A course slug is required."))
        elif course.version_id is None:
            self.error(number, "course", _("Course “%(value)s” has no version yet.", value=slug))
        if not code:
            self.error(number, "session_code", _("A session code is required."))
        elif not is_session_code(code):
            self.error(number, "session_code", session_code_message())
        host_country = self.country(number, "host_country", host_text)
        start = self.date(number, "start_date", start_text)
        end = self.date(number, "end_date", end_text)
        if start and end and end < start:
            self.error(number, "end_date", _("The end date is before the start date."))
        for column, message in self.window(start, end).items():
            self.error(number, column, message)
        full_name, name_key = self.name(name_text)
        if not name_key:
            self.error(number, "name", _("A name is required."))
        if email:
            email = email.lower()
            if not EMAIL.fullmatch(email):
                self.error(number, "email", _("“%(value)s” is not an email address.", value=email))
        country = self.country(number, "country", country_text)
        agency = agency_text.lower().replace(" ", "_").replace("-", "_") or AgencyType.OTHER.value
        if agency not in AGENCY_TYPES:
            self.error(
                number,
                "agency_type",
                _(
                    "Unknown agency type “%(value)s”; use one of %(codes)s.",
                    value=agency_text,
                    codes=", ".join(kind.value for kind in AgencyType),
                ),
            )
        completed_word = completed_text.lower()
        if completed_word not in TRUE_WORDS and completed_word not in FALSE_WORDS:
            self.error(
                number,
                "completed",
                _(
                    "“%(value)s” is not one of yes, no, true, false, 1, 0.",
                    value=completed_text,
                ),
            )
        for column, text in (
            ("session_code", code),
            ("city", city),
            ("name", full_name),
            ("email", email),
            ("organisation", organisation),
        ):
            if len(text) > MAX_LENGTHS[column]:
                self.error(
                    number,
                    column,
                    _("Longer than %(max)d characters.", max=MAX_LENGTHS[column]),
                )
        if len(self.errors) > before:
            return None
        return _Row(
            number,
            slug.lower(),
            code.upper(),  # mx-2021-01 and MX-2021-01 are one session
            host_country,
            " ".join(city.split()),
            start,
            end,
            full_name,
            name_key,
            email or None,
            country,
            " ".join(organisation.split()),
            agency,
            completed_word in TRUE_WORDS,
        )


def _load_courses() -> dict[str, _CourseInfo]:
    """Map every course slug to its id, current version and title (a small table)."""
    courses = {
        slug.lower(): _CourseInfo(course_id, None, title)
        for course_id, slug, title in db.session.execute(
            select(Course.id, Course.slug, Course.title)
        )
    }
    by_id = {info.course_id: info for info in courses.values()}
    # Ordered by number, so the last version seen for a course is its current one.
    for course_id, version_id in db.session.execute(
        select(CourseVersion.course_id, CourseVersion.id).order_by(
            CourseVersion.course_id, CourseVersion.number
        )
    ):
        if course_id in by_id:
            by_id[course_id].version_id = version_id
    return courses


def _parse(
    rows: Iterable[tuple[int, list[str]]],
    validator: _Validator,
    on_checked: Callable[[int], None] | None = None,
) -> tuple[list[_Row], int]:
    """Validate every row; return the valid ones and the number of non-empty rows."""
    parsed: list[_Row] = []
    count = 0
    for number, values in rows:
        count += 1
        row = validator.row(number, values)
        if row is not None:
            parsed.append(row)
        if on_checked is not None and count % CHECK_PROGRESS_ROWS == 0:
            on_checked(count)
    return parsed, count


# ---------------------------------------------------------------------------- matching


def _chunks(values: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class _SessionPlan:
    code: str
    first: _Row
    rows: int = 0
    existing_id: int | None = None


def _plan_sessions(
    parsed: list[_Row], courses: dict[str, _CourseInfo], validator: _Validator
) -> dict[str, _SessionPlan]:
    """Group rows by session code, check they agree, and match codes already in the database."""
    plans: dict[str, _SessionPlan] = {}
    for row in parsed:
        plan = plans.get(row.code)
        if plan is None:
            plans[row.code] = plan = _SessionPlan(row.code, row)
        plan.rows += 1
        first = plan.first
        differs = [
            column
            for column, same in (
                ("course", row.course_slug == first.course_slug),
                ("host_country", row.host_country == first.host_country),
                ("start_date", row.start_date == first.start_date),
                ("end_date", row.end_date == first.end_date),
            )
            if not same
        ]
        if differs:
            validator.error(
                row.row,
                "session_code",
                _(
                    "Session %(code)s differs from row %(first)d in %(columns)s.",
                    code=row.code,
                    first=first.row,
                    columns=", ".join(differs),
                ),
            )
    codes = list(plans)
    course_slugs = {info.course_id: slug for slug, info in courses.items()}
    for chunk in _chunks(codes):
        for session_id, code, course_id, host, start, end, status in db.session.execute(
            select(
                TrainingSession.id,
                TrainingSession.code,
                TrainingSession.course_id,
                TrainingSession.host_country,
                TrainingSession.start_date,
                TrainingSession.end_date,
                TrainingSession.status,
            ).where(func.upper(TrainingSession.code).in_(chunk))
        ):
            plan = plans[code.upper()]
            plan.existing_id = session_id
            first = plan.first
            differs = [
                column
                for column, same in (
                    ("course", course_slugs.get(course_id) == first.course_slug),
                    ("host_country", host == first.host_country),
                    ("start_date", start == first.start_date),
                    ("end_date", end == first.end_date),
                )
                if not same
            ]
            if differs:
                validator.error(
                    first.row,
                    "session_code",
                    _(
                        "Session %(code)s already exists with a different %(columns)s.",
                        code=code,
                        columns=", ".join(differs),
                    ),
                )
            elif status != SessionStatus.COMPLETED:
                validator.error(
                    first.row,
                    "session_code",
                    _(
                        "Session %(code)s already exists and is not completed (%(status)s).",
                        code=code,
                        status=status,
                    ),
                )
    return plans


@dataclass
class _PeoplePlan:
    """Each row's person: an existing participant id, or a negative number for a new person."""

    person_of_row: list[int]
    new_people: dict[int, dict]
    matched: set[int]


def _plan_people(parsed: list[_Row]) -> _PeoplePlan:
    """Match people by email, else by normalised name and country, else plan to create them."""
    emails = sorted({row.email for row in parsed if row.email})
    name_keys = sorted({row.name_key for row in parsed})
    by_email: dict[str, int] = {}
    # (name_key, country) -> first person with that name; and the first one without an email,
    # who may be the same person as a row that brings an email.
    by_name: dict[tuple[str, str], int] = {}
    by_name_without_email: dict[tuple[str, str], int] = {}
    for chunk in _chunks(emails):
        for person_id, email in db.session.execute(
            select(Participant.id, Participant.email).where(Participant.email.in_(chunk))
        ):
            by_email[email] = person_id
    for chunk in _chunks(name_keys):
        for person_id, email, name_key, country in db.session.execute(
            select(
                Participant.id, Participant.email, Participant.name_key, Participant.country_code
            )
            .where(Participant.name_key.in_(chunk))
            .order_by(Participant.id)
        ):
            key = (name_key, country)
            by_name.setdefault(key, person_id)
            if email is None:
                by_name_without_email.setdefault(key, person_id)

    new_people: dict[int, dict] = {}
    matched: set[int] = set()
    person_of_row: list[int] = []
    for row in parsed:
        key = (row.name_key, row.country)
        if row.email:
            person = by_email.get(row.email)
            if person is None:
                # A known person without an email is taken to be this one, once; a second
                # email with the same name then makes a different person.
                person = by_name_without_email.pop(key, None)
                if person is not None:
                    by_email[row.email] = person
                    if person < 0:
                        new_people[person]["email"] = row.email
        else:
            person = by_name.get(key)
        if person is None:
            person = -(len(new_people) + 1)
            new_people[person] = {
                "full_name": row.full_name,
                "name_key": row.name_key,
                "email": row.email,
                "country_code": row.country,
                "organisation": row.organisation,
                "agency_type": row.agency_type,
            }
            by_name.setdefault(key, person)
            if row.email:
                by_email[row.email] = person
            else:
                by_name_without_email.setdefault(key, person)
        elif person > 0:
            matched.add(person)
        person_of_row.append(person)
    return _PeoplePlan(person_of_row, new_people, matched)


def _existing_enrolments(session_ids: list[int]) -> set[tuple[int, int]]:
    """Return the (session id, participant id) pairs already enrolled in these sessions."""
    pairs: set[tuple[int, int]] = set()
    for chunk in _chunks(session_ids):
        pairs.update(
            (session_id, person_id)
            for session_id, person_id in db.session.execute(
                select(Enrolment.training_session_id, Enrolment.participant_id).where(
                    Enrolment.training_session_id.in_(chunk)
                )
            )
        )
    return pairs


# ---------------------------------------------------------------------------- the import


def _plan(
    parsed: list[_Row], courses: dict[str, _CourseInfo], validator: _Validator
) -> tuple[dict[str, _SessionPlan], _PeoplePlan, dict[tuple[str, int], _Row], int]:
    """Match the valid rows' sessions and people; return them, the enrolments and repeats."""
    sessions = _plan_sessions(parsed, courses, validator)
    people = _plan_people(parsed)
    enrolments: dict[tuple[str, int], _Row] = {}
    repeated = 0
    for row, person in zip(parsed, people.person_of_row, strict=True):
        pair = (row.code, person)
        earlier = enrolments.get(pair)
        if earlier is None:
            enrolments[pair] = row
        elif earlier.completed == row.completed:
            repeated += 1
        else:
            validator.error(
                row.row,
                "completed",
                _(
                    "The same person is in session %(code)s on row %(first)d with a different "
                    "completion.",
                    code=row.code,
                    first=earlier.row,
                ),
            )
    return sessions, people, enrolments, repeated


def import_history(
    filename: str,
    data: Source,
    *,
    write: bool = False,
    actor_id: int | None = None,
    on_chunk: Callable[[int], None] | None = None,
    on_checked: Callable[[int], None] | None = None,
    encoding: str | None = None,
    skip_bad_rows: bool = False,
) -> ImportReport:
    """Validate a history file and, when write is set and it is valid, add what is missing.

    data is the file's bytes or the open file (read a line at a time). on_checked, when
    given, is called with the number of rows checked every CHECK_PROGRESS_ROWS rows. on_chunk,
    when given, is called with the number of rows done (already recorded or just written)
    before the first chunk and after each one; a job commits there to keep its progress.
    Writing again after a partial run adds only what is still missing. A CSV is read in
    `encoding` (else the one detected); with skip_bad_rows the rows with problems are left
    out (the report still lists them) and the others are counted and written.
    """
    report = ImportReport(filename=PurePath(filename or "").name)
    rows = _rows(filename, data, encoding, report)
    courses = _load_courses()
    validator = _Validator(courses)
    parsed, report.rows = _parse(rows, validator, on_checked)
    if not report.rows:
        raise HistoryImportError(_("The file has no rows below its header."))
    sessions, people, enrolments, report.duplicate_rows = _plan(parsed, courses, validator)
    # Rows are checked one by one first, then across rows; list the errors in file order.
    report.errors = sorted(validator.errors, key=lambda error: error.row)
    if report.errors and skip_bad_rows:
        bad = {error.row for error in report.errors}
        kept = [row for row in parsed if row.row not in bad]
        again = _Validator(courses)
        sessions, people, enrolments, report.duplicate_rows = _plan(kept, courses, again)
        if kept and not again.errors and not bad & {0, 1}:
            report.skipped_rows = len(bad)
    if not report.usable:
        return report
    existing_sessions = {
        plan.existing_id: code for code, plan in sessions.items() if plan.existing_id
    }

    present = _existing_enrolments(list(existing_sessions))
    present_pairs = {(existing_sessions[session_id], person) for session_id, person in present}
    new_enrolments = [(pair, row) for pair, row in enrolments.items() if pair not in present_pairs]
    report.sessions_matched = len(existing_sessions)
    report.sessions_created = len(sessions) - report.sessions_matched
    report.people_created = len(people.new_people)
    report.people_matched = len(people.matched)
    report.enrolments_created = len(new_enrolments)
    report.enrolments_present = len(enrolments) - len(new_enrolments)
    report.sessions = [
        SessionLine(
            code=plan.code,
            course_title=courses[plan.first.course_slug].title,
            host_country=plan.first.host_country,
            city=plan.first.city,
            start_date=plan.first.start_date,
            end_date=plan.first.end_date,
            rows=plan.rows,
            exists=plan.existing_id is not None,
        )
        for plan in list(sessions.values())[:MAX_SHOWN_SESSIONS]
    ]
    if write:
        _write(
            sessions,
            people,
            new_enrolments,
            courses,
            _Writing(actor_id, report.filename, report.rows - len(new_enrolments), on_chunk),
        )
        report.written = True
    return report


@dataclass
class _Writing:
    """Who writes, from which file, and whom to tell how many rows are done."""

    actor_id: int | None
    filename: str
    done: int
    on_chunk: Callable[[int], None] | None

    def advance(self, rows: int) -> None:
        self.done += rows
        if self.on_chunk is not None:
            self.on_chunk(self.done)


def record_import(report: ImportReport, actor: User | None) -> None:
    """Add the import to the audit trail, in the transaction that keeps its rows."""
    audit.record(
        "import.history",
        actor=actor,
        details={"rows": report.rows, "enrolments_created": report.enrolments_created},
        personal={"filename": report.filename},
    )


def _write(
    sessions: dict[str, _SessionPlan],
    people: _PeoplePlan,
    new_enrolments: list[tuple[tuple[str, int], _Row]],
    courses: dict[str, _CourseInfo],
    writing: _Writing,
) -> None:
    """Insert new enrolments a chunk at a time, each after the sessions and people it needs.

    Every chunk is whole in itself (its sessions, people and enrolments), so a run stopped
    between two chunks leaves only complete rows, which the next run matches and skips.
    """
    now = utcnow()
    session_ids = {code: plan.existing_id for code, plan in sessions.items() if plan.existing_id}
    # New people come back without order guarantees; each is known by its email, or else by
    # its name key and country (unique among the new people without email).
    person_ids: dict[int, int] = {}
    temporary = {_person_key(values): key for key, values in people.new_people.items()}
    writing.advance(0)
    for chunk in _chunks(new_enrolments, INSERT_BATCH):
        codes = dict.fromkeys(code for (code, _person), _row in chunk if code not in session_ids)
        session_ids.update(
            _insert_sessions([sessions[code] for code in codes], courses, writing, now)
        )
        new_people = dict.fromkeys(
            person for (_code, person), _row in chunk if person < 0 and person not in person_ids
        )
        person_ids.update(
            _insert_people([people.new_people[person] for person in new_people], temporary, now)
        )
        insert_past_enrolments(
            [
                PastEnrolment(
                    session_ids[code],
                    person_ids.get(person, person),
                    row.country,
                    row.organisation,
                    row.agency_type,
                    row.completed,
                )
                for (code, person), row in chunk
            ],
            now,
        )
        writing.advance(len(chunk))


def _insert_sessions(
    plans: list[_SessionPlan], courses: dict[str, _CourseInfo], writing: _Writing, now: datetime
) -> dict[str, int]:
    """Have scheduling insert these sessions; return their ids by code."""
    return insert_past_sessions(
        [
            PastSession(
                code=plan.code,
                course_id=courses[plan.first.course_slug].course_id,
                course_version_id=courses[plan.first.course_slug].version_id,
                host_country=plan.first.host_country,
                city=plan.first.city,
                start_date=plan.first.start_date,
                end_date=plan.first.end_date,
                capacity=max(plan.rows, 1),
                notes=f"Imported from {writing.filename}.",
                created_by_id=writing.actor_id,
            )
            for plan in plans
        ],
        now,
    )


def _insert_people(
    people: list[dict], temporary: dict[tuple, int], now: datetime
) -> dict[int, int]:
    """Have enrolment insert these new people; return their ids by their planned numbers."""
    ids = {}
    for person_id, email, name_key, country in insert_people(
        [NewPerson(**values) for values in people], now
    ):
        key = {"email": email, "name_key": name_key, "country_code": country}
        ids[temporary[_person_key(key)]] = person_id
    return ids


def _person_key(values: dict) -> tuple:
    if values["email"]:
        return ("email", values["email"])
    return ("name", values["name_key"], values["country_code"])
