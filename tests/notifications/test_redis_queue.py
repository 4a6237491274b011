"""Emails on a real Redis: queued with the commit, sent by a worker, retried with back-off."""

from rq.job import Job, JobStatus
from sqlalchemy import select

from app.extensions import db
from app.jobs.services import BACKOFF
from app.notifications.models import EmailLog, EmailState
from app.notifications.services import RETRIES, queue_email
from tests.pg import free_port
from tests.redis_queue import app_overrides, work  # noqa: F401 (a fixture)


def _row() -> EmailLog:
    db.session.expire_all()
    return db.session.scalars(select(EmailLog)).one()


def _invite() -> EmailLog:
    return queue_email(
        "amina@example.org",
        "Your invitation",
        "invitation",
        user={"name": "Amina"},
        link="https://x/l",
        hours=72,
    )


def test_the_row_is_queued_with_the_commit_and_sent_by_the_worker(app, rq_queue, runner, outbox):
    _invite()
    assert rq_queue.count == 0  # nothing before the commit
    db.session.commit()
    assert rq_queue.count == 1
    row = _row()
    assert row.state == EmailState.QUEUED and row.attempts == 0
    assert outbox.refresh() == []  # the request sent nothing itself

    work(runner)
    row = _row()
    assert row.state == EmailState.SENT and row.attempts == 1
    assert [m["To"] for m in outbox.refresh()] == ["amina@example.org"]


def test_a_refused_smtp_marks_the_email_failed_and_rq_tries_again_later(app, rq_queue, runner):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    log_id = _invite().id
    db.session.commit()
    work(runner)

    row = _row()
    assert row.state == EmailState.FAILED and row.attempts == 1
    assert "refused" in row.error.lower()
    job = Job.fetch(f"email-{log_id}", connection=rq_queue.connection)
    assert job.get_status() == JobStatus.SCHEDULED  # waiting out its back-off
    assert job.retries_left == RETRIES - 1 == 2
    assert job.retry_intervals == list(BACKOFF[:RETRIES])
