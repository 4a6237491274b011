"""The rules the certificate views, templates and commands ask the services and permissions."""

from datetime import UTC, date, datetime

from app.certificates import services
from app.certificates.permissions import (
    can_certify,
    can_download_certificate,
    can_download_transcript,
    can_manage_certificate,
)
from app.certificates.services import CertificateStatus
from app.shared import clock
from tests import factories
from tests.certificates.helpers import completed_session


def test_due_enrolments_are_the_completed_without_a_valid_certificate(app):
    scene = completed_session(names=("Kwame Mensah", "Ana Núñez"))
    first, second = scene.enrolments
    assert services.due_enrolments(scene.training_session) == [first, second]
    certificate = services.issue(first, scene.trainer)
    assert services.due_enrolments(scene.training_session) == [second]
    services.revoke(certificate, scene.trainer, "Misspelt name")
    assert services.due_enrolments(scene.training_session) == [first, second]


def test_nothing_is_due_before_the_session_is_completed(app):
    scene = completed_session(names=("Kwame Mensah",))
    scene.training_session.status = "in_progress"
    assert not services.session_completed(scene.training_session)
    assert services.due_enrolments(scene.training_session) == []


def test_completed_enrolments_are_listed_by_name(app):
    scene = completed_session(names=("Zoë Øster", "Ana Núñez"))
    names = [e.participant.full_name for e in services.completed_enrolments(scene.training_session)]
    assert names == ["Ana Núñez", "Zoë Øster"]  # the dropout is not listed


def test_commands_find_a_certificate_by_number_only_and_a_session_by_code(app):
    scene = completed_session(names=("Kwame Mensah",))
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    assert services.certificate_numbered(certificate.number.lower()) == certificate
    assert services.certificate_numbered(certificate.verification_code) is None
    assert services.session_coded(f" {scene.training_session.code} ") == scene.training_session
    assert services.session_coded("NOPE") is None


def test_a_certificate_expires_after_its_last_valid_day_where_it_was_held(app, monkeypatch):
    scene = completed_session(names=("Kwame Mensah",), validity_months=12)
    scene.training_session.timezone = "Pacific/Auckland"
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    expires = certificate.expires_on
    # Noon UTC on the last valid day is already the next day in Auckland.
    noon = datetime(expires.year, expires.month, expires.day, 12, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: noon)
    assert services.certificate_status(certificate) == CertificateStatus.EXPIRED
    assert services.certificate_status(certificate, today=expires) == CertificateStatus.VALID
    assert services.certificate_status(certificate, today=date.max) == "expired"


def test_who_may_issue_download_and_see_transcripts(app):
    scene = completed_session(names=("Kwame Mensah", "Ana Núñez"))
    holder, other = scene.users
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    manager = factories.make_user(roles=("manager",))
    stranger = factories.make_user(roles=("trainer",))
    assert can_certify(scene.trainer, scene.enrolments[0])
    assert not can_certify(stranger, scene.enrolments[0])
    assert can_manage_certificate(manager, certificate)
    assert not can_manage_certificate(holder, certificate)
    assert can_download_certificate(holder, certificate)
    assert can_download_certificate(scene.trainer, certificate)
    assert not can_download_certificate(other, certificate)
    participant = scene.enrolments[0].participant
    assert can_download_transcript(holder, participant)
    assert can_download_transcript(manager, participant)
    assert not can_download_transcript(scene.trainer, participant)  # no one trainer's history
