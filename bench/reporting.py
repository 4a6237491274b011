"""Benchmark the reach dashboard, the API and the PDF report on 300,000 enrolments.

Builds 100,000 participants, 300,000 enrolments and 5,000 sessions with bulk inserts, then
times, alternately in one run: the dashboard cold (cache emptied: new filters), warm (cached),
the floor (bench/_reach_floor.py: one plain SQL statement per table the page shows) and
rendering the page from figures already computed; prints cold/floor and warm/render-only
(targets at most 2x), the API against its own SQL, the PDF board report (target < 5 s) and the
page's bytes plain and compressed. BENCH_REPORTING_SCALE=0.3 builds a smaller database.
Runs on SQLite, and on PostgreSQL when BENCH_POSTGRES_URL is set (a database URL the bench may
fill) or when the PostgreSQL 15 binaries are installed (a throwaway server is started).
Run it alone with:  .venv/bin/python -m bench reporting
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench import _reach_floor

SCALE = float(os.environ.get("BENCH_REPORTING_SCALE", "1"))  # smaller for a quick look
PARTICIPANTS = int(100_000 * SCALE)
ENROLMENTS = 3 * PARTICIPANTS
SESSIONS = max(50, int(5_000 * SCALE))
RUNS = 3
SEED = 20260501
TARGET_RATIO = 2.0
TARGET_PDF_SECONDS = 5.0
CHUNK = 20_000


def _chunks(rows: list[dict], size: int = CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _build(engine) -> None:
    """Fill an empty schema with the bench data using executemany inserts."""
    from sqlalchemy import insert

    from app.curriculum.models import Course, CourseModule, CourseVersion
    from app.enrolment.models import Enrolment, Participant
    from app.extensions import db
    from app.reporting.regions import country_regions
    from app.scheduling.models import (
        PartnerOrganisation,
        TrainingSession,
        training_session_partners,
    )

    rng = random.Random(SEED)
    now = datetime.now(UTC)
    countries = sorted(country_regions())
    hosts = countries[::2]
    db.metadata.create_all(engine)
    today = date.today()
    with engine.begin() as connection:
        for number in range(1, 6):
            connection.execute(
                insert(Course),
                [
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
                    }
                ],
            )
            connection.execute(
                insert(CourseVersion),
                [
                    {
                        "id": number,
                        "course_id": number,
                        "number": 1,
                        "label": "1.0",
                        "content_hash": "",
                        "created_at": now,
                    }
                ],
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
        sessions = []
        for n in range(1, SESSIONS + 1):
            roll = rng.random()
            if roll < 0.9:
                status, start = "completed", date(2015, 1, 1) + timedelta(days=rng.randrange(3800))
            elif roll < 0.95:
                status, start = "cancelled", date(2016, 1, 1) + timedelta(days=rng.randrange(3000))
            else:
                status = rng.choice(["open", "draft"])
                start = today + timedelta(days=rng.randrange(1, 400))
            course = 1 + n % 5
            sessions.append(
                {
                    "id": n,
                    "code": f"S-{n:05d}",
                    "course_id": course,
                    "course_version_id": course,
                    "host_country": rng.choice(hosts),
                    "city": "City",
                    "venue": "",
                    "start_date": start,
                    "end_date": start + timedelta(days=4),
                    "timezone": "UTC",
                    "language": "en",
                    "capacity": 80,
                    "status": status,
                    "notes": "",
                    "imported": status == "completed" and n % 3 == 0,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        for chunk in _chunks(sessions):
            connection.execute(insert(TrainingSession), chunk)
        connection.execute(
            insert(training_session_partners),
            [{"training_session_id": n, "partner_id": 1 + n % 20} for n in range(1, SESSIONS + 1)],
        )
        people = [
            {
                "id": n,
                "full_name": f"Person {n}",
                "name_key": f"person {n}",
                "country_code": rng.choice(countries),
                "organisation": f"Agency {n % 300}",
                "agency_type": rng.choice(["police", "prosecution", "judiciary", "ngo", "other"]),
                "job_title": "",
                "gender": rng.choice(["female", "male", None, "female"]),
                "created_at": now,
                "updated_at": now,
            }
            for n in range(1, PARTICIPANTS + 1)
        ]
        for chunk in _chunks(people):
            connection.execute(insert(Participant), chunk)
        per_person = ENROLMENTS // PARTICIPANTS
        enrolments = []
        for person in people:
            for session_id in rng.sample(range(1, SESSIONS + 1), per_person):
                moved = rng.random() < 0.1
                enrolments.append(
                    {
                        "training_session_id": session_id,
                        "participant_id": person["id"],
                        "status": "enrolled",
                        "country_code": rng.choice(countries) if moved else person["country_code"],
                        "organisation": person["organisation"],
                        "agency_type": person["agency_type"],
                        "completed": rng.random() < 0.8,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        for chunk in _chunks(enrolments):
            connection.execute(insert(Enrolment), chunk)


def _log(message: str) -> None:
    if os.environ.get("BENCH_VERBOSE"):
        print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def _median_seconds(*actions, runs: int = RUNS) -> list[float]:
    """Time each action's median, alternating them so that machine noise hits them alike."""
    for action in actions:
        action()  # warm up: caches, first-use seeding, connection
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(runs):
        for action, measured in zip(actions, times, strict=True):
            started = time.perf_counter()
            action()
            measured.append(time.perf_counter() - started)
    return [statistics.median(measured) for measured in times]


