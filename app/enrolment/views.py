"""HTTP views of enrolment: the people directory, session enrolments, uploads, my trainings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup

from app.accounts.permissions import is_participant
from app.audit import services as audit
from app.enrolment import bp, exports, labels, listing, queries, services, upload
from app.enrolment.forms import (
    ConfirmUploadForm,
    MergeForm,
    ParticipantForm,
    ReasonForm,
    UploadForm,
)
from app.enrolment.models import ENDED, Enrolment, EnrolmentStatus, Participant
from app.enrolment.permissions import (
    can_manage_directory,
    can_manage_enrolments,
    can_manage_participant,
    can_manage_participants,
    can_request_place,
    can_view_enrolments,
    owns_enrolment,
)
from app.scheduling import queries as scheduling_queries
from app.scheduling.models import SessionStatus, TrainingSession
from app.scheduling.panels import register_panel, register_shortcut_to
from app.shared import clock
from app.shared.confirmation import confirmation_page, confirmed
from app.shared.converters import is_record_id
from app.shared.downloads import private_file
from app.shared.loading import load_or_abort
from app.shared.roles import permission_required
from app.shared.unit_of_work import unit_of_work

for _name, _filter in (
    ("agency_label", labels.agency_label),
    ("gender_label", labels.gender_label),
    ("status_label", labels.status_label),
    ("language_label", labels.language_label),
):
    bp.add_app_template_filter(_filter, _name)


def _back_to_session(training_session_id: int):
    return redirect(
        url_for("enrolment.session_enrolments", training_session_id=training_session_id)
    )


def _flash_placement(enrolment: Enrolment) -> None:
    name = enrolment.participant.full_name
    if enrolment.status == EnrolmentStatus.ENROLLED:
        flash(_("%(name)s is enrolled.", name=name), "success")
    else:
        flash(
            _("%(name)s is on the waitlist: %(reason)s", name=name, reason=enrolment.status_reason),
            "warning",
        )


# --- People directory --------------------------------------------------------------------


@bp.get("/participants")
@permission_required(can_manage_participants)
def participant_list():
    """List people, searchable by name, Latin name or email, filtered by country and agency."""
    merging = can_manage_directory(current_user)  # only the directory's keepers merge
    filters = queries.DirectoryFilters(
        query=request.args.get("q", "").strip(),
        country=request.args.get("country", "").strip().upper(),
        agency=request.args.get("agency_type", "").strip(),
        duplicates_only=merging and request.args.get("duplicates") == "1",
    )
    directory = queries.directory_page(
        current_user, filters, request.args.get("page", 1, type=int) or 1
    )
    return render_template(
        "enrolment/participant_list.html",
        **vars(filters),
        **vars(directory),
        agencies=labels.AGENCY_LABELS,
        whole_directory=merging,
        columns=listing.COLUMNS,
        cells=listing.person_cells(directory.people, merging=filters.duplicates_only),
    )


def _duplicate_check(form: ParticipantForm, exclude_id: int | None = None) -> list:
    """Return probable duplicates; a same-email one is an error on the email field."""
    duplicates = services.find_duplicates(
        form.full_name.data, form.country_code.data, form.email.data, exclude_id
    )
    for duplicate in duplicates:
        if duplicate.reason != "email":
            continue
        if can_manage_participant(current_user, duplicate.participant):
            form.email.errors.append(
                _("This email already belongs to %(name)s.", name=duplicate.participant.full_name)
            )
        else:  # never tell a trainer who else is in the directory
            form.email.errors.append(
                _(
                    "This email is already in the directory: find the person by this email on "
                    "the session's enrolment page."
                )
            )
    return [d for d in duplicates if can_manage_participant(current_user, d.participant)]


def _checked(form: ParticipantForm, exclude_id: int | None = None) -> tuple[bool, list]:
    """Validate a submitted person form; return whether it may be saved, and its duplicates."""
    if not form.validate_on_submit():
        return False, []
    duplicates = _duplicate_check(form, exclude_id)
    blocked = form.email.errors or (duplicates and not form.confirm_duplicate.data)
    return not blocked, duplicates


@bp.route("/participants/new", methods=["GET", "POST"])
@login_required
def participant_create():
    """Add a person (and optionally enrol them in a session and invite them)."""
    training_session = _session_to_add_into()
    form = ParticipantForm()
    ready, duplicates = _checked(form)
    if ready:
        with unit_of_work() as done:
            added = services.add_person(
                form.participant_data(), current_user, training_session, invite=form.invite.data
            )
        if done.ok:
            return _after_adding(added, invited=form.invite.data)
    return render_template(
        "enrolment/participant_form.html",
        form=form,
        participant=None,
        duplicates=duplicates,
        training_session=training_session,
    )


def _session_to_add_into() -> TrainingSession | None:
    """Return the session a person is added into, or None; a trainer adds only into their own."""
    enrol_in = request.args.get("enrol_in", type=int)
    if enrol_in:
        return load_or_abort(TrainingSession, enrol_in, can_manage_enrolments)
    if not can_manage_directory(current_user):
        abort(403)
    return None


def _after_adding(added: services.AddedPerson, *, invited: bool):
    """Say who was added (invited, placed) and go to the session or the person's page."""
    participant, enrolment = added.participant, added.enrolment
    flash(_("%(name)s was added.", name=participant.full_name), "success")
    if invited:
        flash(_("An invitation was emailed to %(email)s.", email=participant.email))
    if enrolment is None:
        return redirect(url_for("enrolment.participant_detail", participant_id=participant.id))
    _flash_placement(enrolment)
    return _back_to_session(enrolment.training_session_id)


