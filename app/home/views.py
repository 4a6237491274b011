"""Each role's home page and a participant's own view of a session they hold a place in."""

from __future__ import annotations

from datetime import datetime

from flask import render_template, session
from flask_login import current_user, login_required

from app.accounts.permissions import is_participant
from app.attendance.forms import STATUS_LABELS
from app.enrolment.permissions import holds_place_in
from app.home import bp, services
from app.reporting.permissions import can_view_reports
from app.scheduling import services as scheduling
from app.scheduling.models import TrainingSession
from app.shared import clock
from app.shared.loading import load_or_abort
from app.shared.roles import RoleCode

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
    return render_template(
        "home/dashboard.html",
        week=services.trainer_week(current_user) if trainer else None,
        actions=services.trainer_actions(current_user) if trainer else None,
        reach=services.headline_reach() if manager else None,
        changes=services.changes_since(_last_visit()) if manager else None,
        next_training=services.next_training(current_user)
        if is_participant(current_user)
        else None,
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
