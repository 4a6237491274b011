"""HTTP views of the attendance domain: roll call, sign-in sheets, uploads, completion."""

from __future__ import annotations

from datetime import date

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.attendance import bp, completion, services, sheets, uploads
from app.attendance.forms import (
    STATUS_LABELS,
    CompleteForm,
    MarkAllForm,
    MarkForm,
    OverrideForm,
    UploadConfirmForm,
    UploadForm,
)
from app.attendance.permissions import can_take_roll, can_view_attendance
from app.audit import services as audit
from app.documents.services import request_document
from app.enrolment.models import Enrolment
from app.extensions import db
from app.scheduling.models import SessionStatus, TrainingSession
from app.scheduling.panels import register_panel
from app.shared import pending_uploads
from app.shared.unit_of_work import unit_of_work

SESSION_URL = "/training-sessions/<int:training_session_id>"
PENDING_KIND = "attendance"


def _load(training_session_id: int, manage: bool = True) -> TrainingSession:
    training_session = db.get_or_404(TrainingSession, training_session_id)
    allowed = can_take_roll if manage else can_view_attendance
    if not allowed(current_user, training_session):
        abort(403)
    return training_session


def _day(training_session: TrainingSession, value: str) -> date:
    day = services.parse_day(training_session, value)
    if day is None:
        abort(404)
    return day


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _session_page(training_session: TrainingSession) -> str:
    if "scheduling.training_session_detail" in _view_functions():
        return url_for(
            "scheduling.training_session_detail", training_session_id=training_session.id
        )
    return url_for("attendance.session_summary", training_session_id=training_session.id)


def _view_functions() -> dict:
    from flask import current_app

    return current_app.view_functions


@bp.get(f"{SESSION_URL}/attendance")
@login_required
def roll_call_today(training_session_id: int):
    """Open the roll call on today's date while the session runs, else on its first day."""
    training_session = _load(training_session_id)
    day = services.default_day(training_session)
    return redirect(
        url_for(
            "attendance.roll_call", training_session_id=training_session.id, day=day.isoformat()
        )
    )


@bp.get(f"{SESSION_URL}/attendance/<day>")
@login_required
def roll_call(training_session_id: int, day: str):
    """Show one day's roll call: one row and four big buttons per enrolled person."""
    training_session = _load(training_session_id)
    the_day = _day(training_session, day)
    rows = services.roll_call_rows(training_session, the_day)
    return render_roll_call(training_session, the_day, rows)


def render_roll_call(training_session, day: date, rows: list[services.RollCallRow]) -> str:
    """Render the roll-call page from plain rows (the benchmark reuses this with a Python list)."""
    return render_template(
        "attendance/roll_call.html",
        training_session=training_session,
        day=day,
        days=training_session.days,
        rows=rows,
        counts=services.count_rows(rows, day),
        # Translate the four labels once, not once per button (240 lookups for 60 people).
        statuses={status: str(label) for status, label in STATUS_LABELS.items()},
        editable=training_session.status not in (SessionStatus.DRAFT, SessionStatus.CANCELLED),
    )


@bp.post(f"{SESSION_URL}/attendance/<day>/<int:enrolment_id>")
@login_required
def mark(training_session_id: int, day: str, enrolment_id: int):
    """Record one tap; answer JSON to the page's script, else reload at the person's row."""
    training_session = _load(training_session_id)
    the_day = _day(training_session, day)
    form = MarkForm()
    back = url_for(
        "attendance.roll_call",
        training_session_id=training_session.id,
        day=the_day.isoformat(),
        _anchor=f"e{enrolment_id}",
    )
    if not form.validate_on_submit():
        if _wants_json():
            return jsonify(ok=False, error=_("Choose present, late, excused or absent.")), 400
        flash(_("Choose present, late, excused or absent."), "error")
        return redirect(back)
    with unit_of_work(show_error=not _wants_json()) as done:
        services.mark(training_session, enrolment_id, the_day, form.status.data, current_user)
    if not done.ok:
        if _wants_json():
            return jsonify(ok=False, error=str(done.error)), 409
        return redirect(back)
    if _wants_json():
        counts = services.day_counts(training_session, the_day)
        return jsonify(
            ok=True,
            enrolment_id=enrolment_id,
            status=form.status.data,
            counts={
                **{status: counts.by_status[status] for status in services.STATUSES},
                "unmarked": counts.unmarked,
            },
        )
    return redirect(back)


