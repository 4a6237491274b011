"""HTTP views of the attendance domain: roll call, sign-in sheets, uploads, completion."""

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
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup

from app.attendance import bp, completion, services, sheets, uploads
from app.attendance.forms import (
    CompleteForm,
    MarkAllForm,
    MarkForm,
    OverrideForm,
    UploadConfirmForm,
    UploadForm,
)
from app.attendance.labels import STATUS_LABELS
from app.attendance.permissions import can_call_the_roll_now, can_take_roll, can_view_attendance
from app.audit import services as audit
from app.enrolment.models import Enrolment
from app.scheduling.models import TrainingSession
from app.scheduling.panels import register_completion_page, register_panel, register_shortcut_to
from app.shared.downloads import private_file
from app.shared.imports import ImportChoices
from app.shared.loading import load_or_abort
from app.shared.unit_of_work import unit_of_work

SESSION_URL = "/training-sessions/<int:training_session_id>"
CHOOSE_STATUS = _l("Choose present, late, excused or absent.")


def _roll(training_session_id: int) -> TrainingSession:
    """Load a session whose roll the current user takes."""
    return load_or_abort(TrainingSession, training_session_id, can_take_roll)


def _figures(training_session_id: int) -> TrainingSession:
    """Load a session whose attendance figures the current user may see."""
    return load_or_abort(TrainingSession, training_session_id, can_view_attendance)


def _day(training_session: TrainingSession, value: str) -> date:
    day = services.parse_day(training_session, value)
    if day is None:
        abort(404)
    return day


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _roll_call_url(training_session: TrainingSession, day: date, **anchor: str) -> str:
    ids = {"training_session_id": training_session.id, "day": day.isoformat()}
    return url_for("attendance.roll_call", **ids, **anchor)


def _refuse_tap(back: str, message: str, status: int):
    """Answer a refused tap: JSON to the page's script, else a message at the person's row."""
    if _wants_json():
        return jsonify(ok=False, error=message), status
    flash(message, "error")
    return redirect(back)


@bp.get(f"{SESSION_URL}/attendance")
@login_required
def roll_call_today(training_session_id: int):
    """Open the roll call on today's date while the session runs, else on its first day."""
    training_session = _roll(training_session_id)
    return redirect(_roll_call_url(training_session, services.default_day(training_session)))


@bp.get(f"{SESSION_URL}/attendance/<day>")
@login_required
def roll_call(training_session_id: int, day: str):
    """Show one day's roll call: one row and four big buttons per enrolled person."""
    training_session = _roll(training_session_id)
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
        editable=services.roll_is_editable(training_session),
        completed=completion.is_completed(training_session),
        search_key=services.search_key,
    )


@bp.post(f"{SESSION_URL}/attendance/<day>/<int:enrolment_id>")
@login_required
def mark(training_session_id: int, day: str, enrolment_id: int):
    """Record one tap; answer JSON to the page's script, else reload at the person's row."""
    training_session = _roll(training_session_id)
    the_day = _day(training_session, day)
    form = MarkForm()
    back = _roll_call_url(training_session, the_day, _anchor=f"e{enrolment_id}")
    if not form.validate_on_submit():
        return _refuse_tap(back, str(CHOOSE_STATUS), 400)
    with unit_of_work(show_error=False) as done:
        services.mark(training_session, enrolment_id, the_day, form.status.data, current_user)
    if not done.ok:
        return _refuse_tap(back, str(done.error), 409)
    if not _wants_json():
        return redirect(back)
    counts = services.day_counts(training_session, the_day)
    return jsonify(
        ok=True, enrolment_id=enrolment_id, status=form.status.data, counts=counts.as_json()
    )


@bp.post(f"{SESSION_URL}/attendance/marks")
@login_required
def record_marks(training_session_id: int):
    """Keep a batch of taps saved on a phone while offline; resending a batch is harmless."""
    training_session = _roll(training_session_id)
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
    training_session = _roll(training_session_id)
    the_day = _day(training_session, day)
    form = MarkAllForm()
    if not form.validate_on_submit():
        flash(str(CHOOSE_STATUS), "error")
        return redirect(_roll_call_url(training_session, the_day))
    status = form.status.data
    with unit_of_work() as done:
        changed = services.mark_all(
            training_session, the_day, current_user, status=status, overwrite=form.overwrite.data
        )
    if done.ok:
        label = STATUS_LABELS[status].lower()
        flash(_("%(count)d people marked %(status)s.", count=changed, status=label), "success")
    return redirect(_roll_call_url(training_session, the_day))


@bp.get(f"{SESSION_URL}/attendance/<day>/sign-in-sheet.pdf")
@login_required
def sign_in_sheet_page(training_session_id: int, day: str):
    """Send an old link to a sheet to the attendance summary, whose buttons prepare sheets."""
    training_session = _figures(training_session_id)
    _day(training_session, day)
    return redirect(url_for("attendance.session_summary", training_session_id=training_session.id))


@bp.post(f"{SESSION_URL}/attendance/<day>/sign-in-sheet.pdf")
@login_required
def sign_in_sheet(training_session_id: int, day: str):
    """Ask a worker for the day's printable sign-in sheet; follow it on its progress page."""
    training_session = _figures(training_session_id)
    the_day = _day(training_session, day)
    with unit_of_work(show_error=False):
        document = sheets.request_sheet(training_session, the_day, current_user)
    return redirect(url_for("documents.progress", document_id=document.id))


