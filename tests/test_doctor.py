"""`flask doctor` says what works and fails (non-zero) when something required is missing."""

import flask_migrate
import pytest

from app.shared import pdf
from tests.pg import free_port

LONG_KEY = "k" * 40


@pytest.fixture
def app_overrides():
    return {"SECRET_KEY": LONG_KEY}


@pytest.fixture
def migrated(app):
    """Mark the test database (built from the models) as being at the migration head."""
    flask_migrate.stamp()


def _doctor(runner):
    return runner.invoke(args=["doctor"])


def test_a_ready_machine_passes_and_lists_every_script(runner, migrated):
    result = _doctor(runner)
    assert result.exit_code == 0, result.output
    assert "at migration head" in result.output
    for script, sample in pdf.SCRIPT_SAMPLES.items():
        assert f"ok   Font for {script}: {sample} in " in result.output
    assert "ok   HarfBuzz subsetting" in result.output
    assert "REDIS_URL not set" in result.output
    assert "ok   SECRET_KEY: 40 bytes" in result.output


def test_a_database_not_migrated_fails(runner):
    result = _doctor(runner)
    assert result.exit_code == 1
    assert "FAIL Database" in result.output and "run `flask db upgrade`" in result.output


def test_a_script_without_a_font_fails(runner, migrated, monkeypatch):
    monkeypatch.setitem(pdf.SCRIPT_SAMPLES, "Private use", "\ue000")
    result = _doctor(runner)
    assert result.exit_code == 1
    assert "FAIL Font for Private use: no installed font draws" in result.output


@pytest.mark.parametrize("app_overrides", [{"SECRET_KEY": "short"}])
def test_a_short_secret_key_fails(runner, migrated):
    result = _doctor(runner)
    assert result.exit_code == 1
    assert "FAIL SECRET_KEY: 5 bytes" in result.output


def test_an_smtp_server_that_does_not_answer_fails(app, runner, migrated):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    result = _doctor(runner)
    assert result.exit_code == 1
    assert "FAIL SMTP: cannot reach 127.0.0.1:" in result.output


def test_an_smtp_server_that_answers_passes(app, runner, migrated, smtp_server):
    result = _doctor(runner)
    assert "ok   SMTP:" in result.output and "answers" in result.output


def test_redis_is_checked_and_a_missing_worker_is_only_a_warning(app, runner, migrated, redis_url):
    app.config["REDIS_URL"] = redis_url
    result = _doctor(runner)
    assert result.exit_code == 0, result.output
    assert f"ok   Redis: {redis_url} answers" in result.output
    assert "warn Job workers: none alive" in result.output


def test_a_redis_that_does_not_answer_fails(app, runner, migrated):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"
    result = _doctor(runner)
    assert result.exit_code == 1
    assert "FAIL Redis" in result.output
