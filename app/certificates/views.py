"""HTTP views of the certificates domain: staff actions, downloads, public verification, API."""

from __future__ import annotations

from datetime import date

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from app.audit import services as audit
from app.certificates import batches, bp, services
from app.certificates.forms import ReissueForm, RevokeForm, VerifyForm
from app.certificates.models import BatchKind, Certificate, CertificateBatch
from app.certificates.permissions import (
    can_certify,
    can_download_certificate,
    can_download_transcript,
    can_manage_certificate,
    can_manage_certificates,
)
from app.enrolment.models import Enrolment, Participant
from app.enrolment.services import participant_for_user
from app.extensions import csrf, limiter
from app.scheduling.models import TrainingSession
from app.scheduling.panels import register_panel, register_shortcut_to
from app.shared.confirmation import confirmation_page, confirmed
from app.shared.downloads import private_file
from app.shared.formatting import date_range
from app.shared.loading import load_or_abort
from app.shared.unit_of_work import unit_of_work

# Two people issuing the same session at once race for the same numbers; one of them loses.
CONCURRENT_ISSUE = _l(
    "Someone else was issuing certificates for this session at the same moment. "
    "Nothing was issued by you; check the list and try again."
)


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


# One allowance per client for every way of checking a certificate (form, QR page, API), so that
# switching between them does not multiply the guesses a client may make.
verify_limit = limiter.shared_limit(_verify_limit, scope="certificate-verification")


def _managed_session(training_session_id: int) -> TrainingSession:
    return load_or_abort(TrainingSession, training_session_id, can_manage_certificates)


def _managed_certificate(number: str) -> Certificate:
    """Load a certificate the current user manages; others get 404, not a hint it exists."""
    return load_or_abort(
        Certificate, number, can_manage_certificate, by=Certificate.number, hide=True
    )


def _record_download(action: str, target) -> None:
    """Keep in the audit trail who took which certificates away."""
    with unit_of_work(show_error=False):
        audit.record(action, actor=current_user, target=target)


def _back_to_session(training_session: TrainingSession, batch: CertificateBatch | None = None):
    return redirect(
        url_for(
            "certificates.session_certificates",
            training_session_id=training_session.id,
            batch=batch.id if batch else None,
        )
    )


def _managed_batch(training_session_id: int, batch_id: int) -> CertificateBatch:
    training_session = _managed_session(training_session_id)

    def of_session(_user, batch: CertificateBatch) -> bool:
        return batch.training_session_id == training_session.id

    return load_or_abort(CertificateBatch, batch_id, of_session, hide=True)


def _shown_batches(training_session: TrainingSession) -> list[CertificateBatch]:
    """Return the batches the page reports on: the one asked for (?batch=) and any running."""
    shown = batches.running_batches(training_session)
    asked = request.args.get("batch", type=int)
    batch = batches.get_batch(training_session, asked) if asked else None
    if batch is not None and batch not in shown:
        shown.insert(0, batch)
    return shown


def batch_urls(batch: CertificateBatch) -> dict:
    """Return the addresses a batch's progress links to: itself, and its result when done."""
    ids = {"training_session_id": batch.training_session_id, "batch_id": batch.id}
    result = None
    if batch.finished and batch.kind == BatchKind.ZIP:
        result = url_for("certificates.batch_zip", **ids)
    elif batch.finished:
        result = url_for(
            "certificates.session_certificates",
            training_session_id=batch.training_session_id,
            _anchor="certificates",
        )
    return {"progress_url": url_for("certificates.batch_progress", **ids), "result_url": result}


# --- staff: a session's certificates -----------------------------------------------------


@bp.get("/training-sessions/<int:training_session_id>/certificates")
@login_required
def session_certificates(training_session_id: int):
    """List a session's completed participants and certificates, with the actions."""
    training_session = _managed_session(training_session_id)
    certificates = services.session_certificates(training_session)
    shown = [(batches.progress(b), batch_urls(b)) for b in _shown_batches(training_session)]
    return render_template(
        "certificates/session_certificates.html",
        training_session=training_session,
        enrolments=services.completed_enrolments(training_session),
        current={c.enrolment_id: c for c in certificates if c.revoked_at is None},
        certificates=certificates,
        due=services.due_enrolments(training_session),
        completed=services.session_completed(training_session),
        revoke_form=RevokeForm(),
        reissue_form=ReissueForm(),
        status_of=services.certificate_status,
        batches=shown,
        running=any(not progress["finished"] for progress, _urls in shown),
    )


def _issue_and_commit(action) -> tuple[bool, object]:
    """Run an issuing action and commit; on failure say why. Return (succeeded, result)."""
    try:
        with unit_of_work() as done:
            result = action()
    except IntegrityError:  # rolled back already: another trainer issued the same moment
        flash(str(CONCURRENT_ISSUE), "error")
        return False, None
    return (True, result) if done.ok else (False, None)