@bp.post(f"{SESSION_URL}/attendance/marks")
@login_required
def record_marks(training_session_id: int):
    """Keep a batch of taps saved on a phone while offline; resending a batch is harmless."""
    training_session = _load(training_session_id)
    marks = request.get_json(silent=True)
    if not isinstance(marks, list):
        return jsonify(ok=False, error=_("Send a list of marks.")), 400
    with unit_of_work(show_error=False) as done:
        batch = services.record_marks(training_session, marks, current_user)
    if not done.ok:
        return jsonify(ok=False, error=str(done.error)), 409
    return jsonify(ok=True, saved=batch.saved, refused=batch.refused, superseded=batch.superseded)


@bp.get("/roll-call-sw.js")
def roll_call_worker():
    """Serve the roll call's service worker from the root, so its scope covers the sessions."""
    response = send_from_directory(
        current_app.static_folder, "js/roll-call-sw.js", mimetype="text/javascript", max_age=0
    )
    # The worker fetches pages and assets of this site; the files' policy ('none') would stop it.
    response.headers["Content-Security-Policy"] = "default-src 'self'"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.post(f"{SESSION_URL}/attendance/<day>/all")
@login_required
def mark_all(training_session_id: int, day: str):
    """Mark everyone not yet marked present (or everyone with the chosen status)."""
    training_session = _load(training_session_id)
    the_day = _day(training_session, day)
    form = MarkAllForm()
    if form.validate_on_submit():
        with unit_of_work() as done:
            changed = services.mark_all(
                training_session,
                the_day,
                current_user,
                status=form.status.data,
                overwrite=form.overwrite.data,
            )
        if done.ok:
            flash(
                _(
                    "%(count)d people marked %(status)s.",
                    count=changed,
                    status=STATUS_LABELS[form.status.data].lower(),
                ),
                "success",
            )
    else:
        flash(_("Choose present, late, excused or absent."), "error")
    return redirect(
        url_for(
            "attendance.roll_call", training_session_id=training_session.id, day=the_day.isoformat()
        )
    )


@bp.get(f"{SESSION_URL}/attendance/<day>/sign-in-sheet.pdf")
@login_required
def sign_in_sheet_page(training_session_id: int, day: str):
    """Send an old link to a sheet to the attendance summary, whose buttons prepare sheets."""
    training_session = _load(training_session_id, manage=False)
    _day(training_session, day)
    return redirect(url_for("attendance.session_summary", training_session_id=training_session.id))


@bp.post(f"{SESSION_URL}/attendance/<day>/sign-in-sheet.pdf")
@login_required
def sign_in_sheet(training_session_id: int, day: str):
    """Ask a worker for the day's printable sign-in sheet; follow it on its progress page."""
    training_session = _load(training_session_id, manage=False)
    the_day = _day(training_session, day)
    document = request_document(
        sheets.KIND,
        {"training_session_id": training_session.id, "day": the_day.isoformat()},
        current_user,
    )
    db.session.commit()
    return redirect(url_for("documents.progress", document_id=document.id))


@bp.get(f"{SESSION_URL}/attendance/summary")
@login_required
def session_summary(training_session_id: int):
    """Show attendance by day, by country of service and by participant."""
    training_session = _load(training_session_id, manage=False)
    summary = services.session_attendance(training_session)
    grid = services.participant_grid(training_session)
    return render_template(
        "attendance/session_summary.html",
        training_session=training_session,
        summary=summary,
        grid=grid,
        statuses=STATUS_LABELS,
        can_take_roll=can_take_roll(current_user, training_session),
    )


@bp.get(f"{SESSION_URL}/attendance/template.csv")
@login_required
def csv_template(training_session_id: int):
    """Download a CSV listing every enrolled person for every day, to fill in from paper."""
    training_session = _load(training_session_id)
    audit.record("export.attendance_template", actor=current_user, target=training_session)
    db.session.commit()
    return Response(
        uploads.template_csv(training_session),
        mimetype="text/csv",
        headers={
            "Content-Disposition": (
                f'attachment; filename="attendance-{training_session.code}.csv"'
            ),
            "Cache-Control": "private, no-store",
        },
    )


def _pending_scope(training_session: TrainingSession) -> dict:
    """Tie a kept roll-call file to its uploader and session."""
    return {"training_session_id": training_session.id, "user_id": current_user.id}


@bp.route(f"{SESSION_URL}/attendance/upload", methods=["GET", "POST"])
@login_required
def upload(training_session_id: int):
    """Check an uploaded attendance CSV and preview it; nothing is recorded yet."""
    training_session = _load(training_session_id)
    form = UploadForm()
    plan = confirm_form = None
    if form.validate_on_submit():
        filename, content = form.file.data.filename or "", form.file.data.read()
        plan = uploads.plan_upload(training_session, filename, content)
        if plan.ok:
            try:
                token = pending_uploads.store(
                    PENDING_KIND, filename, content, _pending_scope(training_session)
                )
            except pending_uploads.PendingUploadError as exc:
                form.file.errors.append(str(exc))
            else:
                confirm_form = UploadConfirmForm(token=token)
    status = 422 if plan is not None and plan.errors else 200
    return (
        render_template(
            "attendance/upload.html",
            training_session=training_session,
            form=form,
            plan=plan,
            confirm_form=confirm_form,
            columns=uploads.COLUMNS,
            statuses=STATUS_LABELS,
        ),
        status,
    )


