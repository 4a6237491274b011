"""Large history imports: the request keeps the file and commits, a worker checks and writes it.

A file of HISTORY_IMPORT_JOB_BYTES or more is checked by a worker too: the upload request
keeps the file, adds a HistoryImport row (checking), commits and only then queues the check;
the progress page then shows the counts and asks for confirmation. A confirmed import of
HISTORY_IMPORT_JOB_ROWS rows or more is written by a worker, which checks the whole file
again and writes it a chunk at a time, committing the chunk and its progress together.
Sessions are matched by code and people by email or name, so a second run (a retry, or a
worker killed half way) finds what the first one wrote and adds only what is still missing;
a worker starting up queues again the imports a killed worker left.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.history import services
from app.history.models import WORKING, HistoryImport, ImportState
from app.jobs.services import enqueue_after_commit
from app.jobs.signals import worker_starting
from app.shared.after_commit import after_commit
from app.shared.imports import PendingFiles, RowError
from app.shared.models import utcnow
from app.shared.unit_of_work import checkpoint

JOB = "app.history.jobs.run_import"
CHECK_JOB = "app.history.jobs.check_import"
PENDING = PendingFiles("history", services.HistoryImportError)
# A failing import is tried again this many times (the file stays kept until it is over).
RETRIES = 2
# An import no worker has moved on for this long was left by a killed worker.
STALE_AFTER = timedelta(minutes=10)
# After this many starts, an import that never finishes is given up, with a message.
MAX_ATTEMPTS = 3


def runs_as_job(rows: int) -> bool:
    """Return whether a file of this many rows is imported by a worker."""
    return rows >= current_app.config["HISTORY_IMPORT_JOB_ROWS"]


def checks_as_job(size: int) -> bool:
    """Return whether a file of this many bytes is checked by a worker, not the request."""
    return size >= current_app.config["HISTORY_IMPORT_JOB_BYTES"]


def upload_scope(user_id: int | None) -> dict:
    """Return the pending-upload scope of a person's history uploads."""
    return {"user_id": user_id}


def start_check(filename: str, content: bytes, actor: User) -> HistoryImport:
    """Keep an uploaded file and queue its check for after the commit; write nothing else."""
    token = PENDING.keep(filename, content, upload_scope(actor.id))
    record = HistoryImport(
        kind=PENDING.kind,
        requested_by=actor,
        filename=filename,
        file_token=token,
        state=ImportState.CHECKING,
    )
    db.session.add(record)
    _queue(record)
    return record


def start_import(filename: str, token: str, rows: int, actor: User) -> HistoryImport:
    """Record the import of a kept upload and queue it for after the commit."""
    record = HistoryImport(
        kind=PENDING.kind, requested_by=actor, filename=filename, file_token=token, total=rows
    )
    db.session.add(record)
    _queue(record)
    return record


def confirm_checked(record: HistoryImport) -> bool:
    """Queue the writing of an import a worker has checked; False if it is not waiting."""
    if record.state != ImportState.CHECKED:
        return False
    record.state = ImportState.PENDING
    record.done = 0
    _queue(record)
    return True


def _queue(record: HistoryImport) -> None:
    record.attempts = (record.attempts or 0) + 1
    record.updated_at = utcnow()
    db.session.flush()
    job = CHECK_JOB if record.state == ImportState.CHECKING else JOB
    # A job id per attempt: the sweeper's new try is not mistaken for a dead worker's job.
    enqueue_after_commit(
        job,
        record.id,
        job_id=f"history-import-{record.id}-{record.attempts}",
        retries=RETRIES,
        timeout=3600,
    )


