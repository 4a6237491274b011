"""A person with something in every table the privacy export and erasure reach."""

from __future__ import annotations

import io
import json
import zipfile
from types import SimpleNamespace

from app.audit import services as audit
from app.certificates import services as certificates
from app.enrolment.models import EnrolmentEvent
from app.extensions import db
from tests import factories
from tests.certificates.helpers import completed_session


def person_with_history() -> SimpleNamespace:
    """One participant with an account, two sessions, notes, a real certificate and audit lines."""
    p = SimpleNamespace()
    p.admin = factories.make_user(roles=("admin",), name="Ada Admin")
    scene = completed_session(names=("Zawadi Kamau-Njoroge",))
    p.trainer = scene.trainer
    p.enrolment = scene.enrolments[0]
    p.participant = p.enrolment.participant
    p.user = scene.users[0]
    p.participant.organisation = "Cybercrime Unit Kisumu"
    p.participant.job_title = "Detective Sergeant"
    p.participant.latin_name = "Zawadi Kamau"
    p.enrolment.organisation = "Cybercrime Unit Kisumu"
    p.enrolment.completion_override_reason = "Zawadi missed day 2 for a court hearing"
    p.enrolment.events.append(
        EnrolmentEvent(to_status="enrolled", note="Zawadi asked by phone", actor=p.trainer)
    )
    factories.make_attendance(p.enrolment, scene.training_session.start_date)
    later = factories.make_training_session(host_country="UG", status="open")
    p.second = factories.make_enrolment(later, p.participant, status="requested")
    p.second.status_reason = "Zawadi's commander approved"
    p.certificate = certificates.issue(p.enrolment, p.trainer)
    audit.record("account.login", actor=p.user, target=p.user)
    audit.record(
        "account.login_failed", actor=None, subject_user=p.user, personal={"email": p.user.email}
    )
    audit.record("enrolment.approve", actor=p.trainer, target=p.second)
    p.other = factories.make_participant("Someone Else Entirely", email="else@example.org")
    factories.make_enrolment(later, p.other)
    db.session.flush()
    p.name, p.email = p.participant.full_name, p.user.email
    return p


def unzip(data: bytes) -> dict[str, bytes]:
    """Return a ZIP's files by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rows(files: dict[str, bytes], table: str) -> list[dict]:
    """Return one table's rows from an export."""
    return json.loads(files[f"{table}.json"])
