"""Benchmark a 200,000-row history import through the web, checked and written by workers.

Figures (targets from issue 12): the upload request accepts the file at once (keeps it,
commits, queues the check); the check job and, after the confirm request, the write job run
each in a fresh process, as a worker would (app.jobs.runner.run), so that ru_maxrss is the
worker's own; its peak stays under 500 MB. The floor is the same rows through csv.reader,
dicts and sqlite3 executemany (bench/history.floor), and the ratio is the two jobs' time over
the floor's. The web requests go through the test client with the app's real limits, and the
jobs they queue are caught instead of being sent to Redis.
Run it alone with:  .venv/bin/python -m bench history_jobs   (or: python -m bench.history_jobs
[ROWS], e.g. 20000 first)
"""

from __future__ import annotations

import io
import multiprocessing
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import history

ROWS = 200_000
TARGET_MB = 500
REQUEST_TARGET = 1.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _app(url: str, folder: str, queued: list):
    from app import create_app
    from app.jobs import services as job_services

    job_services._enqueue = lambda func_path, args, kwargs, **options: queued.append(
        (func_path, args)
    )
    return create_app(
        {
            "TESTING": True,
            "JOBS_SYNC": False,
            "REDIS_URL": "redis://bench.invalid/0",  # never reached: _enqueue is caught
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "UPLOAD_DIR": f"{folder}/uploads",
        }
    )


def _signed_in_client(app):
    from sqlalchemy import select

    from app.accounts.models import User
    from app.extensions import db
    from tests import factories

    with app.app_context():
        manager = db.session.scalar(select(User)) or factories.make_user(roles=("manager",))
        manager_id = manager.get_id()
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = manager_id
        session["_fresh"] = True
    return client


def _upload(csv_path: str, url: str, folder: str) -> dict:
    """Post the file as a manager's browser would; return the time and the queued job."""
    queued: list = []
    app = _app(url, folder, queued)
    client = _signed_in_client(app)
    data = Path(csv_path).read_bytes()
    started = time.perf_counter()
    response = client.post(
        "/history/import",
        data={"file": (io.BytesIO(data), "history.csv")},
        content_type="multipart/form-data",
    )
    seconds = time.perf_counter() - started
    if response.status_code != 302 or len(queued) != 1:
        raise RuntimeError(f"the upload answered {response.status_code}, {queued}")
    return {"seconds": seconds, "job": queued[0], "page": response.headers["Location"]}


def _confirm(url: str, folder: str, import_id: int) -> dict:
    queued: list = []
    app = _app(url, folder, queued)
    client = _signed_in_client(app)
    started = time.perf_counter()
    response = client.post(f"/history/imports/{import_id}/confirm")
    seconds = time.perf_counter() - started
    if response.status_code != 302 or len(queued) != 1:
        raise RuntimeError(f"the confirm request answered {response.status_code}, {queued}")
    return {"seconds": seconds, "job": queued[0]}


def _work(url: str, folder: str, job: tuple) -> dict:
    """Run one queued job as a worker would, in this fresh process; return time and memory."""
    from app.extensions import db
    from app.history.models import HistoryImport
    from app.jobs import runner

    app = _app(url, folder, [])
    func_path, args = job
    base_mb = _peak_mb()
    started = time.perf_counter()
    with app.app_context():
        runner.run(func_path, *args)
    seconds = time.perf_counter() - started
    with app.app_context():
        record = db.session.get(HistoryImport, args[0])
        result = {"state": record.state, "done": record.done, "errors": record.errors[:3]}
        db.session.remove()
        with db.engine.connect() as connection:
            result["counts"] = history._counts(connection.connection.dbapi_connection)
    return {**result, "seconds": seconds, "base_mb": base_mb, "peak_mb": _peak_mb()}


def run(rows: int = ROWS) -> list[str]:
    """Generate the file, import it through the web and workers, and return printable lines."""
    # The history bench's generator, scaled: 25 rows per session, 0.6 distinct people per row.
    history.ROWS, history.SESSIONS, history.PEOPLE = rows, rows // 25, rows * 6 // 10
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="bench-history-jobs-") as folder:
        csv_path = Path(folder) / "history.csv"
        history.generate(csv_path)
        template = history.create_database(Path(folder) / "template.db")[len("sqlite:///") :]
        database, floor_db = Path(folder) / "web.db", Path(folder) / "floor.db"
        shutil.copy(template, database)
        shutil.copy(template, floor_db)
        url = f"sqlite:///{database}"

        def fresh(function, *args):
            with context.Pool(1) as pool:
                return pool.apply(function, args)

        floor = fresh(history.floor, str(csv_path), str(floor_db), history._country_codes())
        upload = fresh(_upload, str(csv_path), url, folder)
        check = fresh(_work, url, folder, upload["job"])
        confirm = fresh(_confirm, url, folder, upload["job"][1][0])
        write = fresh(_work, url, folder, confirm["job"])
        size_mb = csv_path.stat().st_size / 1e6
    jobs_seconds = check["seconds"] + write["seconds"]
    peak = max(check["peak_mb"], write["peak_mb"])
    accepted = "ok" if max(upload["seconds"], confirm["seconds"]) < REQUEST_TARGET else "OVER"
    memory = "ok" if peak < TARGET_MB else "OVER TARGET"
    return [
        f"history import through the web, as jobs: {rows:,} rows ({size_mb:.1f} MB CSV), "
        "SQLite, each job in a fresh process by the worker's entry point",
        f"  upload request (keeps the file, commits, queues the check): "
        f"{upload['seconds'] * 1000:.0f} ms (target < {REQUEST_TARGET:.0f} s): {accepted}",
        f"  check job: {check['seconds']:.2f} s, state {check['state']}, "
        f"peak RSS {check['peak_mb']:.0f} MB",
        f"  confirm request (queues the writing): {confirm['seconds'] * 1000:.0f} ms",
        f"  write job: {write['seconds']:.2f} s, {rows / write['seconds']:,.0f} rows/s, "
        f"state {write['state']}, {write['done']:,} rows done, errors {write['errors']}, "
        f"peak RSS {write['peak_mb']:.0f} MB (worker at start {write['base_mb']:.0f} MB)",
        f"  rows (sessions, people, enrolments): {write['counts']}, floor {floor['counts']}",
        f"  floor (csv.reader + dicts + sqlite3 executemany): {floor['seconds']:.2f} s, "
        f"peak {floor['peak_mb']:.0f} MB",
        f"  jobs {jobs_seconds:.2f} s vs floor {floor['seconds']:.2f} s: "
        f"ratio {jobs_seconds / floor['seconds']:.1f}x; worker peak {peak:.0f} MB "
        f"(target < {TARGET_MB} MB): {memory}",
    ]


if __name__ == "__main__":
    for line in run(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS):
        print(line, flush=True)