@bp.route("/participants/<int:participant_id>/edit", methods=["GET", "POST"])
@login_required
def participant_edit(participant_id: int):
    """Change a person's details; past enrolments keep their country and organisation."""
    participant = load_or_abort(Participant, participant_id, can_manage_participant)
    form = ParticipantForm(obj=participant)
    ready, duplicates = _checked(form, exclude_id=participant.id)
    if ready:
        with unit_of_work() as done:
            services.update_participant(participant, form.participant_data())
        if done.ok:
            flash(_("Saved."), "success")
            return redirect(url_for("enrolment.participant_detail", participant_id=participant.id))
    return render_template(
        "enrolment/participant_form.html",
        form=form,
        participant=participant,
        duplicates=duplicates,
        training_session=None,
    )


@bp.get("/participants/<int:participant_id>")
@login_required
def participant_detail(participant_id: int):
    """Show a person, their enrolments and each enrolment's history."""
    participant = load_or_abort(Participant, participant_id, can_manage_participant)
    with unit_of_work():  # the view stays on the trail even if the page fails to render
        audit.record("participant.viewed", actor=current_user, target=participant)
    enrolments = queries.enrolments_of_person(current_user, participant)
    duplicates = (
        services.find_duplicates(
            participant.full_name, participant.country_code, participant.email, participant.id
        )
        if can_manage_directory(current_user)  # merging is theirs; trainers see no one else
        else []
    )
    return render_template(
        "enrolment/participant_detail.html",
        participant=participant,
        enrolments=enrolments,
        duplicates=duplicates,
    )


@bp.post("/participants/<int:participant_id>/invite")
@login_required
def participant_invite(participant_id: int):
    """Create the person's participant account and email them a one-time link."""
    participant = load_or_abort(Participant, participant_id, can_manage_participant)
    with unit_of_work() as done:
        token = services.invite_participant(participant, current_user)
    if done.ok:
        if token is None:
            flash(_("The existing account of %(email)s is linked.", email=participant.email))
        else:
            flash(_("An invitation was emailed to %(email)s.", email=participant.email), "success")
    return redirect(url_for("enrolment.participant_detail", participant_id=participant.id))


