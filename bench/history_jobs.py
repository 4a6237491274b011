"""Benchmark a 200,000-row history import through the web, run as a job.

Figures (targets from the issue): the confirm request is accepted at once (it records the
import and commits); the job then imports every row; peak memory of the process stays under
500 MB. The preview request (which checks every row before anything is confirmed) is timed
too. The web requests go through the test client; the job the confirm request queues is
caught instead of being sent to Redis and run right after by the worker's own entry point
(app.jobs.runner.run), in a fresh process on a fresh SQLite file, so that ru_maxrss is its own.
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


def _through_the_web(csv_path: str, url: str, folder: str) -> dict:
    """Upload, preview and confirm as a manager's browser would; then run the queued job."""
    from app import create_app
    from app.extensions import db
    from app.history.models import HistoryImport
    from app.jobs import runner
    from app.jobs import services as job_services
    from tests import factories

    queued: list[tuple[str, tuple]] = []
    job_services._enqueue = lambda func_path, args, kwargs, **options: queued.append(
        (func_path, args)
    )
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "UPLOAD_DIR": f"{folder}/uploads",
            "MAX_CONTENT_LENGTH": 256 * 1024 * 1024,
            "PENDING_UPLOADS_MAX_BYTES_PER_USER": 256 * 1000 * 1000,
            "PENDING_UPLOADS_MAX_BYTES": 256 * 1000 * 1000,
        }
    )
    with app.app_context():
        manager_id = factories.make_user(roles=("manager",)).get_id()
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = manager_id
        session["_fresh"] = True
    data = Path(csv_path).read_bytes()
    base_mb = _peak_mb()

    started = time.perf_counter()
    preview = client.post(
        "/history/import",
        data={"file": (io.BytesIO(data), "history.csv")},
        content_type="multipart/form-data",
    )
    preview_seconds = time.perf_counter() - started
    if preview.status_code != 200:
        raise RuntimeError(f"the preview answered {preview.status_code}")
    with client.session_transaction() as session:
        token = session["history_upload"]["token"]
    started = time.perf_counter()
    confirm = client.post("/history/import/confirm", data={"token": token})
    confirm_seconds = time.perf_counter() - started
    if confirm.status_code != 302 or len(queued) != 1:
        raise RuntimeError(f"the confirm request answered {confirm.status_code}, {queued}")

    started = time.perf_counter()
    func_path, args = queued[0]
    with app.app_context():
        runner.run(func_path, *args)
    job_seconds = time.perf_counter() - started
    page = client.get(confirm.headers["Location"])
    with app.app_context():
        record = db.session.get(HistoryImport, args[0])
        result = {
            "state": record.state,
            "done": record.done,
            "total": record.total,
            "errors": record.errors[:3],
            "summary": record.summary,
        }
        db.session.remove()
        with db.engine.connect() as connection:
            result["counts"] = history._counts(connection.connection.dbapi_connection)
    return {
        **result,
        "preview_seconds": preview_seconds,
        "confirm_seconds": confirm_seconds,
        "job_seconds": job_seconds,
        "page_status": page.status_code,
        "base_mb": base_mb,
        "peak_mb": _peak_mb(),
        "size_mb": len(data) / 1e6,
    }


def run(rows: int = ROWS) -> list[str]:
    """Generate the file, import it through the web as a job, and return printable lines."""
    # The history bench's generator, scaled: 25 rows per session, 0.6 distinct people per row.
    history.ROWS, history.SESSIONS, history.PEOPLE = rows, rows // 25, rows * 6 // 10
    with tempfile.TemporaryDirectory(prefix="bench-history-jobs-") as folder:
        csv_path = Path(folder) / "history.csv"
        history.generate(csv_path)
        database = Path(folder) / "web.db"
        shutil.copy(
            history.create_database(Path(folder) / "template.db")[len("sqlite:///") :], database
        )
        context = multiprocessing.get_context("spawn")
        with context.Pool(1) as pool:
            result = pool.apply(_through_the_web, (str(csv_path), f"sqlite:///{database}", folder))
    accepted = "ok" if result["confirm_seconds"] < REQUEST_TARGET else "OVER TARGET"
    memory = "ok" if result["peak_mb"] < TARGET_MB else "OVER TARGET"
    return [
        f"history import through the web as a job: {rows:,} rows ({result['size_mb']:.1f} MB CSV), "
        "SQLite, job run in the web process by the worker's entry point",
        f"  preview request (checks every row): {result['preview_seconds']:.2f} s",
        f"  confirm request (records, commits, queues): {result['confirm_seconds'] * 1000:.0f} ms "
        f"(target < {REQUEST_TARGET:.0f} s): {accepted}",
        f"  job: {result['job_seconds']:.2f} s, {rows / result['job_seconds']:,.0f} rows/s, "
        f"state {result['state']}, {result['done']:,}/{result['total']:,} rows done, "
        f"errors {result['errors']}",
        f"  rows (sessions, people, enrolments): {result['counts']}; page {result['page_status']}",
        f"  peak memory {result['peak_mb']:.0f} MB (process before upload "
        f"{result['base_mb']:.0f} MB; target < {TARGET_MB} MB): {memory}",
    ]


if __name__ == "__main__":
    for line in run(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS):
        print(line, flush=True)