@bp.get(f"{SESSION_URL}/attendance/summary")
@login_required
def session_summary(training_session_id: int):
    """Show attendance by day, by country of service and by participant."""
    training_session = _figures(training_session_id)
    return render_template(
        "attendance/session_summary.html",
        training_session=training_session,
        summary=services.session_attendance(training_session),
        grid=services.participant_grid(training_session),
        statuses=STATUS_LABELS,
        can_take_roll=can_take_roll(current_user, training_session),
    )


@bp.get(f"{SESSION_URL}/attendance/template.csv")
@login_required
def csv_template(training_session_id: int):
    """Download a CSV listing every enrolled person for every day, to fill in from paper."""
    training_session = _roll(training_session_id)
    with unit_of_work(show_error=False):
        audit.record("export.attendance_template", actor=current_user, target=training_session)
    return private_file(
        uploads.template_csv(training_session),
        "text/csv",
        f"attendance-{training_session.code}.csv",
    )


@bp.route(f"{SESSION_URL}/attendance/upload", methods=["GET", "POST"])
@login_required
def upload(training_session_id: int):
    """Check an uploaded attendance CSV and preview it; nothing is recorded yet."""
    training_session = _roll(training_session_id)
    form = UploadForm()
    plan = token = None
    if form.validate_on_submit():
        filename, content = form.file.data.filename or "", form.file.data.read()
        with unit_of_work():  # keeping the file may be refused (too many kept uploads)
            plan, token = uploads.preview_upload(training_session, filename, content, current_user)
    return _upload_page(training_session, form, plan, token)


def _upload_page(training_session: TrainingSession, form: UploadForm, plan, token: str | None):
    page = render_template(
        "attendance/upload.html",
        training_session=training_session,
        form=form,
        plan=plan,
        confirm_form=UploadConfirmForm(token=token) if token else None,
        columns=uploads.COLUMNS,
        statuses=STATUS_LABELS,
    )
    return page, 422 if plan is not None and plan.errors else 200


@bp.post(f"{SESSION_URL}/attendance/upload/confirm")
@login_required
def upload_confirm(training_session_id: int):
    """Record a previewed file as chosen (all rows, or the good ones), or read it again."""
    training_session = _roll(training_session_id)
    form = UploadConfirmForm()
    back = url_for("attendance.upload", training_session_id=training_session.id)
    if not form.validate_on_submit():
        flash(_("Upload the file again."), "error")
        return redirect(back)
    choices = ImportChoices.from_form(request.form)
    with unit_of_work() as done:
        plan, recorded = uploads.confirm_upload(
            training_session, form.token.data, current_user, choices
        )
    if not done.ok:
        return redirect(back)
    if not recorded:
        return _upload_page(training_session, UploadForm(), plan, form.token.data)
    flash(plan.sentence(), "success")
    return redirect(url_for("attendance.session_summary", training_session_id=training_session.id))


def _complete(training_session: TrainingSession) -> None:
    """Close the session and say how many completed the course."""
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


@bp.route(f"{SESSION_URL}/completion", methods=["GET", "POST"])
@login_required
def complete_session(training_session_id: int):
    """Preview each person's completion by the course's rule, then close the session."""
    training_session = _roll(training_session_id)
    form = CompleteForm()
    if form.validate_on_submit():
        _complete(training_session)
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
        completed=completion.is_completed(training_session),
        form=form,
    )


def _override_page(training_session: TrainingSession, enrolment: Enrolment, form: OverrideForm):
    decision = completion.decision_of(training_session, enrolment)
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


@bp.route(f"{SESSION_URL}/enrolments/<int:enrolment_id>/completion", methods=["GET", "POST"])
@login_required
def override_completion(training_session_id: int, enrolment_id: int):
    """Let a trainer replace one completion decision, with a written reason."""
    training_session = _roll(training_session_id)
    enrolment = load_or_abort(Enrolment, enrolment_id, _of(training_session), hide=True)
    back = url_for("attendance.complete_session", training_session_id=training_session.id)
    if not completion.is_completed(training_session):
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
    return _override_page(training_session, enrolment, form)


def _of(training_session: TrainingSession):
    """Return a predicate that admits only the session's own enrolments."""
    return lambda _user, enrolment: enrolment.training_session_id == training_session.id


register_shortcut_to(
    "attendance.roll_call_today", _l("Roll call"), can_call_the_roll_now, primary=True, order=10
)


@register_completion_page
def completion_url(training_session: TrainingSession) -> str:
    """Complete sessions here, where the roll decides who completed, not by a status button."""
    return url_for("attendance.complete_session", training_session_id=training_session.id)


@register_panel
def attendance_panel(training_session: TrainingSession) -> Markup | None:
    """Show attendance by day and by country of service on the session page."""
    if not can_view_attendance(current_user, training_session):
        return None
    if not services.roll_is_editable(training_session):
        return None
    can_complete = completion.can_complete(training_session)
    # render_template autoescapes; Markup only stops the session page escaping it twice.
    return Markup(  # noqa: S704
        render_template(
            "attendance/_panel.html",
            training_session=training_session,
            summary=services.session_attendance(training_session),
            can_take_roll=can_take_roll(current_user, training_session),
            show_completion=can_complete or completion.is_completed(training_session),
            today=services.default_day(training_session),
        )
    )
