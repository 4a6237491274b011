"""Benchmark the reach dashboard, the API and the PDF report at 300,000 and 3,000,000 enrolments.

Uses the bench databases of bench/_data.py (built once per size, kept in bench/data/), then
times, alternately in one run: the dashboard cold (cache emptied: new filters), warm (cached),
the floor (bench/_reach_floor.py: one plain SQL statement per table the page shows) and
rendering the page from figures already computed; prints cold/floor and warm/render-only
(targets at most 2x), the SQL statements a cold dashboard runs (constant whatever the size),
the API against its own SQL and the PDF board report (target < 5 s).
Runs on SQLite, and on PostgreSQL when BENCH_POSTGRES_URL is set (a server the bench may
create databases on) or when the PostgreSQL 15 binaries are installed (a throwaway server whose
data folder is kept in bench/data/pg).
Run it alone with:  .venv/bin/python -m bench reporting [--size 300k] [--size 3m]
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from sqlalchemy import event

from bench import _data, _reach_floor

RUNS = 3
TARGET_RATIO = 2.0
TARGET_PDF_SECONDS = 5.0


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


def _measure(label: str, url: str, size: _data.Size, built: float | None) -> list[str]:
    from app import create_app
    from app.extensions import cache, db
    from app.reporting import board_report, queries
    from app.reporting.filters import parse_filters

    label = f"{label} {size.name}"
    made = f"built in {built:.1f} s" if built is not None else "kept from an earlier run"
    lines = [f"[{label}] {size.describe()}, {made}"]
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
            manager, token = _data.bench_manager()
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
            cache.clear()
            statements = _count_statements(db.engine, lambda: get("/reach"))
            _check_floor(connection, floor_sql)
            _data.log("dashboard: cold, warm, floor, render-only, its own SQL")
            page_cold, page_warm, page_floor, page_render, page_sql = _median_seconds(
                cold, lambda: get("/reach"), floor, render, bare(queries.DASHBOARD_PARTS)
            )
            _data.log("API and its SQL")
            cache.clear()
            api, api_sql = _median_seconds(
                lambda: (cache.clear(), get("/api/v1/reports/reach", headers=headers)),
                bare(queries.API_PARTS),
            )
            connection.close()
            _data.log("PDF")
            (pdf,) = _median_seconds(lambda: board_report.render({"filters": {}}))
            _data.log("done")
            lines += [
                _ratio_line(label, "reach cold (new filters)", page_cold, page_floor, "floor"),
                _ratio_line(label, "reach warm (cached)", page_warm, page_render, "render-only"),
                f"[{label}] reach cold {page_cold * 1000:.0f} ms, warm {page_warm * 1000:.1f} ms, "
                f"floor {page_floor * 1000:.0f} ms, render-only {page_render * 1000:.1f} ms, "
                f"app's own SQL {page_sql * 1000:.0f} ms",
                _ratio_line(label, "API cold", api, api_sql, "its own SQL"),
                f"[{label}] SQL statements in a cold dashboard request: {statements} "
                "(the same at every size)",
                f"[{label}] PDF board report: {pdf:.2f} s (target < {TARGET_PDF_SECONDS:.0f} s)"
                f" {'OK' if pdf < TARGET_PDF_SECONDS else 'SLOW'}",
            ]
            db.session.remove()
            db.engine.dispose()
    return lines


def _render_only(app, manager):
    """Return the dashboard view run with its reach figures already computed (charts included).

    The view itself renders, so that whatever else the page shows is rendered alike.
    """
    from unittest import mock

    from flask_login import login_user

    from app.reporting import views
    from app.reporting.filters import parse_filters

    # Its own app context each time: g (Flask-Login's user) is not the test client's.
    with app.app_context(), app.test_request_context("/reach"):
        figures = views._report(parse_filters({}))

    def render() -> None:
        with app.app_context(), app.test_request_context("/reach"):
            login_user(manager)
            with mock.patch.object(views, "_report", return_value=figures):
                views.dashboard()

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


def _count_statements(engine, action) -> int:
    """Return how many SQL statements the action sends."""
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


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


def run(sizes: list[str] | None = None) -> Iterator[str]:
    """Measure each size on SQLite, then on PostgreSQL when one is configured or can be started.

    Lines come as each measurement ends: a long run shows its first figures early.
    """
    chosen = _data.sizes(sizes)
    for size in chosen:
        url, built = _data.sqlite_url(size)
        yield from _measure("sqlite", url, size, built)
    with _data.postgres() as base:
        if base is None:
            yield "[postgresql] skipped: set BENCH_POSTGRES_URL or install PostgreSQL 15"
            return
        for size in chosen:
            url, built = _data.postgres_url(base, size)
            yield from _measure("postgresql", url, size, built)
