"""A person's data export (their own, or any by an administrator) and erasure by an admin."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.enrolment.models import Participant
from app.privacy import bp, services
from app.privacy.forms import ErasureForm
from app.shared.clock import now
from app.shared.downloads import private_file
from app.shared.loading import load_or_abort
from app.shared.roles import RoleCode, role_required
from app.shared.unit_of_work import unit_of_work


def _export(person: services.Person, filename: str) -> Response:
    moment = now()
    data = services.export_zip(person, moment)
    with unit_of_work():
        services.record_export(person, current_user)
    return private_file(data, "application/zip", f"{filename}-{moment:%Y%m%d}.zip")


@bp.post("/profile/my-data")
@login_required
def export_own():
    """Download everything the platform holds about the signed-in user."""
    return _export(services.Person.of_user(current_user._get_current_object()), "my-data")


@bp.post("/participants/<int:participant_id>/data-export")
@role_required(RoleCode.ADMIN)
def participant_export(participant_id: int):
    """Download everything the platform holds about one person (administrators)."""
    participant = load_or_abort(Participant, participant_id)
    return _export(services.Person.of_participant(participant), f"person-{participant.id}")


@bp.route("/participants/<int:participant_id>/erase", methods=["GET", "POST"])
@role_required(RoleCode.ADMIN)
def participant_erase(participant_id: int):
    """Ask for a reason, show what will change, and erase once the administrator confirms."""
    participant = load_or_abort(Participant, participant_id)
    form = ErasureForm()
    confirming = form.validate_on_submit()
    if confirming and form.confirmed.data:
        with unit_of_work() as done:
            services.erase(participant, current_user, form.reason.data)
        if done.ok:
            flash(_("The person's personal data is erased; the figures are unchanged."), "success")
            return redirect(url_for("enrolment.participant_detail", participant_id=participant.id))
    return render_template(
        "privacy/erase.html",
        participant=participant,
        form=form,
        confirming=confirming,
        plan=services.plan_erasure(participant),
        erased=services.is_erased(participant),
    )
