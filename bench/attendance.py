"""Benchmark the roll-call page for a 60-person session against a bare Flask route.

The floor renders the same template from a Python list (no database, no sign-in), through the
same app and test client, so the ratio shows what loading and checking cost on top of
rendering. Target from the issue: at most 3x, and a query count that does not grow with size.
Run it alone with:  .venv/bin/python -m bench.attendance
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import event

PARTICIPANTS = 60
WARMUP = 30
ITERATIONS = 400
TARGET_RATIO = 3


def _build(app) -> tuple[int, int, date, SimpleNamespace, list]:
    """Create a session of PARTICIPANTS people (half already marked) and its bare copy."""
    from app.attendance import services
    from app.extensions import db
    from tests import factories
    from tests.attendance.helpers import make_session

    with app.app_context():
        db.create_all()
        trainer = factories.make_user(roles=("trainer",), name="Bench Trainer")
        ts, enrolments = make_session(
            PARTICIPANTS, days=5, start=date.today() - timedelta(days=2), trainer=trainer
        )
        day = date.today()
        for index, enrolment in enumerate(enrolments):
            if index % 2:
                factories.make_attendance(enrolment, day, "late" if index % 3 else "present")
        db.session.commit()
        rows = services.roll_call_rows(ts, day)
        bare_session = SimpleNamespace(
            id=ts.id,
            code=ts.code,
            status=ts.status,
            days=ts.days,
            course=SimpleNamespace(title=ts.course.title),
        )
        return trainer.id, ts.id, day, bare_session, rows


def _time(pairs: list[tuple[object, str]]) -> list[list[float]]:
    """Time the routes in turn, request by request, so that machine load hits both alike."""
    for client, url in pairs:
        for _ in range(WARMUP):
            assert client.get(url).status_code == 200
    timings: list[list[float]] = [[] for _ in pairs]
    for _ in range(ITERATIONS):
        for index, (client, url) in enumerate(pairs):
            started = time.perf_counter()
            response = client.get(url)
            timings[index].append(time.perf_counter() - started)
            assert response.status_code == 200
    return timings


def run() -> list[str]:
    """Measure the median server time of both routes and count the page's SQL queries."""
    from app import create_app
    from app.attendance.views import render_roll_call
    from app.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.db'}",
                "SECRET_KEY": "bench",
                "RATELIMIT_ENABLED": False,
                "OUTBOX_DIR": str(Path(tmp) / "outbox"),
            }
        )
        state: dict = {}

        @app.get("/_bench/bare-roll-call")
        def bare_roll_call():
            return render_roll_call(state["session"], state["day"], list(state["rows"]))

        user_id, ts_id, day, state["session"], state["rows"] = _build(app)
        state["day"] = day
        page_url = f"/training-sessions/{ts_id}/attendance/{day.isoformat()}"

        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = str(user_id)
            session["_fresh"] = True
        bare_client = app.test_client()

        with app.app_context():
            engine = db.engine
        statements: list[str] = []

        def _count(conn, cursor, statement, *args) -> None:
            statements.append(statement)

        client.get(page_url)
        event.listen(engine, "before_cursor_execute", _count)
        client.get(page_url)
        event.remove(engine, "before_cursor_execute", _count)
        page_queries = len(statements)
        statements.clear()
        event.listen(engine, "before_cursor_execute", _count)
        bare_client.get("/_bench/bare-roll-call")
        event.remove(engine, "before_cursor_execute", _count)
        bare_queries = len(statements)

        page_times, bare_times = _time(
            [(client, page_url), (bare_client, "/_bench/bare-roll-call")]
        )
        page = statistics.median(page_times)
        bare = statistics.median(bare_times)
        with app.app_context():
            db.engine.dispose()

    ratio = page / bare
    verdict = "OK" if ratio <= TARGET_RATIO else "OVER TARGET"
    return [
        f"roll call, {PARTICIPANTS} participants: median {page * 1000:.2f} ms "
        f"({page_queries} SQL queries per request)",
        f"bare Flask route, same template from a Python list: median {bare * 1000:.2f} ms "
        f"({bare_queries} SQL queries)",
        f"ratio {ratio:.2f}x (target <= {TARGET_RATIO}x): {verdict}; "
        f"{ITERATIONS} interleaved requests each after {WARMUP} warm-up",
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
