"""Who may do what: one decorator for role-gated pages and can_* predicates for objects.

Views call these; templates use the same predicates (via `can.*`) to hide buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from types import SimpleNamespace
from typing import TYPE_CHECKING

from flask import abort
from flask_login import current_user, login_required

from app.accounts.models import RoleCode

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.scheduling.models import TrainingSession


def role_required(*codes: str) -> Callable:
    """Send anonymous visitors to login and answer 403 to users without any of the roles."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*codes):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _signed_in(user: User | None) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_participant(user: User | None) -> bool:
    """Return whether the user has a participant account (their own trainings)."""
    return _signed_in(user) and RoleCode.PARTICIPANT in user.roles


def is_staff(user: User | None) -> bool:
    """Return whether the user works for the programme (trainer, manager or admin)."""
    return _signed_in(user) and user.has_role(RoleCode.TRAINER, RoleCode.MANAGER)


def can_manage_users(user: User | None) -> bool:
    """Only administrators create accounts and assign roles."""
    return _signed_in(user) and user.is_admin


def can_edit_curriculum(user: User | None) -> bool:
    """Trainers and administrators work on the curriculum (synced from courses/)."""
    return _signed_in(user) and user.has_role(RoleCode.TRAINER)


def can_schedule(user: User | None) -> bool:
    """Trainers (and administrators) create new training sessions."""
    return _signed_in(user) and user.has_role(RoleCode.TRAINER)


def can_view_session(user: User | None, training_session: TrainingSession) -> bool:
    """Staff see every session's management page; participants use their own pages."""
    return is_staff(user)


def can_edit_session(user: User | None, training_session: TrainingSession) -> bool:
    """Let a trainer edit only sessions they are assigned to; administrators edit all."""
    if not _signed_in(user):
        return False
    return user.is_admin or (RoleCode.TRAINER in user.roles and training_session.has_trainer(user))


def can_manage_enrolments(user: User | None, training_session: TrainingSession) -> bool:
    """Enrolling, approving, taking the roll and completing belong to the session's trainers."""
    return can_edit_session(user, training_session)


def can_request_place(user: User | None, training_session: TrainingSession) -> bool:
    """Let a signed-in participant ask for a place while the session is open for enrolment."""
    return (
        _signed_in(user)
        and RoleCode.PARTICIPANT in user.roles
        and training_session.status == "open"
    )


def can_manage_participants(user: User | None) -> bool:
    """Trainers see the people of their own sessions; the directory roles see everyone."""
    return _signed_in(user) and user.has_role(RoleCode.TRAINER, RoleCode.MANAGER)


def can_manage_directory(user: User | None) -> bool:
    """Programme managers and administrators keep the whole directory (everyone, merges)."""
    return _signed_in(user) and user.has_role(RoleCode.MANAGER)


def can_import_history(user: User | None) -> bool:
    """Programme managers and administrators load past training records."""
    return _signed_in(user) and user.has_role(RoleCode.MANAGER)


def can_view_reports(user: User | None) -> bool:
    """Programme managers and administrators see programme reach."""
    return _signed_in(user) and user.has_role(RoleCode.MANAGER)


def can_manage_certificates(user: User | None, training_session: TrainingSession) -> bool:
    """Trainers of the session, managers and administrators issue, download and revoke."""
    return _signed_in(user) and (
        user.has_role(RoleCode.MANAGER) or can_edit_session(user, training_session)
    )


def owns_participant_record(user: User | None, participant_user_id: int | None) -> bool:
    """Return whether the signed-in user is the participant a record belongs to."""
    return _signed_in(user) and participant_user_id is not None and participant_user_id == user.id


def template_predicates() -> SimpleNamespace:
    """Return the predicates templates call as can.edit_session(current_user, ts)."""
    return SimpleNamespace(
        manage_users=can_manage_users,
        edit_curriculum=can_edit_curriculum,
        schedule=can_schedule,
        view_session=can_view_session,
        edit_session=can_edit_session,
        manage_enrolments=can_manage_enrolments,
        request_place=can_request_place,
        manage_participants=can_manage_participants,
        manage_directory=can_manage_directory,
        import_history=can_import_history,
        view_reports=can_view_reports,
        manage_certificates=can_manage_certificates,
        be_staff=is_staff,
    )