@bp.route("/participants/<int:participant_id>/merge", methods=["GET", "POST"])
@permission_required(can_manage_directory)
def participant_merge(participant_id: int):
    """Merge a duplicate record into this one (or this one into it), all or nothing."""
    participant = load_or_abort(Participant, participant_id)
    form = MergeForm()
    if form.validate_on_submit():
        other = queries.participant_by_id(form.other_id.data) or abort(404)
        keep, remove = (participant, other) if form.keep.data == "this" else (other, participant)
        with unit_of_work() as done:
            result = services.merge_participants(keep, remove, current_user)
        if done.ok:
            flash(
                _(
                    "Records merged: %(moved)d enrolments moved, %(combined)d combined.",
                    moved=result.moved,
                    combined=result.combined,
                ),
                "success",
            )
            return redirect(url_for("enrolment.participant_detail", participant_id=keep.id))
    return _merge_page(participant, form)


def _merge_page(participant: Participant, form: MergeForm):
    """Show the merge form: the other record chosen, probable duplicates and a search."""
    other = None
    typed = form.other_id.data or ""
    other_id = request.args.get("other", type=int) or (int(typed) if is_record_id(typed) else None)
    if other_id:
        other = load_or_abort(Participant, other_id)
        form.other_id.data = str(other.id)
    query = request.args.get("q", "").strip()
    candidates = [
        d.participant
        for d in services.find_duplicates(
            participant.full_name, participant.country_code, participant.email, participant.id
        )
    ]
    if query:
        found = queries.search_participants(current_user, query, exclude=participant)
        candidates += [p for p in found if p not in candidates]
    return render_template(
        "enrolment/participant_merge.html",
        participant=participant,
        other=other,
        form=form,
        candidates=candidates,
        query=query,
    )


# --- Session enrolments ------------------------------------------------------------------


@bp.get("/training-sessions/<int:training_session_id>/enrolments")
@login_required
def session_enrolments(training_session_id: int):
    """Show a session's enrolled, requested, waitlisted, declined and withdrawn people."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_view_enrolments)
    manage = can_manage_enrolments(current_user, training_session)
    groups = queries.session_groups(training_session)
    query = request.args.get("q", "").strip()
    return render_template(
        "enrolment/session_enrolments.html",
        training_session=training_session,
        groups=groups,
        positions=services.waitlist_positions(training_session),
        summary=services.counts(training_session),
        manage=manage and not training_session.is_closed,
        query=query,
        found=_people_to_add(query, groups) if manage and query else [],
        reason_form=ReasonForm(),
        ended=ENDED,
    )


@bp.get("/training-sessions/<int:training_session_id>/enrolments.<fmt>")
@login_required
def enrolment_export(training_session_id: int, fmt: str):
    """Download a session's enrolment list as CSV or XLSX (who may see the list may take it)."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_view_enrolments)
    if fmt not in exports.FORMATS:
        abort(404)
    positions = services.waitlist_positions(training_session)
    body, mimetype, filename = exports.export_enrolments(
        training_session, fmt, positions, clock.now()
    )
    audit.record_read(
        "export.enrolments",
        actor=current_user,
        training_session=training_session,
        details={"format": fmt},
    )
    return private_file(body, mimetype, filename)


def _people_to_add(query: str, groups: dict[str, list[Enrolment]]) -> list[Participant]:
    """Return the people a search finds who hold no place or waitlist spot in the session yet.

    A trainer searches the people of their own sessions; anyone else only by exact email, so
    that the directory of investigators cannot be browsed from a session page.
    """
    taken = {e.participant_id for status in services.HOLDING_PLACE for e in groups[status]}
    found = queries.search_participants(current_user, query, or_exact_email=True)
    return [person for person in found if person.id not in taken]


