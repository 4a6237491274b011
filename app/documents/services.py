"""Documents rendered by a worker: the request records what to render, the job renders it once.

Each domain registers its kinds at import (a renderer, and the audit entry its download
writes), so this package knows no domain. A request adds a queued row; once the caller commits,
the row's id goes on the job queue; the job renders with the domain's renderer and stores the
bytes and a file name. Only the person who asked, or an administrator, may fetch the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from app.documents.models import DocumentState, RenderedDocument
from app.extensions import db
from app.jobs.services import enqueue_after_commit
from app.jobs.signals import worker_starting
from app.shared.models import utcnow
from app.shared.unit_of_work import DomainError, unit_of_work

if TYPE_CHECKING:
    from app.accounts.models import User

JOB = "app.documents.services.render_document"


@dataclass(frozen=True)
class DocumentKind:
    """How to render one kind of document, and what fetching it records in the audit trail."""

    title: Any  # a lazy string, shown on the progress page
    # Given the parameters, return the PDF and its file name.
    render: Callable[[dict[str, Any]], tuple[bytes, str]]
    # Given the parameters and who downloads, add the audit entry the download writes.
    record_download: Callable[[dict[str, Any], User], None]
    # "inline" opens in the browser (a sheet to print); "attachment" saves the file.
    disposition: str = "attachment"
    # Whether the file prints people's names: erasing anyone discards such files (re-made on
    # request) rather than leave a name behind in a stored PDF.
    names_people: bool = False


_KINDS: dict[str, DocumentKind] = {}


def register_kind(name: str, kind: DocumentKind) -> None:
    """Make a kind of document available to request_document (domains call it at import)."""
    _KINDS[name] = kind


def discard_documents_naming_people() -> int:
    """Delete the stored files that print people's names; return how many went."""
    kinds = [name for name, kind in _KINDS.items() if kind.names_people]
    return db.session.execute(
        delete(RenderedDocument).where(RenderedDocument.kind.in_(kinds))
    ).rowcount


def purge_documents(older_than: datetime) -> int:
    """Delete rendered documents made before a time (they are a cache: asked for again)."""
    return db.session.execute(
        delete(RenderedDocument).where(RenderedDocument.created_at < older_than)
    ).rowcount


def kind_of(document: RenderedDocument) -> DocumentKind:
    """Return the registered kind of a document."""
    return _KINDS[document.kind]


def request_document(kind: str, params: dict[str, Any], user: User) -> RenderedDocument:
    """Record a document to render and queue its rendering for after the caller's commit."""
    if kind not in _KINDS:
        raise ValueError(f"No document kind {kind!r}")
    # The worker renders in the language of the person who asked.
    parameters = {**params, "locale": str(get_locale() or "en")}
    document = RenderedDocument(kind=kind, parameters=parameters, requested_by=user)
    db.session.add(document)
    db.session.flush()
    enqueue_after_commit(JOB, document.id, job_id=f"document-{document.id}", timeout=600)
    return document


def may_see(user: User, document: RenderedDocument) -> bool:
    """Return whether the user may follow or download the document: who asked, or an admin."""
    return user.is_authenticated and (user.id == document.requested_by_id or user.is_admin)


def is_ready(document: RenderedDocument) -> bool:
    """Return whether the document was made and may be downloaded."""
    return document.state == DocumentState.DONE


def progress(document: RenderedDocument) -> dict[str, Any]:
    """Return what the progress page shows of a document."""
    return {
        "id": document.id,
        "state": str(document.state),
        "finished": document.finished,
        "filename": document.filename,
        "error": document.error,
    }


def record_download(document: RenderedDocument, user: User) -> None:
    """Write the audit entry that fetching this kind of document stands for."""
    kind_of(document).record_download(document.parameters, user)


# --- the job -----------------------------------------------------------------------------


def render_document(document_id: int) -> None:
    """Render a queued document and store it (the job); a finished one is left as it is."""
    document = db.session.get(RenderedDocument, document_id)
    if document is None or document.state == DocumentState.DONE:
        return
    with unit_of_work(show_error=False):
        document.state = DocumentState.RUNNING  # the page shows the work has started
    with force_locale(document.parameters.get("locale") or "en"):
        try:
            pdf, filename = kind_of(document).render(document.parameters)
        except DomainError as exc:  # a rule the person can act on (a session gone, say)
            _fail(document, str(exc))
            return
        except Exception:
            # Recorded for the page, then raised again so that the worker logs it.
            with unit_of_work(show_error=False):
                _fail(document, _("The document could not be made. Try again, or ask an admin."))
            raise
    document.pdf = pdf
    document.filename = filename
    document.state = DocumentState.DONE
    document.error = None
    document.finished_at = utcnow()


@worker_starting.connect
def _requeue_unfinished(_app) -> None:
    """Queue again the documents a killed worker left queued or half made (a job is idempotent)."""
    unfinished = db.session.scalars(
        select(RenderedDocument.id).where(
            RenderedDocument.state.in_((DocumentState.QUEUED, DocumentState.RUNNING))
        )
    ).all()
    for document_id in unfinished:
        enqueue_after_commit(JOB, document_id, job_id=f"document-{document_id}", timeout=600)


def _fail(document: RenderedDocument, message: str) -> None:
    db.session.rollback()  # whatever the renderer left half done goes; the row stays
    document.state = DocumentState.FAILED
    document.error = message
    document.finished_at = utcnow()
