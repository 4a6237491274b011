"""The bench databases: built once per size and kept under bench/data/ (git ignores it).

A size names the enrolments ("300k", "3m"); a third as many participants, one session for
every 60 enrolments. Rows are generated in chunks of CHUNK people with their enrolments and
loaded with executemany (SQLite) or COPY (PostgreSQL), the tables' secondary indexes dropped
during the load and built after it, so memory stays bounded and 3 million rows take two to
three minutes. A table `bench_built` is written last: a database without it (an interrupted build,
an older BUILD) is built again. PostgreSQL runs as a throwaway server whose data folder is kept
in bench/data/pg, so the next run starts it on the databases already there.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
SIZES = {"300k": 300_000, "3m": 3_000_000}
BUILD = 1  # bump when the generated data changes: kept databases are then built again
SEED = 20260501
CHUNK = 20_000  # people (and their enrolments) generated and loaded at a time
PASSWORD = "bench-password-1234"  # noqa: S105 - the bench's own accounts on loopback


@dataclass(frozen=True)
class Size:
    """How many rows a bench database holds."""

    name: str
    enrolments: int

    @property
    def participants(self) -> int:
        return self.enrolments // 3

    @property
    def sessions(self) -> int:
        return max(50, self.enrolments // 60)

    def describe(self) -> str:
        return (
            f"{self.participants:,} participants, {self.enrolments:,} enrolments, "
            f"{self.sessions:,} sessions"
        )


def sizes(names: list[str] | None) -> list[Size]:
    """Return the sizes named (every size when none is)."""
    wanted = names or list(SIZES)
    unknown = [name for name in wanted if name not in SIZES]
    if unknown:
        raise SystemExit(f"unknown size {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    return [Size(name, SIZES[name]) for name in wanted]


def log(message: str) -> None:
    """Print progress to stderr when BENCH_VERBOSE is set."""
    if os.environ.get("BENCH_VERBOSE"):
        print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def bench_user(email: str, name: str, roles: set[str]):
    """Return the bench's account with these roles, created the first time (password PASSWORD)."""
    from app.accounts.services import create_user, find_user_by_email
    from app.extensions import db

    user = find_user_by_email(email) or create_user(email, name, roles, PASSWORD)
    db.session.commit()
    return user


def bench_manager():
    """Return the bench's manager account and a new API token of theirs."""
    from app.accounts.services import create_api_token
    from app.extensions import db

    manager = bench_user("bench-manager@example.org", "Bench Manager", {"manager"})
    token = create_api_token(manager, "bench")
    db.session.commit()
    return manager, token


def sqlite_url(size: Size) -> tuple[str, float | None]:
    """Return the kept SQLite database of this size, and its build time if built now."""
    DATA_DIR.mkdir(exist_ok=True)
    path = DATA_DIR / f"reach-{size.name}-v{BUILD}.db"
    url = f"sqlite:///{path}"
    if _built(url):
        _catch_up(url)
        return url, None
    path.unlink(missing_ok=True)
    return url, _build(url, size)


@contextmanager
def postgres() -> Iterator[str | None]:
    """Yield a PostgreSQL URL prefix: BENCH_POSTGRES_URL's server, or the kept throwaway one."""
    given = os.environ.get("BENCH_POSTGRES_URL")
    if given:
        yield given.rsplit("/", 1)[0]
        return
    from tests.pg import ThrowawayPostgres

    if not ThrowawayPostgres.available():
        yield None
        return
    server = ThrowawayPostgres(directory=DATA_DIR / "pg")
    base = server.start()
    try:
        yield base
    finally:
        server.stop()


def postgres_url(base: str, size: Size) -> tuple[str, float | None]:
    """Return the kept PostgreSQL database of this size, and its build time if built now."""
    from sqlalchemy import create_engine, text

    name = f"bench_reach_{size.name}_v{BUILD}"
    url = f"{base}/{name}"
    if _built(url):
        _catch_up(url)
        return url, None
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return url, _build(url, size)


def _built(url: str) -> bool:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return False
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT build FROM bench_built")).scalar() == BUILD
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def _catch_up(url: str) -> None:
    """Give a kept database the tables, columns and indexes the models gained since it was built.

    New columns are added empty (their server default, if any): the bench's rows do not use
    them, and building 3 million enrolments again for a new column would take minutes.
    """
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.schema import CreateIndex

    from app import create_app
    from app.extensions import db

    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    engine = create_engine(url)
    try:
        db.metadata.create_all(engine)
        inspector = inspect(engine)
        with engine.begin() as connection:
            for table in db.metadata.sorted_tables:
                present = {column["name"] for column in inspector.get_columns(table.name)}
                for column in table.columns:
                    if column.name in present:
                        continue
                    kind = column.type.compile(dialect=engine.dialect)
                    default = getattr(column.server_default, "arg", None)
                    if isinstance(default, str):
                        default = f"'{default}'"
                    extra = f" DEFAULT {getattr(default, 'text', default)}" if default else ""
                    log(f"adding {table.name}.{column.name} to {url}")
                    connection.execute(
                        text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}{extra}")
                    )
            # An index a migration added since (IF NOT EXISTS: reflection misses expression
            # indexes on SQLite, so checkfirst would create one twice).
            for table in db.metadata.sorted_tables:
                for index in table.indexes:
                    connection.execute(CreateIndex(index, if_not_exists=True))
    finally:
        engine.dispose()


