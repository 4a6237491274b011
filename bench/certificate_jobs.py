"""Benchmark certificate batches on a real job queue (a throwaway Redis and RQ workers).

Figures (targets from the issue):
- issuing BATCH certificates from the web: the request answers in under 1 s;
- the batch, done by one worker, finishes within 1.2x of rendering the same PDFs directly
  (html_to_pdf_many on the same cores); both times and the ratio are printed;
- a worker killed with SIGKILL in the middle of a batch, then the sweeper and a new worker:
  BATCH certificates, BATCH distinct numbers, 0 duplicates, 0 missing.
Run it alone with:  .venv/bin/python -m bench certificate_jobs
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

BATCH = 300
REQUEST_TARGET = 1.0
RATIO_TARGET = 1.2
# Every wait is bounded, so the bench stops by itself even if a worker hangs.
BATCH_TIMEOUT = 600
ROOT = Path(__file__).resolve().parent.parent
NAMES = ("Zoë Øster-Łukasiewicz", "فاطمة الزهراء", "Александра Кузнецова", "王小明", "김민준")


def _environment(folder: str, redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder}/bench.db",
        "REDIS_URL": redis_url,
        "SECRET_KEY": "bench-" * 8,
        "OUTBOX_DIR": f"{folder}/outbox",
        "MAIL_SERVER": "",
    }


def _app(folder: str, redis_url: str):
    from app import create_app
    from app.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "JOBS_SYNC": False,
            "REDIS_URL": redis_url,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
            "SECRET_KEY": "bench-" * 8,
            "OUTBOX_DIR": f"{folder}/outbox",
            "MAIL_SERVER": "",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
    return app


def _worker(env: dict[str, str], burst: bool = False) -> subprocess.Popen:
    """Start `flask jobs worker` in a process group of its own (its work horse and PDF pool)."""
    command = [sys.executable, "-m", "flask", "jobs", "worker", *(["--burst"] if burst else [])]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and command
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(timeout=60)


def _scene(app, code: str):
    from app.extensions import db
    from tests.certificates.helpers import completed_session

    with app.app_context():
        names = tuple(f"{NAMES[n % len(NAMES)]} {n:03d}" for n in range(BATCH))
        scene = completed_session(names=names, code=code, validity_months=36)
        db.session.commit()
        return scene.training_session.id, scene.trainer.get_id()


def _post_issue(app, training_session_id: int, trainer_id: str) -> tuple[float, int]:
    """Ask for the batch as the trainer's browser would; return the request time and batch id."""
    from app.certificates.models import CertificateBatch
    from app.extensions import db

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = trainer_id
        session["_fresh"] = True
    started = time.perf_counter()
    response = client.post(f"/training-sessions/{training_session_id}/certificates/issue")
    elapsed = time.perf_counter() - started
    if response.status_code != 302:
        raise RuntimeError(f"issuing answered {response.status_code}")
    with app.app_context():
        batch_id = db.session.scalars(
            db.select(CertificateBatch.id).order_by(CertificateBatch.id.desc())
        ).first()
    return elapsed, batch_id


def _batch_state(app, batch_id: int) -> tuple[int, bool]:
    from app.certificates.models import CertificateBatch
    from app.extensions import db

    with app.app_context():
        batch = db.session.get(CertificateBatch, batch_id)
        return batch.done, batch.finished


def _wait(app, batch_id: int, until_done: int | None = None) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < BATCH_TIMEOUT:
        done, finished = _batch_state(app, batch_id)
        if finished or (until_done is not None and done >= until_done):
            return time.perf_counter() - started
        time.sleep(0.1)
    raise RuntimeError(f"batch {batch_id} did not get there within {BATCH_TIMEOUT} s")


def _direct_seconds(app, training_session_id: int) -> float:
    """Render the same certificates' HTML straight to PDFs on every core; write nothing."""
    from app.certificates import services
    from app.extensions import db
    from app.scheduling.models import TrainingSession
    from app.shared import pdf

    with app.app_context():
        training_session = db.session.get(TrainingSession, training_session_id)
        enrolments = services.due_enrolments(training_session)
        htmls = [services.prepare(e, n + 1).html for n, e in enumerate(enrolments)]
        db.session.rollback()
        pdf.html_to_pdf(htmls[0])  # fonts loaded once, as in a warm worker
        started = time.perf_counter()
        pdf.html_to_pdf_many(htmls)
        return time.perf_counter() - started