def _measure(label: str, url: str) -> list[str]:
    from sqlalchemy import create_engine, text

    from app import create_app
    from app.accounts.services import create_api_token, create_user
    from app.extensions import cache, db
    from app.reporting import board_report, queries
    from app.reporting.filters import parse_filters

    engine = create_engine(url)
    started = time.perf_counter()
    _log(f"{label}: building")
    _build(engine)
    _log(f"{label}: built")
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    built = time.perf_counter() - started
    engine.dispose()

    lines = [
        f"[{label}] built {PARTICIPANTS:,} participants, {ENROLMENTS:,} enrolments, "
        f"{SESSIONS:,} sessions in {built:.1f} s"
    ]
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "bench",
                "RATELIMIT_ENABLED": False,
                "OUTBOX_DIR": str(Path(tmp) / "outbox"),
            }
        )
        with app.app_context():
            manager = create_user("bench-manager@example.org", "Bench Manager", {"manager"})
            token = create_api_token(manager, "bench")
            db.session.commit()
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = manager.get_id()
                session["_fresh"] = True
            headers = {"Authorization": f"Bearer {token}"}

            def get(path: str, **kwargs) -> None:
                response = client.get(path, **kwargs)
                assert response.status_code == 200, (path, response.status_code, response.location)

            filters = parse_filters({})
            dialect = db.engine.dialect

            connection = db.engine.raw_connection()

            def bare(parts: tuple[str, ...]):
                """Return a run of the same aggregate statements bare, through the DB-API cursor."""
                sql = [_bare(stmt, dialect) for stmt in queries.statements(filters, parts).values()]
                if parts == queries.DASHBOARD_PARTS:
                    sql.append(_bare(_upcoming_sql(), dialect))

                def execute() -> None:
                    cursor = connection.cursor()
                    for statement, parameters in sql:
                        cursor.execute(statement, parameters)
                        cursor.fetchall()
                    cursor.close()

                return execute

            with db.engine.begin() as setup:
                _reach_floor.prepare(setup)
            floor_sql = _reach_floor.statements(dialect.name)

            def floor() -> None:
                cursor = connection.cursor()
                _reach_floor.run_all(cursor, floor_sql)
                cursor.close()

            def cold() -> None:
                cache.clear()
                get("/reach")

            render = _render_only(app, manager)
            _check_floor(connection, floor_sql)
            _log("dashboard: cold, warm, floor, render-only, its own SQL")
            page_cold, page_warm, page_floor, page_render, page_sql = _median_seconds(
                cold, lambda: get("/reach"), floor, render, bare(queries.DASHBOARD_PARTS)
            )
            _log("API and its SQL")
            cache.clear()
            api, api_sql = _median_seconds(
                lambda: (cache.clear(), get("/api/v1/reports/reach", headers=headers)),
                bare(queries.API_PARTS),
            )
            connection.close()
            _log("PDF")
            (pdf,) = _median_seconds(lambda: board_report.render({"filters": {}}))
            _log("done")
            lines += [
                _ratio_line(label, "reach cold (new filters)", page_cold, page_floor, "floor"),
                _ratio_line(label, "reach warm (cached)", page_warm, page_render, "render-only"),
                f"[{label}] reach cold {page_cold * 1000:.0f} ms, warm {page_warm * 1000:.1f} ms, "
                f"floor {page_floor * 1000:.0f} ms, render-only {page_render * 1000:.1f} ms, "
                f"app's own SQL {page_sql * 1000:.0f} ms",
                _ratio_line(label, "API cold", api, api_sql, "its own SQL"),
                f"[{label}] PDF board report: {pdf:.2f} s (target < {TARGET_PDF_SECONDS:.0f} s)"
                f" {'OK' if pdf < TARGET_PDF_SECONDS else 'SLOW'}",
                *_page_bytes(label, client),
            ]
            db.session.remove()
            db.engine.dispose()
    return lines