@bp.post(f"{SESSION_URL}/attendance/upload/confirm")
@login_required
def upload_confirm(training_session_id: int):
    """Record a previewed file, checking it again; all rows or none."""
    training_session = _load(training_session_id)
    form = UploadConfirmForm()
    back = url_for("attendance.upload", training_session_id=training_session.id)
    if not form.validate_on_submit():
        flash(_("Upload the file again."), "error")
        return redirect(back)
    with unit_of_work() as done:
        filename, content = pending_uploads.load(
            PENDING_KIND, form.token.data, _pending_scope(training_session)
        )
        plan = uploads.apply_upload(training_session, filename, content, current_user)
        audit.record(
            "import.roll_call",
            actor=current_user,
            target=training_session,
            details={"created": plan.to_create, "updated": plan.to_update},
        )
    if not done.ok:
        return redirect(back)
    pending_uploads.discard(form.token.data)
    flash(
        _(
            "Attendance recorded: %(created)d new, %(updated)d changed, %(same)d unchanged.",
            created=plan.to_create,
            updated=plan.to_update,
            same=plan.unchanged,
        ),
        "success",
    )
    return redirect(url_for("attendance.session_summary", training_session_id=training_session.id))


@bp.route(f"{SESSION_URL}/completion", methods=["GET", "POST"])
@login_required
def complete_session(training_session_id: int):
    """Preview each person's completion by the course's rule, then close the session."""
    training_session = _load(training_session_id)
    form = CompleteForm()
    if form.validate_on_submit():
        with unit_of_work() as outcome:
            decisions = completion.complete_session(training_session, current_user)
        if outcome.ok:
            done = sum(1 for decision in decisions if decision.completed)
            flash(
                _(
                    "Session completed: %(done)d of %(total)d participants completed the course.",
                    done=done,
                    total=len(decisions),
                ),
                "success",
            )
        return redirect(
            url_for("attendance.complete_session", training_session_id=training_session.id)
        )
    decisions = completion.preview(training_session)
    return render_template(
        "attendance/complete_session.html",
        training_session=training_session,
        decisions=decisions,
        overriders=completion.overrider_names(decisions),
        threshold=completion.threshold_of(training_session),
        can_complete=completion.can_complete(training_session),
        completed=training_session.status == SessionStatus.COMPLETED,
        form=form,
    )


@bp.route(f"{SESSION_URL}/enrolments/<int:enrolment_id>/completion", methods=["GET", "POST"])
@login_required
def override_completion(training_session_id: int, enrolment_id: int):
    """Let a trainer replace one completion decision, with a written reason."""
    training_session = _load(training_session_id)
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.training_session_id != training_session.id:
        abort(404)
    back = url_for("attendance.complete_session", training_session_id=training_session.id)
    if training_session.status != SessionStatus.COMPLETED:
        flash(_("Complete the session before overriding a decision."), "error")
        return redirect(back)
    form = OverrideForm()
    if request.method == "GET":
        form.completed.data = "yes" if enrolment.completed else "no"
    if form.validate_on_submit():
        with unit_of_work() as done:
            completion.override_completion(
                enrolment, form.completed.data == "yes", form.reason.data, current_user
            )
        if done.ok:
            flash(_("The decision was changed and the reason kept."), "success")
            return redirect(back)
    decision = next(
        (d for d in completion.preview(training_session) if d.enrolment.id == enrolment.id), None
    )
    return render_template(
        "attendance/override_completion.html",
        training_session=training_session,
        enrolment=enrolment,
        decision=decision,
        overrider=completion.overrider_names([decision]).get(enrolment.completion_overridden_by_id)
        if decision
        else None,
        threshold=completion.threshold_of(training_session),
        form=form,
    )


@register_panel
def attendance_panel(training_session: TrainingSession) -> Markup | None:
    """Show attendance by day and by country of service on the session page."""
    if not can_view_attendance(current_user, training_session):
        return None
    if training_session.status in (SessionStatus.DRAFT, SessionStatus.CANCELLED):
        return None
    summary = services.session_attendance(training_session)
    # render_template autoescapes; Markup only stops the session page escaping it twice.
    return Markup(  # noqa: S704
        render_template(
            "attendance/_panel.html",
            training_session=training_session,
            summary=summary,
            can_take_roll=can_take_roll(current_user, training_session),
            can_complete=completion.can_complete(training_session),
            today=services.default_day(training_session),
        )
    )