def _build(url: str, size: Size) -> float:
    """Create the schema and fill it; return the seconds it took."""
    from sqlalchemy import create_engine, text

    from app import create_app
    from app.enrolment.models import Enrolment, Participant
    from app.extensions import db

    started = time.perf_counter()
    log(f"building {size.describe()} at {url}")
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    engine = create_engine(url)  # the app has registered every model's table by now
    db.metadata.create_all(engine)
    indexed = [*Enrolment.__table__.indexes, *Participant.__table__.indexes]
    with engine.begin() as connection:
        for index in indexed:
            index.drop(connection)
        _fill(connection, size)
        for index in indexed:
            index.create(connection)
        connection.execute(text("CREATE TABLE bench_built (build INTEGER)"))
        connection.execute(text("INSERT INTO bench_built VALUES (:build)"), {"build": BUILD})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()
    seconds = time.perf_counter() - started
    log(f"built in {seconds:.0f} s")
    return seconds


def _fill(connection, size: Size) -> None:
    """Insert courses, partners, sessions, then people and their enrolments chunk by chunk."""
    from sqlalchemy import insert

    from app.curriculum.models import Course, CourseModule, CourseVersion
    from app.scheduling.models import PartnerOrganisation, training_session_partners
    from app.shared.regions import country_regions

    rng = random.Random(SEED)
    now = datetime.now(UTC)
    countries = sorted(country_regions())
    for number in range(1, 6):
        connection.execute(
            insert(Course),
            {
                "id": number,
                "slug": f"course-{number}",
                "code": f"C{number}",
                "title": f"Course {number}",
                "summary": "",
                "audiences": [],
                "languages": ["en"],
                "certificate": {},
                "source_file": "x.yaml",
                "updated_at": now,
            },
        )
        connection.execute(
            insert(CourseVersion),
            {
                "id": number,
                "course_id": number,
                "number": 1,
                "label": "1.0",
                "content_hash": "",
                "created_at": now,
            },
        )
        connection.execute(
            insert(CourseModule),
            [
                {
                    "course_version_id": number,
                    "position": k,
                    "slug": f"m{k}",
                    "title": f"Module {k}",
                    "hours": 2 + k,
                    "objectives": [],
                    "legal_traditions": ["all"],
                }
                for k in range(4)
            ],
        )
    connection.execute(
        insert(PartnerOrganisation), [{"id": n, "name": f"Partner {n}"} for n in range(1, 21)]
    )
    # The DB-API takes the timestamps as they are: SQLite's column holds them naive (UTC).
    stamp = now if connection.dialect.name == "postgresql" else now.replace(tzinfo=None)
    _copy(connection, "training_sessions", SESSION_COLUMNS, _sessions(rng, size, countries, stamp))
    connection.execute(
        insert(training_session_partners),
        [{"training_session_id": n, "partner_id": 1 + n % 20} for n in range(1, size.sessions + 1)],
    )
    for first in range(1, size.participants + 1, CHUNK):
        last = min(first + CHUNK, size.participants + 1)
        people = [_person(rng, n, countries, stamp) for n in range(first, last)]
        _copy(connection, "participants", PERSON_COLUMNS, people)
        _copy(
            connection, "enrolments", ENROLMENT_COLUMNS, _enrolments(rng, size, people, countries)
        )
        log(f"  {last - 1:,} people")


SESSION_COLUMNS = [
    "id",
    "code",
    "course_id",
    "course_version_id",
    "host_country",
    "city",
    "venue",
    "start_date",
    "end_date",
    "timezone",
    "language",
    "capacity",
    "status",
    "notes",
    "imported",
    "created_at",
    "updated_at",
]
PERSON_COLUMNS = [
    "id",
    "full_name",
    "name_key",
    "country_code",
    "organisation",
    "agency_type",
    "job_title",
    "gender",
    "created_at",
    "updated_at",
]
ENROLMENT_COLUMNS = [
    "training_session_id",
    "participant_id",
    "status",
    "country_code",
    "organisation",
    "agency_type",
    "completed",
    "created_at",
    "updated_at",
]
AGENCIES = ("police", "prosecution", "judiciary", "ngo", "other")