@bp.post("/training-sessions/<int:training_session_id>/enrolments/add")
@login_required
def enrolment_add(training_session_id: int):
    """Enrol an existing person chosen by a trainer."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_manage_enrolments)
    participant = queries.person_to_add(
        current_user, request.form.get("participant_id"), request.form.get("email", "")
    )
    if participant is None:
        flash(_("Choose a person to add."), "error")
        return _back_to_session(training_session.id)
    with unit_of_work() as done:
        enrolment = services.add_directly(participant, training_session, current_user)
    if done.ok:
        _flash_placement(enrolment)
    return _back_to_session(training_session.id)


def _enrolment_for_team(enrolment_id: int) -> Enrolment:
    """Load an enrolment of a session the current user manages, or answer 404 / 403."""
    return load_or_abort(
        Enrolment, enrolment_id, lambda user, e: can_manage_enrolments(user, e.training_session)
    )


def _change_enrolment(enrolment: Enrolment, change, on_success):
    """Run one change of an enrolment, commit it, say how it went and go back to the session."""
    with unit_of_work() as done:
        change()
    if done.ok:
        on_success()
    return _back_to_session(enrolment.training_session_id)


@bp.post("/enrolments/<int:enrolment_id>/approve")
@login_required
def enrolment_approve(enrolment_id: int):
    """Approve a request: a place, or the waitlist with the reason."""
    enrolment = _enrolment_for_team(enrolment_id)
    return _change_enrolment(
        enrolment,
        lambda: services.approve(enrolment, current_user),
        lambda: _flash_placement(enrolment),
    )


def _session_url(training_session_id: int) -> str:
    return url_for("enrolment.session_enrolments", training_session_id=training_session_id)


@bp.post("/enrolments/<int:enrolment_id>/decline")
@login_required
def enrolment_decline(enrolment_id: int):
    """Decline a request (with an optional reason); a freed place goes to the waitlist."""
    enrolment = _enrolment_for_team(enrolment_id)
    reason = ReasonForm().reason.data
    name = enrolment.participant.full_name
    if not confirmed():
        back = _session_url(enrolment.training_session_id)
        return confirmation_page(_("Decline this request?"), [name], _("Decline"), back)
    return _change_enrolment(
        enrolment,
        lambda: services.decline(enrolment, current_user, reason),
        lambda: flash(_("%(name)s was declined.", name=name), "success"),
    )


@bp.post("/enrolments/<int:enrolment_id>/withdraw")
@login_required
def enrolment_withdraw(enrolment_id: int):
    """Withdraw someone from the session; the first on the waitlist who fits is promoted."""
    enrolment = _enrolment_for_team(enrolment_id)
    reason = ReasonForm().reason.data
    name = enrolment.participant.full_name
    if not confirmed():
        back = _session_url(enrolment.training_session_id)
        return confirmation_page(_("Withdraw this person?"), [name], _("Withdraw"), back)
    with unit_of_work() as done:
        token = services.withdraw_undoably(enrolment, current_user, reason)
    if done.ok:
        _offer_undo(enrolment, token, _("%(name)s was withdrawn.", name=name))
    return _back_to_session(enrolment.training_session_id)


UNDO_KEY = "withdrawal_undo"


def _offer_undo(enrolment: Enrolment, token: str, message: str) -> None:
    """Keep the Undo button for the next page (the banner in enrolment/_undo.html)."""
    action = url_for("enrolment.undo_withdrawal", enrolment_id=enrolment.id)
    session[UNDO_KEY] = {"message": message, "action": action, "token": token}


@bp.app_template_global()
def withdrawal_undo() -> dict | None:
    """Return the Undo offer of the withdrawal just made, once (like a flashed message)."""
    return session.pop(UNDO_KEY, None)


def _may_undo(user, enrolment: Enrolment) -> bool:
    return owns_enrolment(user, enrolment) or can_manage_enrolments(
        user, enrolment.training_session
    )


@bp.post("/enrolments/<int:enrolment_id>/undo-withdrawal")
@login_required
def undo_withdrawal(enrolment_id: int):
    """Undo a withdrawal just made, if the place (or the request) can still be given back."""
    enrolment = load_or_abort(Enrolment, enrolment_id, _may_undo, hide=True)
    own = owns_enrolment(current_user, enrolment)
    with unit_of_work() as done:
        services.undo_withdrawal(enrolment, current_user, request.form.get("token", ""))
    if done.ok:
        name = enrolment.participant.full_name
        status = labels.status_label(enrolment.status)
        flash(_("%(name)s is back: %(status)s.", name=name, status=status), "success")
    if own:
        return redirect(url_for("enrolment.my_trainings"))
    return _back_to_session(enrolment.training_session_id)


BULK_LABELS = {
    "approve": (_l("Approve"), None),
    "waitlist": (_l("Put on the waitlist"), None),
    "decline": (_l("Decline"), _l("Decline these requests?")),
    "withdraw": (_l("Withdraw"), _l("Withdraw these people?")),
}


@bp.post("/training-sessions/<int:training_session_id>/enrolments/bulk")
@login_required
def enrolment_bulk(training_session_id: int):
    """Approve, waitlist, decline or withdraw the ticked people at once (ending asks first)."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_manage_enrolments)
    action = request.form.get("action", "")
    chosen = queries.chosen_enrolments(training_session, request.form.getlist("enrolment_ids"))
    if action not in services.BULK_ACTIONS or not chosen:
        flash(_("Tick the people first, then choose what to do."), "error")
        return _back_to_session(training_session.id)
    label, question = BULK_LABELS[action]
    if question and not confirmed():
        names = [enrolment.participant.full_name for enrolment in chosen]
        back = _session_url(training_session.id)
        return confirmation_page(str(question), names, str(label), back)
    reason = (request.form.get("reason") or "").strip()[:1000] or None
    with unit_of_work() as done:
        result = services.apply_to_many(chosen, action, current_user, reason)
    if done.ok:
        _flash_bulk(result)
    return _back_to_session(training_session.id)


