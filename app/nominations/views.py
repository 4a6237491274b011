"""Pages for calls for nominations: staff open, edit and review; focal points and nominees read.

The focal point's nominating forms and the nominee's confirmation build on these services.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.enrolment.services import participant_for_user
from app.nominations import bp, queries, services
from app.nominations.forms import SEATS_PREFIX, CallForm, MoveForm, VettingForm
from app.nominations.labels import ACTION_LABELS, STATUS_LABELS, VETTING_LABELS
from app.nominations.models import Nomination, NominationCall
from app.nominations.permissions import (
    can_manage_call,
    can_manage_calls,
    can_view_call,
    focal_countries_in,
)
from app.nominations.transitions import Actor, next_states
from app.scheduling.models import TrainingSession
from app.scheduling.panels import register_panel
from app.shared import clock
from app.shared.loading import load_or_abort
from app.shared.unit_of_work import unit_of_work


def _call_fields(form: CallForm, call: NominationCall | None) -> dict:
    """Return the service keywords a submitted call form stands for."""
    current = {c.country_code: c.seats for c in call.countries} if call else {}
    return {
        "deadline_local": form.deadline.data,
        "countries": form.seats(request.form, current),
        "audiences": form.audiences.data,
        "agency_types": form.agency_types.data,
        "min_years_of_service": form.min_years_of_service.data,
        "working_language": form.working_language.data,
        "other_criteria": form.other_criteria.data,
        "women_target_percent": form.women_target_percent.data,
    }


def _call_form(training_session: TrainingSession, call: NominationCall | None) -> CallForm:
    """Return the form filled from the call, or from the session's defaults for a new one."""
    form = CallForm(obj=call)
    if request.method == "GET":
        form.countries.data = (
            call.country_codes if call else services.default_invited_countries(training_session)
        )
        form.audiences.data = call.audiences if call else training_session.course.audiences
        form.working_language.data = (call and call.working_language) or training_session.language
        form.deadline.data = services.local_deadline(call) if call else None
    return form


@bp.route("/training-sessions/<int:training_session_id>/nominations", methods=["GET", "POST"])
@login_required
def call_edit(training_session_id: int):
    """Open a call for nominations on a session, or change its criteria, deadline and seats."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_manage_calls)
    call = queries.call_for_session(training_session)
    form = _call_form(training_session, call)
    if form.validate_on_submit():
        with unit_of_work() as done:
            call = services.save_call(training_session, current_user, **_call_fields(form, call))
        if done.ok:
            flash(_("The call for nominations is saved."), "success")
            return redirect(url_for("nominations.call_review", call_id=call.id))
    return render_template(
        "nominations/call_form.html",
        form=form,
        training_session=training_session,
        call=call,
        seats={c.country_code: c.seats for c in call.countries} if call else {},
        default_seats=services.default_seats(training_session),
        seats_prefix=SEATS_PREFIX,
    )


@bp.get("/nominations/calls/<int:call_id>/review")
@login_required
def call_review(call_id: int):
    """Show each invited country's seats and nominees, the criteria met, and the decisions."""
    call = load_or_abort(NominationCall, call_id, can_manage_call)
    return render_template(
        "nominations/review.html",
        call=call,
        tallies=queries.country_tallies(call),
        nominations=queries.nominations_of(call, current=True),
        balance=queries.gender_balance(call),
        places_left=services.places_left(call),
        criteria_for=queries.criteria_for,
        staff_moves=lambda nomination: next_states(nomination.status, Actor.STAFF),
        vetting_form=VettingForm(checked_on=clock.today_in(call.training_session.timezone)),
        **_labels(),
    )


def _labels() -> dict:
    """Return the labels and forms the call pages share."""
    return {
        "status_labels": STATUS_LABELS,
        "action_labels": ACTION_LABELS,
        "vetting_labels": VETTING_LABELS,
        "move_form": MoveForm(),
        "deadline_text": services.deadline_text,
        "before_deadline": services.before_deadline,
    }


def _back_to_review(nomination: Nomination):
    return redirect(url_for("nominations.call_review", call_id=nomination.call_id) + "#nominees")


def _managed_nomination(nomination_id: int) -> Nomination:
    """Load a nominee for the call's staff; anyone else learns nothing about the person."""
    return load_or_abort(
        Nomination, nomination_id, lambda user, n: can_manage_call(user, n.call), hide=True
    )


@bp.post("/nominations/<int:nomination_id>/move")
@login_required
def nomination_move(nomination_id: int):
    """Move a nominee on (review, vetting, accept, waitlist, decline with reason, enrol)."""
    nomination = _managed_nomination(nomination_id)
    form = MoveForm()
    if form.validate_on_submit():
        with unit_of_work() as done:
            services.apply_move(
                nomination, form.target.data, current_user, Actor.STAFF, form.reason.data
            )
        if done.ok:
            flash(
                _(
                    "%(name)s: %(status)s.",
                    name=nomination.participant.full_name,
                    status=STATUS_LABELS[nomination.status],
                ),
                "success",
            )
    return _back_to_review(nomination)


@bp.post("/nominations/<int:nomination_id>/vetting")
@login_required
def vetting_record(nomination_id: int):
    """Record a vetting check's outcome, date and reference for a nominee in vetting."""
    nomination = _managed_nomination(nomination_id)
    form = VettingForm()
    if form.validate_on_submit():
        with unit_of_work() as done:
            services.record_vetting(
                nomination,
                current_user,
                outcome=form.outcome.data,
                checked_on=form.checked_on.data,
                external_reference=form.external_reference.data,
            )
        if done.ok:
            flash(_("The vetting check is recorded."), "success")
    else:
        flash(_("Choose the outcome and the date of the check."), "error")
    return _back_to_review(nomination)


@bp.get("/nominations/calls/<int:call_id>")
@login_required
def focal_call(call_id: int):
    """Show a focal point the call, their countries' seats and their own nominees' statuses."""
    call = load_or_abort(NominationCall, call_id, can_view_call)
    if can_manage_call(current_user, call) and not focal_countries_in(current_user, call):
        return redirect(url_for("nominations.call_review", call_id=call.id))
    countries = focal_countries_in(current_user, call)
    return render_template(
        "nominations/focal_call.html",
        call=call,
        tallies=queries.country_tallies(call, countries),
        nominations=queries.nominations_for_focal_point(current_user, call),
        criteria_for=queries.criteria_for,
        **_labels(),
    )


@bp.get("/my/nominations")
@login_required
def my_nominations():
    """List the signed-in person's own nominations and where each stands."""
    participant = participant_for_user(current_user)
    if participant is None:
        abort(403)
    return render_template(
        "nominations/my_nominations.html",
        nominations=queries.nominations_of_person(participant),
        **_labels(),
    )


def _session_panel(training_session: TrainingSession) -> Markup | None:
    """Offer the call for nominations on the session page to those who manage it."""
    if not can_manage_calls(current_user, training_session):
        return None
    call = queries.call_for_session(training_session)
    # render_template autoescapes; Markup only stops the panel list escaping it twice.
    return Markup(  # noqa: S704
        render_template(
            "nominations/_panel.html",
            training_session=training_session,
            call=call,
            tallies=queries.country_tallies(call) if call else [],
            deadline_text=services.deadline_text,
        )
    )


register_panel(_session_panel, order=25)
