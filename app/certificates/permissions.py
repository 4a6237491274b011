"""Who may issue, download and revoke certificates, and fetch transcripts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.enrolment.permissions import can_manage_directory, owns_participant_record
from app.scheduling.permissions import runs_session

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.certificates.models import Certificate
    from app.enrolment.models import Enrolment, Participant
    from app.scheduling.models import TrainingSession


def can_manage_certificates(user: User | None, training_session: TrainingSession) -> bool:
    """Trainers of the session, managers and administrators issue, download and revoke."""
    return runs_session(user, training_session)


def can_certify(user: User | None, enrolment: Enrolment) -> bool:
    """Those who manage the session's certificates issue one enrolment's certificate."""
    return can_manage_certificates(user, enrolment.training_session)


def can_manage_certificate(user: User | None, certificate: Certificate) -> bool:
    """Those who manage the session's certificates revoke and reissue one of them."""
    return can_certify(user, certificate.enrolment)


def can_download_certificate(user: User | None, certificate: Certificate) -> bool:
    """Let the holder, and those who manage the session's certificates, download the PDF."""
    return owns_participant_record(
        user, certificate.enrolment.participant.user_id
    ) or can_manage_certificate(user, certificate)


def can_download_transcript(user: User | None, participant: Participant) -> bool:
    """Let managers and admins (a whole history is no one trainer's), or the person, see it."""
    return can_manage_directory(user) or owns_participant_record(user, participant.user_id)