def _flash_bulk(result: services.BulkResult) -> None:
    if result.changed:
        count = len(result.changed)
        flash(ngettext("%(num)d person updated.", "%(num)d people updated.", count), "success")
    for enrolment, message in result.refused:
        flash(f"{enrolment.participant.full_name}: {message}", "warning")


# --- Uploads -----------------------------------------------------------------------------


@bp.route("/training-sessions/<int:training_session_id>/enrolments/upload", methods=["GET", "POST"])
@login_required
def enrolment_upload(training_session_id: int):
    """Upload a CSV or XLSX list and preview it; nothing is saved before confirmation."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_manage_enrolments)
    form = UploadForm()
    preview = token = None
    if form.validate_on_submit():
        with unit_of_work():  # keeping the file may be refused (too many kept uploads)
            preview, token = upload.preview_upload(
                form.file.data.filename or "upload",
                form.file.data.read(),
                training_session,
                current_user,
            )
    return _upload_page(training_session, form, preview, token)


def _upload_page(training_session: TrainingSession, form: UploadForm, preview, token=None):
    return render_template(
        "enrolment/upload.html",
        training_session=training_session,
        form=form,
        preview=preview,
        confirm_form=ConfirmUploadForm(token=token) if token else None,
        columns=upload.COLUMNS,
    )


@bp.post("/training-sessions/<int:training_session_id>/enrolments/upload/confirm")
@login_required
def enrolment_upload_confirm(training_session_id: int):
    """Apply a previewed upload as the uploader chose, or read it again in another encoding."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_manage_enrolments)
    token = ConfirmUploadForm().token.data or ""
    choices = upload.UploadChoices.from_form(request.form)
    with unit_of_work() as done:
        preview, summary = upload.confirm_upload(token, training_session, current_user, choices)
    if not done.ok:
        return redirect(
            url_for("enrolment.enrolment_upload", training_session_id=training_session.id)
        )
    if summary is None:
        # Read again, a decision missing, or problems: the kept file waits for the choices.
        return _upload_page(training_session, UploadForm(formdata=None), preview, token)
    flash(summary.sentence(), "success")
    return _back_to_session(training_session.id)


# --- Participants' own pages -------------------------------------------------------------


@bp.get("/trainings/open")
@login_required
def open_sessions():
    """List sessions open for enrolment, with a button to ask for a place."""
    participant = services.participant_for_user(current_user)
    sessions = scheduling_queries.open_sessions()
    return render_template(
        "enrolment/open_sessions.html",
        sessions=sessions,
        places_left=services.places_left(sessions),
        mine=queries.enrolments_by_session(participant),
        participant=participant,
        blocks_new_request=services.blocks_new_request,
        deadline_passed=services.deadline_passed,
    )


