"""Large history imports: the request records the import and commits, a worker writes it.

The confirm request adds a HistoryImport row naming the kept upload, commits, and only then
puts the import on the job queue. The worker checks the whole file again and writes it a
chunk at a time, committing the chunk and its progress together. Sessions are matched by
code and people by email or name, so a second run (a retry, or a worker killed half way)
finds what the first one wrote and adds only what is still missing.
"""

from __future__ import annotations

from flask import current_app

from app.accounts.models import User
from app.extensions import db
from app.history import services
from app.history.models import HistoryImport, ImportState
from app.jobs.services import enqueue_after_commit
from app.shared.after_commit import after_commit
from app.shared.imports import PendingFiles
from app.shared.models import utcnow

JOB = "app.history.jobs.run_import"
PENDING = PendingFiles("history", services.HistoryImportError)
# A failing import is tried again this many times (the file stays kept until it is over).
RETRIES = 2


def runs_as_job(rows: int) -> bool:
    """Return whether a file of this many rows is imported by a worker."""
    return rows >= current_app.config["HISTORY_IMPORT_JOB_ROWS"]


def upload_scope(user_id: int | None) -> dict:
    """Return the pending-upload scope of a person's history uploads."""
    return {"user_id": user_id}


def start_import(filename: str, token: str, rows: int, actor: User) -> HistoryImport:
    """Record the import of a kept upload and queue it for after the commit."""
    record = HistoryImport(
        kind=PENDING.kind, requested_by=actor, filename=filename, file_token=token, total=rows
    )
    db.session.add(record)
    record.attempts = 1
    db.session.flush()
    enqueue_after_commit(JOB, record.id, job_id=f"history-import-{record.id}", retries=RETRIES)
    return record


def progress(record: HistoryImport) -> dict:
    """Return what a page shows of an import: counts, state, errors by row and the result."""
    return {
        "id": record.id,
        "state": str(record.state),
        "finished": record.finished,
        "total": record.total,
        "done": record.done,
        "errors": record.errors or [],
        "error_count": record.error_count,
        "summary": record.summary or {},
    }


# --- the job -----------------------------------------------------------------------------


def run_import(import_id: int) -> None:
    """Import the kept file (the job), committing chunk by chunk; safe to run again."""
    record = db.session.get(HistoryImport, import_id)
    if record is None or record.finished:
        return
    record.state = ImportState.RUNNING
    record.done = 0
    record.updated_at = utcnow()
    db.session.commit()
    try:
        filename, data = PENDING.load(record.file_token, upload_scope(record.requested_by_id))
        report = services.import_history(
            filename,
            data,
            write=True,
            actor_id=record.requested_by_id,
            on_chunk=lambda done: _advance(import_id, done),
        )
    except services.HistoryImportError as exc:
        _finish(record, ImportState.FAILED, [{"row": None, "column": None, "message": str(exc)}])
        return
    record = db.session.get(HistoryImport, import_id)
    if not report.ok:
        errors = [error.as_dict() for error in report.shown_errors]
        _finish(record, ImportState.FAILED, errors, len(report.errors))
        return
    record.summary = report.counts()
    services.record_import(report, record.requested_by)
    _finish(record, ImportState.DONE)
    # The runner commits.


def _advance(import_id: int, done: int) -> None:
    """Keep the rows written so far together with the count the page shows."""
    record = db.session.get(HistoryImport, import_id)
    record.done = done
    record.updated_at = utcnow()
    db.session.commit()


def _finish(
    record: HistoryImport, state: ImportState, errors: list[dict] = (), error_count: int = 0
) -> None:
    record.state = state
    record.errors = list(errors)
    record.error_count = error_count or len(record.errors)
    record.finished_at = record.updated_at = utcnow()
    token = record.file_token
    after_commit(lambda: PENDING.discard(token))
