"""Every email is logged when it is queued, and marked sent or failed (with why) by its job."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.services import request_password_reset
from app.enrolment import services as enrolment
from app.extensions import db
from app.notifications.models import EmailLog, EmailState
from app.notifications.services import queue_email
from tests import factories
from tests.enrolment.helpers import participant_with_account, scene
from tests.pg import free_port


def _log() -> list[EmailLog]:
    db.session.expire_all()  # the job wrote through its own session
    return list(db.session.scalars(select(EmailLog).order_by(EmailLog.id)))


@pytest.fixture
def refused_smtp(app):
    """Point the app at a loopback port where no SMTP server listens."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())


def test_a_rolled_back_request_logs_and_sends_nothing(app, outbox):
    queue_email("amina@example.org", "Hello", "invitation", user={"name": "A"}, link="x", hours=1)
    db.session.rollback()
    db.session.commit()
    assert _log() == []
    assert outbox.refresh() == []


def test_the_job_sends_the_email_and_marks_it_sent(app, smtp_server):
    queue_email(
        "amina@example.org",
        "Your invitation",
        "invitation",
        user={"name": "Amina Yusuf", "email": "amina@example.org"},
        link="https://x/l",
        hours=72,
    )
    db.session.commit()
    (row,) = _log()
    assert (row.to_address, row.subject, row.template) == (
        "amina@example.org",
        "Your invitation",
        "invitation",
    )
    assert row.state == EmailState.SENT and row.attempts == 1 and row.sent_at and not row.error
    assert [m["To"] for m in smtp_server] == ["amina@example.org"]


def test_without_smtp_the_outbox_still_receives_the_email(app, outbox):
    queue_email(
        "lina@example.org",
        "Your invitation",
        "invitation",
        user={"name": "Lina"},
        link="https://x/l",
        hours=72,
    )
    db.session.commit()
    assert [m["To"] for m in outbox.refresh()] == ["lina@example.org"]
    assert _log()[0].state == EmailState.SENT


def test_a_refused_smtp_connection_marks_the_email_failed_with_the_reason(app, refused_smtp):
    queue_email(
        "amina@example.org",
        "Your invitation",
        "invitation",
        user={"name": "Amina"},
        link="https://x/l",
        hours=72,
    )
    db.session.commit()  # the request itself does not fail: the data is saved
    (row,) = _log()
    assert row.state == EmailState.FAILED and row.attempts == 1 and not row.sent_at
    assert "Connection refused" in row.error or "ConnectionRefusedError" in row.error


def test_enrolment_and_account_emails_are_logged(app, outbox):
    s = scene(code="LOG-2026-KE-01")
    person = participant_with_account("Amina Yusuf")
    enrolment.request_place(person, s.training_session, person.user)
    user = factories.make_user(email="ruth@example.org", name="Ruth")
    db.session.commit()
    request_password_reset(user.email)
    db.session.commit()
    assert [(r.to_address, r.template, r.state) for r in _log()] == [
        (person.email, "enrolment_request_received", EmailState.SENT),
        ("ruth@example.org", "password_reset", EmailState.SENT),
    ]