def requeue_stale(
    older_than: timedelta = STALE_AFTER, now: datetime | None = None
) -> list[HistoryImport]:
    """Queue again the imports no worker has moved on for `older_than`; give up the hopeless."""
    cutoff = (now or utcnow()) - older_than
    stale = list(
        db.session.scalars(
            select(HistoryImport)
            .where(HistoryImport.state.in_(WORKING), HistoryImport.updated_at < cutoff)
            .order_by(HistoryImport.id)
        )
    )
    for record in stale:
        if (record.attempts or 0) >= MAX_ATTEMPTS:
            message = _(
                "The import of %(name)s stopped %(n)d times before it finished; nothing more "
                "will be written. Upload the file again to import what is missing.",
                name=record.filename,
                n=record.attempts,
            )
            _finish(record, ImportState.FAILED, [RowError(0, "", message).as_dict()])
        else:
            if record.state == ImportState.RUNNING:
                record.state = ImportState.PENDING
            _queue(record)
    return stale


@worker_starting.connect
def _sweep_when_a_worker_starts(_app) -> None:
    """Pick up the imports a killed worker left, as soon as a worker is back."""
    with checkpoint():
        requeue_stale()


def progress(record: HistoryImport) -> dict:
    """Return what a page shows of an import: counts, state, errors by row and the result."""
    return {
        "id": record.id,
        "state": str(record.state),
        # Finished for the page: no worker will move it on (done, refused, or to confirm).
        "finished": not record.working,
        "total": record.total,
        "done": record.done,
        "errors": record.errors or [],
        "error_count": record.error_count,
        "summary": record.summary or {},
    }


# --- the jobs ----------------------------------------------------------------------------


def check_import(import_id: int) -> None:
    """Check every row of the kept file (the job), writing nothing; keep the counts."""
    record = db.session.get(HistoryImport, import_id)
    if record is None or record.state != ImportState.CHECKING:
        return
    report = _read(record, write=False, on_checked=lambda done: _advance(import_id, done))
    if report is None:
        return
    record = db.session.get(HistoryImport, import_id)
    record.summary = report.counts()
    record.total = record.done = report.rows
    if report.created:
        record.state = ImportState.CHECKED
        record.updated_at = utcnow()
    else:
        _finish(record, ImportState.DONE)  # everything is recorded already
    # The runner commits.


def run_import(import_id: int) -> None:
    """Import the kept file (the job), committing chunk by chunk; safe to run again."""
    record = db.session.get(HistoryImport, import_id)
    if record is None or record.state not in (ImportState.PENDING, ImportState.RUNNING):
        return
    with checkpoint():
        record.state = ImportState.RUNNING
        record.done = 0
        record.updated_at = utcnow()
    report = _read(
        record,
        write=True,
        actor_id=record.requested_by_id,
        on_chunk=lambda done: _advance(import_id, done),
    )
    if report is None:
        return
    record = db.session.get(HistoryImport, import_id)
    record.summary = report.counts()
    services.record_import(report, record.requested_by)
    _finish(record, ImportState.DONE)
    # The runner commits.


def _read(record: HistoryImport, **options) -> services.ImportReport | None:
    """Check (and write) the kept file, streamed from disk; None once refused with errors."""
    import_id = record.id
    try:
        filename, stream = PENDING.open(record.file_token, upload_scope(record.requested_by_id))
        with stream:
            report = services.import_history(filename, stream, **options)
    except services.HistoryImportError as exc:
        db.session.rollback()
        record = db.session.get(HistoryImport, import_id)
        _finish(record, ImportState.FAILED, [RowError(0, "", str(exc)).as_dict()])
        return None
    if not report.ok:
        db.session.rollback()
        record = db.session.get(HistoryImport, import_id)
        errors = [error.as_dict() for error in report.shown_errors]
        _finish(record, ImportState.FAILED, errors, len(report.errors))
        return None
    return report


def _advance(import_id: int, done: int) -> None:
    """Keep the rows written so far together with the count the page shows."""
    with checkpoint():
        record = db.session.get(HistoryImport, import_id)
        record.done = done
        record.updated_at = utcnow()


def _finish(
    record: HistoryImport, state: ImportState, errors: list[dict] = (), error_count: int = 0
) -> None:
    record.state = state
    record.errors = list(errors)
    record.error_count = error_count or len(record.errors)
    record.finished_at = record.updated_at = utcnow()
    token = record.file_token
    after_commit(lambda: PENDING.discard(token))
