"""Who may see and change which people: the directory roles everyone, trainers their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, exists, select, true

from app.enrolment.models import ENDED, Enrolment, Participant
from app.extensions import db
from app.scheduling.models import SessionStatus, training_session_trainers
from app.scheduling.permissions import can_edit_session, runs_session
from app.shared.roles import RoleCode, signed_in

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.scheduling.models import TrainingSession


def can_manage_enrolments(user: User | None, training_session: TrainingSession) -> bool:
    """Enrolling, approving, taking the roll and completing belong to the session's trainers."""
    return can_edit_session(user, training_session)


def can_request_place(user: User | None, training_session: TrainingSession) -> bool:
    """Let a signed-in participant ask for a place while the session is open for enrolment."""
    return (
        signed_in(user)
        and RoleCode.PARTICIPANT in user.roles
        and training_session.status == SessionStatus.OPEN
    )


def can_view_enrolments(user: User | None, training_session: TrainingSession) -> bool:
    """Session trainers and admins manage; programme managers may look (read-only)."""
    return runs_session(user, training_session)


def can_manage_participants(user: User | None) -> bool:
    """Trainers see the people of their own sessions; the directory roles see everyone."""
    return signed_in(user) and user.has_role(RoleCode.TRAINER, RoleCode.MANAGER)


def can_manage_directory(user: User | None) -> bool:
    """Programme managers and administrators keep the whole directory (everyone, merges)."""
    return signed_in(user) and user.has_role(RoleCode.MANAGER)


def owns_participant_record(user: User | None, participant_user_id: int | None) -> bool:
    """Return whether the signed-in user is the participant a record belongs to."""
    return signed_in(user) and participant_user_id is not None and participant_user_id == user.id


def owns_enrolment(user: User | None, enrolment: Enrolment) -> bool:
    """Return whether the enrolment is the signed-in participant's own."""
    return owns_participant_record(user, enrolment.participant.user_id)


def trains(user: User):
    """Return a condition true for enrolments, still standing, in a session the user trains."""
    return and_(
        Enrolment.training_session_id == training_session_trainers.c.training_session_id,
        training_session_trainers.c.user_id == user.id,
        Enrolment.status.not_in(ENDED),  # a declined request or a withdrawal ends the view
    )


def _trained_by(user: User):
    """Return a condition true for participants enrolled in a session the user trains."""
    return exists().where(Enrolment.participant_id == Participant.id, trains(user))


def can_manage_participant(user: User | None, participant: Participant) -> bool:
    """Let the directory roles, and trainers of one of the person's sessions, open and edit them."""
    if can_manage_directory(user):
        return True
    if not signed_in(user) or RoleCode.TRAINER not in user.roles:
        return False
    return bool(
        db.session.scalar(select(_trained_by(user)).where(Participant.id == participant.id))
    )


def visible_to(user: User) -> ColumnElement[bool]:
    """Return the condition on participants the user may see (trainers: their sessions')."""
    return true() if can_manage_directory(user) else _trained_by(user)


def holds_place_in(user: User | None, training_session: TrainingSession) -> bool:
    """Let a participant see a session they are enrolled in, waitlisted for or have asked for."""
    if not signed_in(user) or RoleCode.PARTICIPANT not in user.roles:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Enrolment.training_session_id == training_session.id,
                    Enrolment.participant_id == Participant.id,
                    Participant.user_id == user.id,
                    Enrolment.status.not_in(ENDED),
                )
            )
        )
    )
