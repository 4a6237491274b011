"""A small, complete scene for permission tests: one of everything, with an owner."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from app.accounts.focal_points import set_focal_point_scope
from app.accounts.services import create_api_token
from app.certificates.models import BatchKind, BatchStatus, Certificate, CertificateBatch
from app.documents.models import DocumentState, RenderedDocument
from app.extensions import db
from app.nominations import services as nomination_services
from tests import factories


def build_world() -> SimpleNamespace:
    """Create users for each visitor kind and the objects their routes point at."""
    w = SimpleNamespace()
    w.users = {
        "owner": factories.make_user(roles=("participant",), name="Owner Participant"),
        "participant": factories.make_user(roles=("participant",), name="Other Participant"),
        "trainer": factories.make_user(roles=("trainer",), name="Assigned Trainer"),
        "other_trainer": factories.make_user(roles=("trainer",), name="Other Trainer"),
        "manager": factories.make_user(roles=("manager",), name="Programme Manager"),
        "admin": factories.make_user(roles=("admin",), name="Administrator"),
        "focal_point": factories.make_user(roles=("focal_point",), name="Kenya Focal Point"),
        "other_focal_point": factories.make_user(roles=("focal_point",), name="Uganda Focal"),
        "deputy": factories.make_user(roles=("focal_point",), name="Kenya Deputy"),
    }
    set_focal_point_scope(w.users["focal_point"], ["KE"])
    set_focal_point_scope(w.users["other_focal_point"], ["UG"])
    set_focal_point_scope(w.users["deputy"], deputy_of=w.users["focal_point"])
    w.course = factories.make_course(slug="world-course")
    w.partner = factories.make_partner("World Partner")
    start = date.today() - timedelta(days=2)
    w.training_session = factories.make_training_session(
        course=w.course,
        start=start,
        days=3,
        status="in_progress",
        trainers=[w.users["trainer"]],
        code="WLD-2026-KE-01",
    )
    w.training_session.partners = [w.partner]
    w.owner_participant = factories.make_participant(
        "Owner Participant", email=w.users["owner"].email, user=w.users["owner"]
    )
    w.other_participant = factories.make_participant(
        "Other Participant",
        email=w.users["participant"].email,
        user=w.users["participant"],
        country_code="UG",
    )
    w.enrolment = factories.make_enrolment(w.training_session, w.owner_participant, completed=True)
    w.other_enrolment = factories.make_enrolment(w.training_session, w.other_participant)
    w.attendance = factories.make_attendance(w.enrolment, start)
    pdf = b"%PDF-1.7 world certificate"
    w.certificate = Certificate(
        enrolment=w.enrolment,
        number="WLD-2026-KE-01-0001",
        verification_code="worldcode123",
        content={"name": "Owner Participant"},
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    db.session.add(w.certificate)
    w.certificate_batch = CertificateBatch(
        training_session=w.training_session,
        kind=BatchKind.ZIP,
        status=BatchStatus.DONE,
        result=b"PK\x05\x06" + bytes(18),  # an empty ZIP, ready to download
    )
    db.session.add(w.certificate_batch)
    # A sheet the assigned trainer asked for, ready: theirs and an administrator's to fetch.
    w.document = RenderedDocument(
        kind="sign_in_sheet",
        parameters={"training_session_id": w.training_session.id, "day": start.isoformat()},
        requested_by=w.users["trainer"],
        state=DocumentState.DONE,
        pdf=b"%PDF-1.7 world sheet",
        filename="sheet.pdf",
    )
    db.session.add(w.document)
    # The session's call invites Kenya and Uganda; Kenya's focal point nominated the owner.
    w.call = nomination_services.open_call(
        w.training_session,
        w.users["trainer"],
        deadline_local=datetime(2099, 1, 1, 17, 0),
        countries={"KE": 2, "UG": 2},
    )
    w.nomination = nomination_services.nominate(w.call, w.owner_participant, w.users["focal_point"])
    w.api_token_raw = create_api_token(w.users["manager"], "world")
    db.session.flush()
    w.api_token = w.users["manager"]  # token owner, for routes keyed by user
    return w