def _render_only(app, manager):
    """Return a render of the dashboard from figures already computed (charts included)."""
    from flask import render_template, url_for
    from flask_login import login_user

    from app.reporting import exports, mapdata, views
    from app.reporting.board_report import chart_context
    from app.reporting.filters import parse_filters

    filters = parse_filters({})
    # Its own app context each time: g (Flask-Login's user) is not the test client's.
    with app.app_context(), app.test_request_context("/reach"):
        reach, progress = views._report(filters)
        form = views._filter_context()

    def render() -> None:
        with app.app_context(), app.test_request_context("/reach"):
            login_user(manager)
            sheet = url_for("static", filename=mapdata.SHEET_NAME)
            render_template(
                "reporting/dashboard.html",
                reach=reach,
                progress=progress,
                filters=filters,
                tables=exports.TABLES,
                **chart_context(reach, sheet),
                **form,
            )

    return render


def _check_floor(connection, floor_sql: dict[str, str]) -> None:
    """Make sure the floor computes the app's figures (headline and the by-country table)."""
    from app.reporting import services
    from app.reporting.filters import parse_filters

    cursor = connection.cursor()
    found = _reach_floor.run_all(cursor, floor_sql)
    cursor.close()
    reach = services.compute_reach(parse_filters({}))
    people, countries, hours = found["totals"][0]
    assert (people, countries) == (
        reach.totals["participants_trained"],
        reach.totals["countries_reached"],
    ), (found["totals"], reach.totals)
    assert round(float(hours), 2) == reach.totals["training_hours"]
    assert len(found["by_country"]) == len(reach.by_country)
    assert len(found["by_gender"]) == len(reach.by_gender)


def _page_bytes(label: str, client) -> list[str]:
    """Bytes of the dashboard sent: plain, gzip, brotli; first visit with its static files."""
    import re

    plain = client.get("/reach")
    html = plain.get_data(as_text=True)
    sizes = {
        encoding: len(client.get("/reach", headers={"Accept-Encoding": encoding}).get_data())
        for encoding in ("gzip", "br")
    }
    assets = re.findall(r'(?:href|src)="(/static/[^"#]+)', html)
    first = sizes["br"]
    for url in dict.fromkeys(assets):
        response = client.get(url, headers={"Accept-Encoding": "br"})
        first += len(response.get_data())
        response.close()
    return [
        f"[{label}] dashboard page: {len(plain.get_data()):,} B plain, {sizes['gzip']:,} B gzip, "
        f"{sizes['br']:,} B brotli (before this change: ~202,000 B, nothing compressed)",
        f"[{label}] dashboard transferred: first visit {first:,} B with {len(set(assets))} "
        f"static files (target < 100 KB), repeat visit {sizes['br']:,} B, static files kept "
        "a year (target < 30 KB)",
    ]


def _bare(stmt, dialect) -> tuple[str, tuple | dict]:
    """Compile a statement to the SQL string and parameters the DB-API driver takes."""
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    if compiled.positional:
        return compiled.string, tuple(compiled.params[name] for name in compiled.positiontup)
    return compiled.string, compiled.params


def _upcoming_sql():
    from sqlalchemy import func, select

    from app.reporting.queries import UPCOMING, S

    rank = (
        func.row_number()
        .over(partition_by=S.c.host_country, order_by=(S.c.start_date, S.c.id))
        .label("rank")
    )
    ranked = (
        select(S.c.id, S.c.host_country, S.c.start_date, rank)
        .where(S.c.status.in_(UPCOMING), S.c.start_date >= date.today())
        .subquery()
    )
    return select(ranked).where(ranked.c.rank == 1)


def _ratio_line(
    label: str, what: str, app_seconds: float, sql_seconds: float, baseline: str
) -> str:
    ratio = app_seconds / sql_seconds if sql_seconds else float("inf")
    verdict = "OK" if ratio <= TARGET_RATIO else "SLOW"
    return (
        f"[{label}] {what}: app {app_seconds * 1000:.1f} ms vs {baseline} "
        f"{sql_seconds * 1000:.1f} ms, ratio {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x) {verdict}"
    )


def run() -> list[str]:
    """Measure on SQLite, then on PostgreSQL when one is configured or can be started."""
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        lines += _measure("sqlite", f"sqlite:///{Path(tmp) / 'reach.db'}")
    url = os.environ.get("BENCH_POSTGRES_URL")
    if url:
        lines += _measure("postgresql", url)
        return lines
    from tests.pg import ThrowawayPostgres

    if not ThrowawayPostgres.available():
        lines.append("[postgresql] skipped: set BENCH_POSTGRES_URL or install PostgreSQL 15")
        return lines
    server = ThrowawayPostgres()
    base = server.start()
    try:
        from sqlalchemy import create_engine, text

        admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE bench_reach"))
        admin.dispose()
        lines += _measure("postgresql", f"{base}/bench_reach")
    finally:
        server.stop()
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
