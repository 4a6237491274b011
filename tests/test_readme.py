"""The README's commands work: what `make run` does, and gunicorn serving the app."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.pg import free_port

ROOT = Path(__file__).parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "app"]


def _run(args, database_url, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "SECRET_KEY": "readme-test",
    }
    return subprocess.run(
        [*FLASK, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture
def empty_database_url(database_url):
    """The per-test database, emptied so that migrations start from nothing."""
    from sqlalchemy import create_engine

    from app.extensions import db

    engine = create_engine(database_url)
    with engine.begin() as connection:
        db.metadata.drop_all(connection)
    engine.dispose()
    return database_url


def test_make_run_steps_build_a_working_demo(empty_database_url, tmp_path):
    for step in (["db", "upgrade"], ["courses", "sync"], ["demo", "load"]):
        result = _run(step, empty_database_url, tmp_path)
        assert result.returncode == 0, f"{step}: {result.stdout}\n{result.stderr}"
    assert "trainer@example.org" in result.stdout
    again = _run(["demo", "load"], empty_database_url, tmp_path)
    assert again.returncode == 0, again.stderr
    assert "already loaded" in again.stdout
    unchanged = _run(["courses", "sync"], empty_database_url, tmp_path)
    assert unchanged.stdout.startswith("0 created, 0 updated, 0 retired")


def test_gunicorn_serves_the_app(empty_database_url, tmp_path):
    assert _run(["db", "upgrade"], empty_database_url, tmp_path).returncode == 0
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": empty_database_url,
        "SECRET_KEY": "x" * 32,  # production refuses shorter keys
        "FLASK_ENV": "production",
        # The README's gunicorn.conf.py reads these, as on a production web machine.
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "app:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        for _attempt in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as page:
                    body = page.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer: " + server.stderr.read1().decode())
        assert "Log in" in body
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert '"GET /login HTTP/1.1" 200' in server.stdout.read().decode()  # the access log
