"""The nominee's answer to an accepted place: confirm it, or decline it (a withdrawal)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.nominations import bp, services
from app.nominations.focal_forms import TargetForm
from app.nominations.models import Nomination
from app.nominations.models import NominationStatus as S
from app.nominations.permissions import is_nominee
from app.nominations.transitions import Actor
from app.shared.loading import load_or_abort
from app.shared.unit_of_work import unit_of_work


@bp.post("/my/nominations/<int:nomination_id>/answer")
@login_required
def nominee_answer(nomination_id: int):
    """Confirm an accepted place, or decline it; staff then enrol those who confirmed."""
    nomination = load_or_abort(Nomination, nomination_id, is_nominee, hide=True)
    form = TargetForm()
    if form.validate_on_submit() and form.target.data in (S.CONFIRMED, S.WITHDRAWN):
        with unit_of_work() as done:
            services.apply_move(nomination, form.target.data, current_user, Actor.PARTICIPANT)
        if done.ok and nomination.status == S.CONFIRMED:
            flash(_("Thank you: your place is confirmed. The team will enrol you."), "success")
        elif done.ok:
            flash(_("You declined the place; your focal point is told."), "success")
    back = "home.dashboard" if request.form.get("back") == "home" else "nominations.my_nominations"
    return redirect(url_for(back))