def _start_batch(training_session: TrainingSession, kind: BatchKind, **options):
    """Record a batch, commit, and say how it went: done already (no worker) or under way."""
    ok, batch = _issue_and_commit(
        lambda: batches.start_batch(training_session, current_user, kind, **options)
    )
    if not ok:
        return _back_to_session(training_session)
    if batch is None:
        flash(_("Every completed participant already has a certificate."), "info")
        return _back_to_session(training_session)
    batches.refresh(batch)  # without a worker, the job has run during the commit
    if not batch.finished:
        flash(_("The work has started; this page shows how far it has got."), "info")
    elif batch.kind == BatchKind.ZIP:
        flash(_("The ZIP of every valid certificate is ready."), "success")
    elif batch.done:
        flash(
            ngettext("%(num)d certificate issued.", "%(num)d certificates issued.", batch.done),
            "success",
        )
    if batch.failed:
        flash(
            ngettext(
                "%(num)d certificate could not be issued; see why below.",
                "%(num)d certificates could not be issued; see why below.",
                batch.failed,
            ),
            "error",
        )
    return _back_to_session(training_session, batch)


@bp.post("/training-sessions/<int:training_session_id>/certificates/issue")
@login_required
def issue_all(training_session_id: int):
    """Issue every certificate due in the session, as a batch a worker renders."""
    return _start_batch(_managed_session(training_session_id), BatchKind.ISSUE)


@bp.post("/training-sessions/<int:training_session_id>/certificates/reissue")
@login_required
def reissue_all(training_session_id: int):
    """Replace every valid certificate of the session with one made from current data."""
    training_session = _managed_session(training_session_id)
    form = ReissueForm()
    form.validate_on_submit()
    return _start_batch(training_session, BatchKind.REISSUE, reason=form.reason.data or "")


@bp.post("/training-sessions/<int:training_session_id>/certificates/zip")
@login_required
def zip_batch(training_session_id: int):
    """Put every valid certificate of the session into one ZIP, made by a worker."""
    return _start_batch(_managed_session(training_session_id), BatchKind.ZIP)


@bp.get("/training-sessions/<int:training_session_id>/certificates/batches/<int:batch_id>.json")
@login_required
def batch_progress(training_session_id: int, batch_id: int):
    """Return a batch's progress for the page's script to show without reloading."""
    batch = _managed_batch(training_session_id, batch_id)
    response = jsonify({**batches.progress(batch), **batch_urls(batch)})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/training-sessions/<int:training_session_id>/certificates/batches/<int:batch_id>.zip")
@login_required
def batch_zip(training_session_id: int, batch_id: int):
    """Download the ZIP a finished zip batch made."""
    batch = _managed_batch(training_session_id, batch_id)
    if batch.kind != BatchKind.ZIP or not batch.finished or batch.result is None:
        abort(404)
    _record_download("download.certificates_zip", batch.training_session)
    return private_file(
        batch.result, "application/zip", f"{batch.training_session.code}-certificates.zip"
    )


@bp.post("/enrolments/<int:enrolment_id>/certificate/issue")
@login_required
def issue_one(enrolment_id: int):
    """Issue the certificate of one completed enrolment."""
    enrolment = load_or_abort(Enrolment, enrolment_id, can_certify)
    ok, certificate = _issue_and_commit(lambda: services.issue(enrolment, current_user))
    if ok:
        flash(_("Certificate %(n)s is issued.", n=certificate.number), "success")
    return _back_to_session(enrolment.training_session)


@bp.post("/certificates/<number>/revoke")
@login_required
def revoke(number: str):
    """Revoke a certificate, with a reason, after asking (the verification page then says so)."""
    certificate = _managed_certificate(number)
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for revoking certificate %(n)s.", n=number), "error")
    elif not confirmed():
        holder = certificate.enrolment.participant.full_name
        back = url_for(
            "certificates.session_certificates",
            training_session_id=certificate.enrolment.training_session_id,
        )
        question = _("Revoke this certificate?")
        return confirmation_page(question, [f"{number} · {holder}"], _("Revoke"), back)
    else:
        with unit_of_work() as done:
            services.revoke(certificate, current_user, form.reason.data)
        if done.ok:
            flash(_("Certificate %(n)s is revoked.", n=number), "success")
    return _back_to_session(certificate.enrolment.training_session)


@bp.post("/certificates/<number>/reissue")
@login_required
def reissue(number: str):
    """Issue a corrected certificate from current data and revoke this one."""
    certificate = _managed_certificate(number)
    form = ReissueForm()
    form.validate_on_submit()
    with unit_of_work() as done:
        replacement = services.reissue(certificate, current_user, form.reason.data or "")
    if done.ok:
        flash(
            _("Certificate %(old)s is replaced by %(new)s.", old=number, new=replacement.number),
            "success",
        )
    return _back_to_session(certificate.enrolment.training_session)


@bp.get("/training-sessions/<int:training_session_id>/certificates.zip")
@login_required
def session_zip(training_session_id: int):
    """Download every valid certificate of the session as one ZIP."""
    training_session = _managed_session(training_session_id)
    _record_download("download.certificates_zip", training_session)
    return private_file(
        services.session_zip(training_session),
        "application/zip",
        f"{training_session.code}-certificates.zip",
    )


