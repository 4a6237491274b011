"""Each role's home page and a participant's own view of a session they hold a place in."""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.accounts.permissions import is_focal_point, is_participant
from app.attendance.labels import STATUS_LABELS
from app.enrolment.permissions import holds_place_in
from app.home import bp, services
from app.nominations import focal
from app.nominations.nominee import places_to_answer
from app.reporting.permissions import can_view_reports
from app.scheduling import ical
from app.scheduling import services as scheduling
from app.scheduling.models import TrainingSession
from app.shared import clock
from app.shared.i18n import supported_language
from app.shared.loading import load_or_abort
from app.shared.roles import RoleCode
from app.shared.unit_of_work import unit_of_work

SINCE_KEY = "home_since"  # when the manager last opened the home page, in their session cookie


def _last_visit() -> datetime | None:
    """Return when this browser last showed the manager's home page, then remember now."""
    try:
        since = datetime.fromisoformat(session.get(SINCE_KEY, ""))
    except ValueError:
        since = None
    session[SINCE_KEY] = clock.now().isoformat()
    return since


@bp.get("/home")
@login_required
def dashboard():
    """Put each role's work first: the trainer's day, the manager's reach, the next training."""
    trainer = RoleCode.TRAINER in current_user.roles
    manager = can_view_reports(current_user)
    focal_point = is_focal_point(current_user)
    return render_template(
        "home/dashboard.html",
        week=services.trainer_week(current_user) if trainer else None,
        actions=services.trainer_actions(current_user) if trainer else None,
        reach=services.headline_reach() if manager else None,
        changes=services.changes_since(_last_visit()) if manager else None,
        next_training=services.next_training(current_user)
        if is_participant(current_user)
        else None,
        has_feed=scheduling.has_calendar_feed(current_user),
        focal_lines=focal.calls_of(current_user, open_only=True) if focal_point else None,
        offers=places_to_answer(current_user),
    )


@bp.get("/my-trainings/<int:training_session_id>")
@login_required
def own_session(training_session_id: int):
    """Show a participant their session: dates, place, agenda, trainers and their own record."""
    training_session = load_or_abort(TrainingSession, training_session_id, holds_place_in)
    return render_template(
        "home/own_session.html",
        ts=training_session,
        agenda=scheduling.agenda_by_day(training_session),
        place=services.own_place(current_user, training_session),
        attendance_labels=STATUS_LABELS,
    )


# --- A personal calendar feed ----------------------------------------------------------------


@bp.post("/my-calendar")
@login_required
def calendar_feed_issue():
    """Make a new secret feed address (the old one stops working) and show it this once."""
    with unit_of_work() as done:
        raw = scheduling.issue_calendar_feed(current_user)
    if not done.ok:
        return redirect(url_for("home.dashboard"))
    url = url_for("home.calendar_feed", token=raw, _external=True)
    return render_template("home/calendar_feed.html", url=url)


@bp.post("/my-calendar/revoke")
@login_required
def calendar_feed_revoke():
    """Stop the secret feed address from working, after asking (a page without JavaScript)."""
    if request.form.get("confirmed") != "yes":
        return render_template(
            "_confirm.html",
            question=_("Stop your calendar feed?"),
            names=[_("Calendars subscribed to it no longer receive your sessions.")],
            confirm_label=_("Stop the feed"),
            action=request.path,
            fields=[],
            back=url_for("home.dashboard"),
        )
    with unit_of_work() as done:
        scheduling.revoke_calendar_feed(current_user)
    if done.ok:
        flash(_("Your calendar feed is stopped."), "success")
    return redirect(url_for("home.dashboard"))


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    """Serve the sessions a person teaches or holds a place in, to their calendar app."""
    owner = scheduling.calendar_feed_owner(token)
    if owner is None:
        abort(404)
    sessions = services.calendar_sessions(owner)
    # Calendar apps send no cookie: the feed speaks the language its subscriber chose.
    language = supported_language(owner.language)
    body = ical.calendar(_l("My trainings"), sessions, _session_url, language=language)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="my-trainings.ics"'
    response.headers["Cache-Control"] = "private, max-age=900"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _session_url(training_session: TrainingSession) -> str:
    return url_for(
        "scheduling.training_session_detail",
        training_session_id=training_session.id,
        _external=True,
    )
