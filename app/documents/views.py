"""HTTP views of the documents domain: a document's progress page, its JSON and its file."""

from __future__ import annotations

from flask import abort, jsonify, render_template, url_for
from flask_login import current_user, login_required

from app.documents import bp, services
from app.documents.models import RenderedDocument
from app.shared.downloads import private_file
from app.shared.loading import load_or_abort
from app.shared.unit_of_work import unit_of_work


def _own_document(document_id: int) -> RenderedDocument:
    """Load a document the current user may see; anyone else's is not found."""
    return load_or_abort(RenderedDocument, document_id, services.may_see, hide=True)


def _urls(document: RenderedDocument) -> dict:
    done = services.is_ready(document)
    return {
        "progress_url": url_for("documents.progress_json", document_id=document.id),
        "download_url": url_for("documents.download", document_id=document.id) if done else None,
    }


@bp.get("/documents/<int:document_id>")
@login_required
def progress(document_id: int):
    """Show how far the document has got, and the download link once it is ready."""
    document = _own_document(document_id)
    return render_template(
        "documents/progress.html",
        document=document,
        title=services.kind_of(document).title,
        urls=_urls(document),
    )


@bp.get("/documents/<int:document_id>.json")
@login_required
def progress_json(document_id: int):
    """Return the document's state for the page's script to follow without reloading."""
    document = _own_document(document_id)
    response = jsonify({**services.progress(document), **_urls(document)})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/documents/<int:document_id>/download")
@login_required
def download(document_id: int):
    """Send the rendered PDF, recording the download in the audit trail."""
    document = _own_document(document_id)
    if not services.is_ready(document) or document.pdf is None:
        abort(404)
    with unit_of_work(show_error=False):
        services.record_download(document, current_user)
    inline = services.kind_of(document).disposition == "inline"
    return private_file(document.pdf, "application/pdf", document.filename, inline=inline)