@bp.post("/training-sessions/<int:training_session_id>/request")
@login_required
def request_place(training_session_id: int):
    """Ask for a place in an open session, as the signed-in participant."""
    training_session = load_or_abort(
        TrainingSession, training_session_id, lambda user, _ts: is_participant(user)
    )
    participant = services.participant_for_user(current_user)
    if participant is None:
        flash(_("Your account is not linked to a participant record; ask your trainer."), "error")
        return redirect(url_for("enrolment.open_sessions"))
    if not can_request_place(current_user, training_session):
        flash(_("This training session is not open for enrolment."), "error")
        return redirect(url_for("enrolment.open_sessions"))
    with unit_of_work() as done:
        services.request_place(participant, training_session, current_user)
    if not done.ok:
        return redirect(url_for("enrolment.open_sessions"))
    flash(_("Your request was sent; the trainers will answer by email."), "success")
    return redirect(url_for("enrolment.my_trainings"))


@bp.post("/enrolments/<int:enrolment_id>/withdraw-own")
@login_required
def withdraw_own(enrolment_id: int):
    """Let participants withdraw their own request or place before the session starts."""
    enrolment = load_or_abort(Enrolment, enrolment_id, owns_enrolment, hide=True)
    if not confirmed():
        title = enrolment.training_session.course.title
        question = _("Give up your place or request?")
        back = url_for("enrolment.my_trainings")
        return confirmation_page(question, [title], _("Withdraw"), back)
    with unit_of_work() as done:
        token = services.withdraw_undoably(enrolment, current_user, own=True)
    if done.ok:
        code = enrolment.training_session.code
        _offer_undo(enrolment, token, _("You have withdrawn from %(code)s.", code=code))
    return redirect(url_for("enrolment.my_trainings"))


@bp.get("/my-trainings")
@permission_required(is_participant)
def my_trainings():
    """Show the signed-in participant's upcoming, in-progress and completed trainings."""
    participant = services.participant_for_user(current_user)
    sections: dict[str, list[Enrolment]] = {
        "in_progress": [],
        "upcoming": [],
        "completed": [],
        "other": [],
    }
    if participant is not None:
        for enrolment in queries.own_trainings(participant):
            sections[_section(enrolment)].append(enrolment)
        sections["upcoming"].reverse()  # soonest first
    return render_template(
        "enrolment/my_trainings.html",
        participant=participant,
        sections=sections,
        can_withdraw_own=services.can_withdraw_own,
        reason_heading=services.reason_heading,
    )


def _section(enrolment: Enrolment) -> str:
    """Place an enrolment on the participant's page."""
    training_session = enrolment.training_session
    if enrolment.status in ENDED:
        return "other"
    if training_session.status == SessionStatus.CANCELLED:
        return "other"
    if training_session.status == SessionStatus.COMPLETED or enrolment.completed is not None:
        return "completed" if enrolment.status == EnrolmentStatus.ENROLLED else "other"
    if training_session.status == SessionStatus.IN_PROGRESS:
        return "in_progress"
    if training_session.end_date < clock.today_in(training_session.timezone):
        return "completed"
    return "upcoming"


# --- Panel on the session page -----------------------------------------------------------


def session_panel(training_session: TrainingSession) -> Markup | None:
    """Summarise enrolments on the session page for staff who may see them."""
    if not can_view_enrolments(current_user, training_session):
        return None
    # render_template output is autoescaped HTML already.
    return Markup(  # noqa: S704
        render_template(
            "enrolment/_panel.html",
            training_session=training_session,
            summary=services.counts(training_session),
            deadline_passed=services.deadline_passed(training_session),
            manage=can_manage_enrolments(current_user, training_session),
        )
    )


register_panel(session_panel, order=20)
register_shortcut_to(
    "enrolment.session_enrolments", _l("Enrolments"), can_view_enrolments, order=20
)