def _sessions(rng: random.Random, size: Size, countries: list[str], now: datetime) -> list:
    hosts = countries[::2]
    today = date.today()
    rows = []
    for n in range(1, size.sessions + 1):
        roll = rng.random()
        if roll < 0.9:
            status, start = "completed", date(2011, 1, 1) + timedelta(days=rng.randrange(5300))
        elif roll < 0.95:
            status, start = "cancelled", date(2012, 1, 1) + timedelta(days=rng.randrange(4500))
        else:
            status = rng.choice(["open", "draft"])
            start = today + timedelta(days=rng.randrange(1, 400))
        course = 1 + n % 5
        rows.append(
            (n, f"S-{n:06d}", course, course, rng.choice(hosts), "City", "", start,
             start + timedelta(days=4), "UTC", "en", 80, status, "",
             status == "completed" and n % 3 == 0, now, now)
        )  # fmt: skip
    return rows


def _person(rng: random.Random, n: int, countries: list[str], now: datetime) -> tuple:
    return (
        n, f"Person {n}", f"person {n}", rng.choice(countries), f"Agency {n % 300}",
        rng.choice(AGENCIES), "", rng.choice(["female", "male", None, "female"]), now, now,
    )  # fmt: skip


def _enrolments(rng: random.Random, size: Size, people: list, countries: list[str]) -> list:
    per_person = size.enrolments // size.participants
    now = people[0][-1]
    rows = []
    for person in people:
        for session_id in rng.sample(range(1, size.sessions + 1), per_person):
            moved = rng.random() < 0.1
            rows.append(
                (session_id, person[0], "enrolled", rng.choice(countries) if moved else person[3],
                 person[4], person[5], rng.random() < 0.8, now, now)
            )  # fmt: skip
    return rows


def _copy(connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Load rows fast: COPY on PostgreSQL, one executemany on SQLite."""
    cursor = connection.connection.dbapi_connection.cursor()
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    cursor.close()


# What the list pages page through besides sessions and people, at any size: accounts for a
# fifth of the officers, and some fifteen years of audit trail and outgoing email.
LIST_ROWS = {"users": 20_000, "audit_entries": 300_000, "email_log": 100_000}
AUDIT_ACTIONS = (
    "enrolment.enrolled",
    "attendance.marked",
    "certificate.issued",
    "participant.viewed",
    "session.updated",
)


def fill_lists(url: str) -> None:
    """Give a kept database the accounts, audit entries and emails of LIST_ROWS, once.

    A table `bench_lists` marks it done, so the next run (and the reach benches, which do not
    read these tables) find them there.
    """
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        if inspect(engine).has_table("bench_lists"):
            return
        log(f"adding the lists' rows to {url}")
        rng = random.Random(SEED + 1)
        now = datetime.now(UTC)
        stamp = now if engine.dialect.name == "postgresql" else now.replace(tzinfo=None)
        with engine.begin() as connection:
            first = 1 + (connection.execute(text("SELECT max(id) FROM users")).scalar() or 0)
            people = range(first, first + LIST_ROWS["users"])
            _copy(connection, "users", USER_COLUMNS, [_account(n, stamp) for n in people])
            roles = [(n, "participant") for n in people]
            _copy(connection, "user_roles", ["user_id", "role"], roles)
            _copy(connection, "audit_entries", AUDIT_COLUMNS, _audit(rng, people, stamp))
            _copy(connection, "email_log", EMAIL_COLUMNS, _emails(rng, stamp))
            connection.execute(text("CREATE TABLE bench_lists (done INTEGER)"))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    finally:
        engine.dispose()


USER_COLUMNS = ["id", "email", "name", "active", "created_at", "session_version"]
AUDIT_COLUMNS = [
    "at",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "participant_id",
    "details",
]
EMAIL_COLUMNS = ["to_address", "subject", "template", "state", "attempts", "queued_at"]


def _account(n: int, now: datetime) -> tuple:
    return (n, f"officer{n}@bench.example", f"Officer {n}", True, now - timedelta(days=n % 5000), 1)


def _audit(rng: random.Random, people: range, now: datetime) -> list[tuple]:
    count = LIST_ROWS["audit_entries"]
    return [
        (
            now - timedelta(minutes=count - k),
            rng.choice(people),
            rng.choice(AUDIT_ACTIONS),
            "participant",
            1 + k % 100_000,
            1 + k % 100_000,
            "{}",
        )
        for k in range(count)
    ]


def _emails(rng: random.Random, now: datetime) -> list[tuple]:
    count = LIST_ROWS["email_log"]
    return [
        (
            f"officer{k}@bench.example",
            "Your place in a training session",
            "enrolment_confirmed",
            rng.choice(("sent", "sent", "sent", "failed", "queued")),
            1,
            now - timedelta(minutes=3 * (count - k)),
        )
        for k in range(count)
    ]