def _count(app, training_session_id: int) -> tuple[int, int, int, int]:
    """Return certificates, distinct numbers, duplicated people and people without one."""
    from app.certificates.models import Certificate
    from app.enrolment.models import Enrolment
    from app.extensions import db

    with app.app_context():
        rows = db.session.execute(
            db.select(Certificate.number, Certificate.enrolment_id)
            .join(Enrolment, Certificate.enrolment_id == Enrolment.id)
            .where(Enrolment.training_session_id == training_session_id)
        ).all()
        completed = db.session.scalars(
            db.select(Enrolment.id).where(
                Enrolment.training_session_id == training_session_id,
                Enrolment.completed.is_(True),
            )
        ).all()
    per_person = Counter(enrolment_id for _number, enrolment_id in rows)
    duplicates = sum(1 for n in per_person.values() if n > 1)
    missing = sum(1 for enrolment_id in completed if enrolment_id not in per_person)
    return len(rows), len({number for number, _ in rows}), duplicates, missing


def _speed_figures(app, env: dict[str, str]) -> list[str]:
    training_session_id, trainer_id = _scene(app, "JOBS-2026-KE-01")
    direct = _direct_seconds(app, training_session_id)
    worker = _worker(env)
    try:
        time.sleep(3)  # let the worker start listening, as a running worker would be
        request_seconds, batch_id = _post_issue(app, training_session_id, trainer_id)
        batch_seconds = _wait(app, batch_id) + request_seconds
    finally:
        _stop(worker)
    issued, numbers, duplicates, missing = _count(app, training_session_id)
    ratio = batch_seconds / direct
    return [
        f"web request asking for {BATCH} certificates: {request_seconds * 1000:.0f} ms "
        f"(target < {REQUEST_TARGET:.0f} s) {'OK' if request_seconds < REQUEST_TARGET else 'SLOW'}",
        f"batch on one worker, request to last certificate: {batch_seconds:.1f} s; rendering the "
        f"same {BATCH} PDFs directly on {os.cpu_count()} cores: {direct:.1f} s; ratio "
        f"{ratio:.2f} (target <= {RATIO_TARGET}) {'OK' if ratio <= RATIO_TARGET else 'SLOW'}",
        f"  {issued} certificates, {numbers} distinct numbers, {duplicates} duplicates, "
        f"{missing} missing",
    ]


def _kill_figures(app, env: dict[str, str]) -> list[str]:
    training_session_id, trainer_id = _scene(app, "JOBS-2026-KE-02")
    worker = _worker(env)
    try:
        _request_seconds, batch_id = _post_issue(app, training_session_id, trainer_id)
        _wait(app, batch_id, until_done=BATCH // 3)
    finally:
        _stop(worker, signal.SIGKILL)  # the worker, its work horse and its PDF processes
    done_at_kill, _ = _batch_state(app, batch_id)
    sweep = subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "flask", "certificates", "sweep", "--older-than", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    again = _worker(env, burst=True)
    try:
        again.wait(timeout=BATCH_TIMEOUT)
    finally:
        _stop(again, signal.SIGKILL)
    _, finished = _batch_state(app, batch_id)
    issued, numbers, duplicates, missing = _count(app, training_session_id)
    verdict = "OK" if (issued, numbers, duplicates, missing) == (BATCH, BATCH, 0, 0) else "WRONG"
    return [
        f"worker killed with SIGKILL at {done_at_kill}/{BATCH}; sweeper: "
        f"{sweep.stdout.strip() or sweep.stderr.strip()}; after a new worker: batch "
        f"{'finished' if finished else 'NOT finished'}, {issued} certificates, {numbers} "
        f"distinct numbers, {duplicates} duplicates, {missing} missing {verdict}",
    ]


def run() -> list[str]:
    """Measure the web request, the batch against direct rendering, and a killed worker."""
    from tests.redis_server import ThrowawayRedis

    if not ThrowawayRedis.available():
        return ["redis-server is not installed (make test installs it): skipped"]
    redis = ThrowawayRedis()
    redis_url = redis.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            app = _app(folder, redis_url)
            env = _environment(folder, redis_url)
            load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            lines = [f"load average before the run: {load} on {os.cpu_count()} cores"]
            lines += _speed_figures(app, env)
            lines += _kill_figures(app, env)
            with app.app_context():
                from app.extensions import db

                db.engine.dispose()
            return lines
    finally:
        redis.stop()


if __name__ == "__main__":
    for line in run():
        print(line)
