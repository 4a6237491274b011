"""Public pages of the credentials domain: the issuer's DID, status lists, verification upload."""

from __future__ import annotations

import json

import segno
from flask import Response, abort, current_app, jsonify, render_template
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from app.certificates.models import Certificate
from app.certificates.permissions import can_download_certificate
from app.certificates.services import certificate_numbered
from app.credentials import bp, services
from app.credentials.forms import CredentialUploadForm
from app.extensions import limiter
from app.shared.loading import load_or_abort
from app.shared.urls import external_url

# A credential is a few kilobytes; anything much larger is not one.
MAX_UPLOAD = 256 * 1024


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


def _json(document: dict, filename: str | None = None, max_age: int = 300) -> Response:
    response = jsonify(document)
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers run in other origins
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/.well-known/did.json")
def did_document():
    """Publish the issuer's did:web document with every key, old and current."""
    return _json(services.did_document())


@bp.get("/credentials/issuer")
def issuer_profile():
    """Publish the issuer's Open Badges Profile."""
    return _json({"@context": services.CONTEXT, **services.issuer_profile()})


@bp.get("/credentials/status/<int:list_id>")
def status_list(list_id: int):
    """Publish a signed BitstringStatusListCredential (it tells nobody who is checked)."""
    document = services.published_status_list(list_id)
    if document is None:
        abort(404)
    return _json(document, max_age=60)


@bp.get("/credentials/achievements/<slug>/<int:version_number>")
def achievement(slug: str, version_number: int):
    """Publish the Achievement a credential's achievement id names."""
    document = services.public_achievement(slug, version_number)
    if document is None:
        abort(404)
    return _json(document)


@bp.get("/certificates/<number>/credential.json")
@login_required
def download(number: str):
    """Download the signed credential of a certificate: its holder and its managers."""
    certificate = load_or_abort(
        Certificate, number, can_download_certificate, by=Certificate.number, hide=True
    )
    credential = services.credential_of(certificate)
    if credential is None:
        abort(404)
    response = _json(credential.document, f"{certificate.number}.json", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers.pop("Access-Control-Allow-Origin")
    return response


@bp.route("/credentials/verify", methods=["GET", "POST"])
@limiter.limit(_verify_limit, methods=["POST"])
def verify():
    """Check an uploaded credential: which of signature, key, dates and revocation failed."""
    form = CredentialUploadForm()
    result = None
    if form.validate_on_submit():
        data = form.document.data.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            form.document.errors.append(_("The file is too large to be a credential."))
        else:
            try:
                document = json.loads(data)
            except (UnicodeDecodeError, json.JSONDecodeError):
                document = None
            result = services.verify(document)
    return render_template(
        "credentials/verify.html", form=form, result=result, checks=services.CHECKS
    )


@bp.app_template_global("credential_qr")
def credential_qr(url: str) -> Markup:
    """Return an inline SVG QR code of a credential link, for wallets to scan."""
    return Markup(segno.make(url, error="m").svg_inline(scale=3))  # noqa: S704  (segno's own SVG)


@bp.app_template_global("has_credential")
def has_credential(certificate: Certificate) -> bool:
    """Return whether a certificate has a signed credential to offer (templates' test)."""
    return services.credential_of(certificate) is not None


@bp.app_template_global("credential_download_url")
def credential_download_url(number: str) -> str | None:
    """Return the link to a certificate's credential for its email, or None when it has none."""
    certificate = certificate_numbered(number)
    if certificate is None or services.credential_of(certificate) is None:
        return None
    return external_url("credentials.download", number=number)
