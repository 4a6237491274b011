"""Certificate batches: the request records the work, a worker does it in chunks, once each.

A request adds a batch row with one pending item per person, commits, and only then puts the
batch on the job queue. The worker issues the pending items a chunk at a time and commits
after each chunk, so a worker killed half way loses at most the chunk it was rendering, and
the next run (the same job again, or the sweeper's) carries on from the first pending item.
An enrolment has at most one live certificate (a unique index), so no run can issue twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.certificates import services
from app.certificates.models import (
    BatchKind,
    BatchStatus,
    CertificateBatch,
    CertificateBatchItem,
    ItemStatus,
)
from app.extensions import db
from app.jobs.services import enqueue_after_commit
from app.jobs.signals import worker_starting
from app.scheduling.models import TrainingSession
from app.shared import pdf
from app.shared.models import utcnow
from app.shared.unit_of_work import checkpoint

JOB = "app.certificates.batches.run_batch"
# Certificates rendered between two commits: what a killed worker may have to render again.
CHUNK = 50
# A batch not moved on for this long has lost its worker; the sweeper queues it again.
STALE_AFTER = timedelta(minutes=5)
# Runs racing for the same numbers retry a chunk this many times before the job fails.
CONFLICT_RETRIES = 5


def active_batch(training_session: TrainingSession, kind: BatchKind) -> CertificateBatch | None:
    """Return the session's unfinished batch of this kind, if one is waiting or running."""
    return db.session.scalars(
        select(CertificateBatch)
        .where(
            CertificateBatch.training_session_id == training_session.id,
            CertificateBatch.kind == kind,
            CertificateBatch.status != BatchStatus.DONE,
        )
        .order_by(CertificateBatch.id.desc())
    ).first()


def running_batches(training_session: TrainingSession) -> list[CertificateBatch]:
    """Return the session's batches that are not finished, oldest first."""
    return list(
        db.session.scalars(
            select(CertificateBatch)
            .where(
                CertificateBatch.training_session_id == training_session.id,
                CertificateBatch.status != BatchStatus.DONE,
            )
            .order_by(CertificateBatch.id)
        )
    )


def start_batch(
    training_session: TrainingSession,
    actor: User | None,
    kind: BatchKind = BatchKind.ISSUE,
    reason: str = "",
    notify: bool = True,
) -> CertificateBatch | None:
    """Record the work of a batch and queue it after the commit; None when nothing is due.

    A batch of the same kind already waiting or running for the session is returned instead
    of a second one, so a double click issues nothing twice.
    """
    existing = active_batch(training_session, kind)
    if existing is not None:
        return existing
    items = _items_for(training_session, kind)
    if kind != BatchKind.ZIP and not items:
        return None
    batch = CertificateBatch(
        training_session=training_session,
        kind=kind,
        requested_by=actor,
        reason=(reason or "").strip() or None,
        notify=notify,
        items=items,
        total=len(items) if kind != BatchKind.ZIP else 1,
    )
    db.session.add(batch)
    queue(batch)
    return batch


def _items_for(training_session: TrainingSession, kind: BatchKind) -> list[CertificateBatchItem]:
    if kind == BatchKind.ISSUE:
        services._check_session_completed(training_session)
        due = services.due_enrolments(training_session)
        return [CertificateBatchItem(enrolment=enrolment) for enrolment in due]
    if kind == BatchKind.REISSUE:
        services._check_session_completed(training_session)
        return [
            CertificateBatchItem(enrolment=c.enrolment, replaces=c)
            for c in services.session_certificates(training_session)
            if c.revoked_at is None
        ]
    return []


def queue(batch: CertificateBatch) -> None:
    """Put the batch on the job queue once the current transaction commits."""
    batch.attempts = (batch.attempts or 0) + 1
    batch.updated_at = utcnow()
    db.session.flush()
    # A job id per attempt: the sweeper's new try is not mistaken for a dead worker's job.
    # A batch commits in chunks and resumes where it stopped, so an hour is a ceiling, not a plan.
    enqueue_after_commit(
        JOB, batch.id, job_id=f"certificate-batch-{batch.id}-{batch.attempts}", timeout=3600
    )


def requeue_stale(
    older_than: timedelta = STALE_AFTER, now: datetime | None = None
) -> list[CertificateBatch]:
    """Queue again every unfinished batch that no worker has moved on for `older_than`."""
    cutoff = (now or utcnow()) - older_than
    stale = list(
        db.session.scalars(
            select(CertificateBatch)
            .where(
                CertificateBatch.status != BatchStatus.DONE,
                CertificateBatch.updated_at < cutoff,
            )
            .order_by(CertificateBatch.id)
        )
    )
    for batch in stale:
        queue(batch)
    return stale


@worker_starting.connect
def _sweep_when_a_worker_starts(_app) -> None:
    """Pick up the batches a killed worker left, as soon as a worker is back."""
    requeue_stale()