# --- downloads ---------------------------------------------------------------------------


@bp.get("/certificates/<number>.pdf")
@login_required
def download(number: str):
    """Download one certificate: its holder, the session's trainers, managers and admins."""
    # Never confirm that someone else's certificate exists.
    certificate = load_or_abort(
        Certificate, number, can_download_certificate, by=Certificate.number, hide=True
    )
    return private_file(certificate.pdf, "application/pdf", f"{certificate.number}.pdf")


@bp.get("/my-trainings/transcript.pdf")
@login_required
def transcript_own():
    """Download the signed-in participant's transcript of completed trainings."""
    participant = participant_for_user(current_user)
    if participant is None:
        abort(404)
    _record_download("download.transcript", participant)
    return private_file(services.transcript_pdf(participant), "application/pdf", "transcript.pdf")


@bp.get("/participants/<int:participant_id>/transcript.pdf")
@login_required
def transcript(participant_id: int):
    """Download a participant's transcript (managers and admins, or the participant themselves)."""
    participant = load_or_abort(Participant, participant_id, can_download_transcript, hide=True)
    _record_download("download.transcript", participant)
    return private_file(
        services.transcript_pdf(participant), "application/pdf", f"transcript-{participant.id}.pdf"
    )


# --- public verification -----------------------------------------------------------------


@bp.route("/verify", methods=["GET", "POST"])
@verify_limit
def verify():
    """Check a certificate by number or code, or check that an uploaded PDF is an original."""
    form = VerifyForm()
    upload_result = None
    if form.validate_on_submit():
        upload = form.document.data
        if upload and getattr(upload, "filename", ""):
            match = services.find_by_pdf(upload.read())
            upload_result = {
                "match": match is not None,
                "facts": services.public_facts(match) if match else None,
                "code": match.verification_code if match else None,
            }
        elif (form.query.data or "").strip():
            # Redirect to the value as typed: a number never leads to the code (nor the name).
            value = form.query.data.strip()
            return redirect(url_for("certificates.verify_code", code=value))
        else:
            flash(_("Type a certificate number or code, or choose a PDF file."), "error")
    return render_template("certificates/verify.html", form=form, upload_result=upload_result)


@bp.get("/verify/<code>")
@verify_limit
def verify_code(code: str):
    """Show whether a certificate is valid, revoked or expired (the QR code's target)."""
    certificate = services.find_certificate(code)
    facts = None
    if certificate is not None:
        facts = services.public_facts(
            certificate, with_name=services.looked_up_by_code(certificate, code)
        )
    return (
        render_template("certificates/verify_result.html", facts=facts, form=VerifyForm()),
        200 if facts else 404,
    )


@bp.get("/api/v1/certificates/<value>")
@csrf.exempt
@verify_limit
def api_certificate(value: str):
    """Return the public facts of a certificate as JSON (for employers checking in bulk)."""
    certificate = services.find_certificate(value)
    if certificate is None:
        return {"error": "not_found", "message": "No such certificate."}, 404
    return services.public_facts(
        certificate, with_name=services.looked_up_by_code(certificate, value)
    )


@bp.app_template_filter("isodate_range")
def _isodate_range(start: str | None, end: str | None) -> str:
    """Format two ISO date strings from frozen content as '2–6 March 2026'."""
    try:
        first = date.fromisoformat(start or "")
        last = date.fromisoformat(end or start or "")
    except ValueError:
        return start or ""
    return date_range(first, last)


# --- template helpers and the session panel ----------------------------------------------


@bp.app_template_filter("isodate")
def _isodate(value: str | None) -> str:
    """Format an ISO date string from frozen content as a long date."""
    if not value:
        return ""
    try:
        return format_date(date.fromisoformat(value), "d MMMM y")
    except ValueError:
        return value


@bp.app_context_processor
def _certificate_helpers() -> dict:
    def certificate_for(enrolment: Enrolment) -> Certificate | None:
        """Return the valid certificate of a completed enrolment, if issued."""
        if enrolment is None or enrolment.completed is not True:
            return None
        return services.current_certificate(enrolment)

    return {
        "certificate_for": certificate_for,
        "CertificateStatus": services.CertificateStatus,
        "certificate_status_labels": services.STATUS_LABELS,
    }


def _session_panel(training_session: TrainingSession) -> Markup | None:
    """Show certificate counts and actions on the session page to those who manage them."""
    if not can_manage_certificates(current_user, training_session):
        return None
    certificates = services.session_certificates(training_session)
    valid = [c for c in certificates if c.revoked_at is None]
    # render_template autoescapes; Markup only stops the panel list escaping it twice.
    return Markup(  # noqa: S704
        render_template(
            "certificates/_panel.html",
            training_session=training_session,
            valid_count=len(valid),
            revoked_count=len(certificates) - len(valid),
            due_count=len(services.due_enrolments(training_session)),
            completed=services.session_completed(training_session),
        )
    )


register_panel(_session_panel, order=70)
register_shortcut_to(
    "certificates.session_certificates", _l("Certificates"), can_manage_certificates, order=70
)
