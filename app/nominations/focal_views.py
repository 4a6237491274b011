"""A national focal point's pages: their calls, nominating, endorsing, ordering and replacing.

The call page itself (nominations.focal_call, in views.py) gets its buttons from the helpers
below; every nominee and person a route loads is checked against the focal point's scope, and
another country's people answer 404.
"""

from __future__ import annotations

from functools import partial

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.focal_points import focal_point_scope
from app.accounts.permissions import is_focal_point
from app.enrolment.models import Participant
from app.nominations import bp, focal, services
from app.nominations.focal_forms import NewPersonForm, PickForm, TargetForm
from app.nominations.labels import STATUS_LABELS
from app.nominations.models import Nomination, NominationCall
from app.nominations.permissions import acts_for_country, can_nominate, focal_countries_in
from app.nominations.transitions import Actor
from app.shared.countries import country_name
from app.shared.loading import load_or_abort
from app.shared.roles import permission_required
from app.shared.unit_of_work import Outcome, unit_of_work


@bp.context_processor
def _focal_helpers() -> dict:
    """Give the focal point's templates the table's buttons and the cleared/not cleared outcome."""
    return {
        "focal_moves": focal.moves_for,
        "focal_can_replace": focal.can_replace,
        "focal_can_reorder": focal.can_reorder,
        "focal_vetting": focal.vetting_outcome,
        "focal_form": TargetForm,
        "focal_time_left": focal.time_left,
        "focal_criteria": focal.call_criteria,
        "deadline_text": services.deadline_text,
        "before_deadline": services.before_deadline,
    }


@bp.get("/nominations/my-calls")
@permission_required(is_focal_point)
def focal_calls():
    """List the calls open to the focal point's countries, with deadlines and seats."""
    return render_template(
        "nominations/focal_calls.html",
        lines=focal.calls_of(current_user),
        countries=sorted(map(country_name, focal_point_scope(current_user).countries)),
    )


def _call_to_nominate(call_id: int) -> NominationCall:
    return load_or_abort(NominationCall, call_id, can_nominate)


def _replacing(call: NominationCall) -> Nomination | None:
    """Load the nominee the form puts someone in the place of (?replacing=id), in scope only."""
    nomination_id = request.values.get("replacing", type=int)
    if nomination_id is None:
        return None
    return load_or_abort(
        Nomination,
        nomination_id,
        lambda user, n: n.call_id == call.id and acts_for_country(user, n),
        hide=True,
    )


def _nominated(call: NominationCall, replacing: Nomination | None, make) -> Outcome:
    """Run one nomination (or replacement) in a unit of work; say so and return how it went."""
    with unit_of_work() as done:
        nomination = make()
    if done.ok:
        _flash_nominated(nomination, replacing)
    return done


def _flash_nominated(nomination: Nomination, replacing: Nomination | None) -> None:
    """Tell the focal point who is now nominated (and whom they replace)."""
    if replacing is None:
        message = _("%(name)s is nominated.", name=nomination.participant.full_name)
    else:
        message = _(
            "%(name)s replaces %(old)s.",
            name=nomination.participant.full_name,
            old=replacing.participant.full_name,
        )
    flash(message, "success")


def _picked(call: NominationCall) -> Participant | None:
    """Load the person chosen from the search, only if they are the focal point's to nominate."""
    participant_id = request.values.get("participant_id", type=int)
    if participant_id is None:
        return None
    return load_or_abort(
        Participant, participant_id, lambda user, p: services.may_nominate(user, call, p), hide=True
    )


@bp.route("/nominations/calls/<int:call_id>/nominate", methods=["GET", "POST"])
@login_required
def focal_nominate(call_id: int):
    """Find one of the country's officers, answer the call's criteria and nominate them."""
    call = _call_to_nominate(call_id)
    replacing, participant = _replacing(call), _picked(call)
    form = PickForm(participant_id=participant.id if participant else None)
    form.fit(call)
    if participant is not None and form.validate_on_submit():
        if replacing is None:
            make = partial(services.nominate, call, participant, current_user, **form.answers())
        else:
            make = partial(
                services.replace_nominee, replacing, participant, current_user, **form.answers()
            )
        if _nominated(call, replacing, make).ok:
            return redirect(url_for("nominations.focal_call", call_id=call.id) + "#nominees")
    query = request.args.get("q", "")
    return render_template(
        "nominations/focal_nominate.html",
        call=call,
        form=form,
        participant=participant,
        replacing=replacing,
        query=query,
        people=[] if participant else focal.people_to_nominate(current_user, call, query),
    )


@bp.route("/nominations/calls/<int:call_id>/nominate/new", methods=["GET", "POST"])
@login_required
def focal_nominate_new(call_id: int):
    """Add an officer who is not in the directory yet and nominate them in the same step."""
    call = _call_to_nominate(call_id)
    replacing = _replacing(call)
    form = NewPersonForm()
    form.fit(call)
    form.fit_countries(focal_countries_in(current_user, call))
    done = Outcome()
    if form.validate_on_submit():
        make = partial(
            services.nominate_new_person, call, form.participant_data(), current_user, replacing
        )
        done = _nominated(call, replacing, partial(make, **form.answers()))
        if done.ok:
            return redirect(url_for("nominations.focal_call", call_id=call.id) + "#nominees")
    return render_template(
        "nominations/focal_new_person.html",
        call=call,
        form=form,
        replacing=replacing,
        existing=getattr(done.error, "existing", None),
    )


def _focal_nomination(nomination_id: int) -> Nomination:
    """Load a nominee of the focal point's scope; another country's answers 404."""
    return load_or_abort(Nomination, nomination_id, acts_for_country, hide=True)


def _back_to_call(nomination: Nomination):
    return redirect(url_for("nominations.focal_call", call_id=nomination.call_id) + "#nominees")


@bp.post("/nominations/<int:nomination_id>/focal-move")
@login_required
def focal_move(nomination_id: int):
    """Endorse or withdraw a nominee, as the transition table lets a focal point."""
    nomination = _focal_nomination(nomination_id)
    form = TargetForm()
    if form.validate_on_submit() and form.target.data in focal.FOCAL_MOVES:
        with unit_of_work() as done:
            services.apply_move(nomination, form.target.data, current_user, Actor.FOCAL_POINT)
        if done.ok:
            _flash_status(nomination)
    return _back_to_call(nomination)


def _flash_status(nomination: Nomination) -> None:
    flash(
        _(
            "%(name)s: %(status)s.",
            name=nomination.participant.full_name,
            status=STATUS_LABELS[nomination.status],
        ),
        "success",
    )


@bp.post("/nominations/<int:nomination_id>/priority")
@login_required
def focal_priority(nomination_id: int):
    """Move a nominee one place up or down in the country's priority order (no JavaScript)."""
    nomination = _focal_nomination(nomination_id)
    form = TargetForm()
    steps = {"up": -1, "down": 1}
    if form.validate_on_submit() and form.target.data in steps:
        with unit_of_work():
            focal.move_priority(nomination, steps[form.target.data], current_user)
    return _back_to_call(nomination)
