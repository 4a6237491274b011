"""Every email leaves through here: logged in the request's transaction, sent by a job after it."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select

from app.extensions import db
from app.jobs.services import enqueue_after_commit
from app.notifications.models import EmailLog, EmailState
from app.shared.clock import now
from app.shared.i18n import default_language, supported_language
from app.shared.mail import Attachment
from app.shared.paging import RowPagination
from app.shared.unit_of_work import unit_of_work

# A worker tries a failing email again this many times, waiting longer each time.
RETRIES = 3
ERROR_LENGTH = 1000
PER_PAGE = 50
MAX_PAGE = 1_000_000  # keeps the offset inside the database's integer range


def queue_email(
    to: str,
    subject: str,
    template: str,
    *,
    language: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    **context: Any,
) -> EmailLog:
    """Log an email as queued and send it from a worker once the transaction commits.

    Subject and body are rendered now, in the recipient's language (the default when None or
    unsupported): a lazy subject (`lazy_gettext`) is translated here, and the worker, which
    has no request and no reader, sends the text (and any attachments made by the caller) as
    it is. A rolled-back transaction leaves
    neither the row nor the job.
    """
    with force_locale(supported_language(language) or default_language()):
        subject = str(subject)
        body = render_template(f"emails/{template}.txt", **context)
    log = EmailLog(to_address=to, subject=subject, template=template)
    db.session.add(log)
    db.session.flush()
    enqueue_after_commit(
        "app.notifications.services.send_logged_email",
        log.id,
        body,
        tuple(attachments),
        job_id=f"email-{log.id}",
        retries=RETRIES,
    )
    return log


def send_logged_email(log_id: int, body: str, attachments: tuple[Attachment, ...] = ()) -> None:
    """Send a logged email (the job), marking it sent, or failed with the reason and re-raising.

    The failure is committed before the error goes back to RQ, which rolls back the job's
    session and schedules the next try; an email already sent is not sent again.
    """
    from app.shared.mail import send_email

    log = db.session.get(EmailLog, log_id)
    if log is None or log.state == EmailState.SENT:
        return
    log.attempts += 1
    log.last_attempt_at = now()
    try:
        send_email(log.to_address, log.subject, body, attachments)
    except Exception as exc:
        with unit_of_work(show_error=False):  # kept, though RQ's retry rolls the job back
            log.state = EmailState.FAILED
            log.error = f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]
        raise
    log.state = EmailState.SENT
    log.sent_at = now()
    log.error = None


def log_entries(state: str | None = None) -> Select:
    """Return the log newest first, only the emails in state when one is given."""
    statement = select(EmailLog).order_by(EmailLog.queued_at.desc(), EmailLog.id.desc())
    if state:
        statement = statement.where(EmailLog.state == state)
    return statement


# What a line of the log's page shows, read as plain columns rather than as EmailLog objects.
LINE_COLUMNS = (
    EmailLog.queued_at,
    EmailLog.to_address,
    EmailLog.subject,
    EmailLog.template,
    EmailLog.state,
    EmailLog.attempts,
    EmailLog.last_attempt_at,
    EmailLog.error,
)


def log_page(state: str | None, number: int) -> Pagination:
    """Return one page of the log's lines (past the last: empty), only `state` when given."""
    return RowPagination(
        select=log_entries(state).with_only_columns(*LINE_COLUMNS),
        session=db.session,
        page=min(max(number, 1), MAX_PAGE),
        per_page=PER_PAGE,
        error_out=False,
        count_ahead=True,
    )