def refresh(batch: CertificateBatch) -> None:
    """Read the batch again: without a worker, its job ran while the request committed."""
    db.session.refresh(batch)


def get_batch(training_session: TrainingSession, batch_id: int) -> CertificateBatch | None:
    """Return the session's batch with this id, or None (another session's is not found)."""
    batch = db.session.get(CertificateBatch, batch_id)
    if batch is None or batch.training_session_id != training_session.id:
        return None
    return batch


def progress(batch: CertificateBatch) -> dict:
    """Return what a page shows of a batch: counts, state and who could not be issued why."""
    failed = [item for item in batch.items if item.status == ItemStatus.FAILED]
    errors = [
        {"name": item.enrolment.participant.full_name, "message": item.error or ""}
        for item in failed
    ]
    if batch.error:
        errors.append({"name": "", "message": batch.error})
    return {
        "id": batch.id,
        "kind": str(batch.kind),
        "status": str(batch.status),
        "finished": batch.finished,
        "total": batch.total,
        "done": batch.done,
        "failed": batch.failed,
        "errors": errors,
    }


# --- the job -----------------------------------------------------------------------------


def run_batch(batch_id: int) -> None:
    """Do a batch's pending work (the job), committing after each chunk; safe to run again."""
    batch = db.session.get(CertificateBatch, batch_id)
    if batch is None or batch.finished:
        return
    with checkpoint():
        batch.status = BatchStatus.RUNNING
        batch.updated_at = utcnow()
    if batch.kind == BatchKind.ZIP:
        batch.result = services.session_zip(batch.training_session)
        batch.done = 1
    else:
        _issue_pending(batch_id)
        batch = db.session.get(CertificateBatch, batch_id)
    batch.status = BatchStatus.DONE
    batch.finished_at = utcnow()
    # The runner commits.


def _issue_pending(batch_id: int) -> None:
    conflicts = 0
    while True:
        batch = db.session.get(CertificateBatch, batch_id)
        items = list(
            db.session.scalars(
                select(CertificateBatchItem)
                .where(
                    CertificateBatchItem.batch_id == batch_id,
                    CertificateBatchItem.status == ItemStatus.PENDING,
                )
                .order_by(CertificateBatchItem.id)
                .limit(CHUNK)
            )
        )
        if not items:
            return
        try:
            with checkpoint():
                _issue_chunk(batch, items)
                _count(batch)
                batch.updated_at = utcnow()
        except IntegrityError:
            # Another run took these people or numbers first (rolled back): look again.
            conflicts += 1
            if conflicts > CONFLICT_RETRIES:
                raise


def _issue_chunk(batch: CertificateBatch, items: list[CertificateBatchItem]) -> None:
    todo = []
    for item in items:
        live = services.current_certificate(item.enrolment)
        if live is not None and live.id != item.replaces_id:
            # Issued (or replaced) already, by an earlier run of this batch or by hand.
            item.status, item.certificate = ItemStatus.DONE, live
            continue
        if item.replaces_id is not None and live is None:
            _fail(item, _("Certificate %(n)s was revoked meanwhile.", n=item.replaces.number))
            continue
        try:
            services.check_issuable(item.enrolment)
        except services.CertificateError as exc:
            _fail(item, str(exc))
            continue
        todo.append(item)
    sequence = services.next_sequence(batch.training_session)
    prepared = [services.prepare(item.enrolment, sequence + n) for n, item in enumerate(todo)]
    rendered = _render_each([ready.html for ready in prepared])
    for item, ready, result in zip(todo, prepared, rendered, strict=True):
        if isinstance(result, Exception):
            _fail(item, str(result))
            continue
        actor = batch.requested_by
        if item.replaces is not None:
            certificate = services.replace(item.replaces, ready, result, actor, batch.reason or "")
        else:
            certificate = services.store(ready, result, actor)
        if batch.notify:
            services.notify_issued(certificate)
        item.status, item.certificate = ItemStatus.DONE, certificate
    db.session.flush()


def _render_each(htmls: list[str]) -> list[bytes | ValueError]:
    """Render on every core; if a document cannot be printed, find which, one by one."""
    if not htmls:
        return []
    try:
        return list(pdf.html_to_pdf_many(htmls))
    except ValueError:
        pass
    results: list[bytes | ValueError] = []
    for html in htmls:
        try:
            results.append(pdf.html_to_pdf(html))
        except ValueError as exc:  # unprintable characters, a forbidden image: this one only
            results.append(exc)
    return results


def _fail(item: CertificateBatchItem, message: str) -> None:
    item.status = ItemStatus.FAILED
    item.error = message


def _count(batch: CertificateBatch) -> None:
    db.session.flush()
    counts = dict(
        db.session.execute(
            select(CertificateBatchItem.status, func.count())
            .where(CertificateBatchItem.batch_id == batch.id)
            .group_by(CertificateBatchItem.status)
        ).all()
    )
    batch.done = counts.get(ItemStatus.DONE, 0)
    batch.failed = counts.get(ItemStatus.FAILED, 0)
