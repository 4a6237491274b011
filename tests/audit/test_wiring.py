"""Each audited action leaves its entry when a user does it through the web pages."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.certificates.models import Certificate
from app.enrolment import services as enrolment_services
from app.extensions import db
from tests import factories
from tests.certificates.helpers import completed_session
from tests.enrolment.helpers import participant_with_account, scene


def entries(action: str) -> list[AuditEntry]:
    """Return the entries of one action, oldest first."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def test_request_and_withdraw_own_place(client, login):
    s = scene()
    person = participant_with_account("Amina Yusuf")
    db.session.commit()
    login(person.user)
    client.post(f"/training-sessions/{s.training_session.id}/request")
    [requested] = entries("enrolment.requested")
    assert (requested.actor_id, requested.participant_id) == (person.user.id, person.id)
    assert requested.training_session_id == s.training_session.id
    assert requested.details == {"from": None}
    client.post(f"/enrolments/{requested.target_id}/withdraw-own")
    [withdrawn] = entries("enrolment.withdrawn")
    assert withdrawn.target_id == requested.target_id
    assert withdrawn.details == {"from": "requested"}


def test_trainer_decisions(client, login):
    s = scene(capacity=1)
    a = participant_with_account("Person A")
    b = participant_with_account("Person B")
    ea = enrolment_services.request_place(a, s.training_session, a.user)
    eb = enrolment_services.request_place(b, s.training_session, b.user)
    db.session.commit()
    login(s.trainer)
    client.post(f"/enrolments/{ea.id}/approve")
    client.post(f"/enrolments/{eb.id}/approve")
    [approved] = entries("enrolment.enrolled")
    [waitlisted] = entries("enrolment.waitlisted")
    assert (approved.target_id, approved.actor_id) == (ea.id, s.trainer.id)
    assert approved.details == {"from": "requested"}
    assert waitlisted.target_id == eb.id
    client.post(f"/enrolments/{ea.id}/withdraw", data={"reason": "Reassigned"})
    [withdrawn] = entries("enrolment.withdrawn")
    promoted = entries("enrolment.enrolled")[-1]
    assert withdrawn.target_id == ea.id
    assert (promoted.target_id, promoted.details) == (eb.id, {"from": "waitlisted"})
    client.post(f"/enrolments/{eb.id}/decline", data={"reason": "Wrong audience"})
    [declined] = entries("enrolment.declined")
    assert (declined.target_id, declined.actor_label) == (eb.id, s.trainer.email)
    assert "Wrong audience" not in str(declined.details)  # the reason stays on the enrolment


def test_trainer_adds_directly(client, login):
    s = scene()
    person = factories.make_participant("Somchai Jaidee", country_code="TH")
    db.session.commit()
    login(s.trainer)
    client.post(
        f"/training-sessions/{s.training_session.id}/enrolments/add",
        data={"participant_id": person.id},
    )
    [added] = entries("enrolment.enrolled")
    assert (added.participant_id, added.details) == (person.id, {"from": None})
    assert added.target_id is not None


def test_merge(client, login):
    s = scene()
    keep = factories.make_participant("Somchai Jaidee", country_code="TH")
    remove = factories.make_participant("สมชาย ใจดี", country_code="TH")
    enrolment_services.add_directly(remove, s.training_session, s.trainer)
    admin = factories.make_user(roles=("admin",))
    db.session.commit()
    remove_id = remove.id
    login(admin)
    client.post(f"/participants/{keep.id}/merge", data={"other_id": remove_id, "keep": "this"})
    [merged] = entries("participant.merged")
    assert (merged.participant_id, merged.actor_id) == (keep.id, admin.id)
    assert merged.details == {"merged_from": remove_id, "moved": 1, "combined": 0}


def test_attendance_override(client, login):
    s = completed_session(names=("Kwame Mensah",))
    enrolment = s.incomplete
    db.session.commit()
    login(s.trainer)
    client.post(
        f"/training-sessions/{s.training_session.id}/enrolments/{enrolment.id}/completion",
        data={"completed": "yes", "reason": "Attended the make-up day."},
    )
    [override] = entries("attendance.override")
    assert (override.target_id, override.actor_id) == (enrolment.id, s.trainer.id)
    assert override.details == {
        "completed": True,
        "personal": {"reason": "Attended the make-up day."},
    }


def test_certificate_issue_revoke_and_reissue(client, login):
    s = completed_session(names=("Kwame Mensah", "Zoë Øster"))
    db.session.commit()
    login(s.trainer)
    client.post(f"/enrolments/{s.enrolments[0].id}/certificate/issue")
    [issued] = entries("certificate.issued")
    assert (issued.target_type, issued.participant_id) == (
        "Certificate",
        s.enrolments[0].participant_id,
    )
    assert issued.training_session_id == s.training_session.id
    client.post(f"/training-sessions/{s.training_session.id}/certificates/issue")
    assert len(entries("certificate.issued")) == 2

    first = db.session.get(Certificate, issued.target_id)
    client.post(f"/certificates/{first.number}/reissue", data={"reason": "Name corrected"})
    [reissued] = entries("certificate.reissued")
    assert reissued.details == {"replaces": first.id}
    [revoked] = entries("certificate.revoked")
    assert revoked.target_id == first.id

    replacement = db.session.get(Certificate, reissued.target_id)
    client.post(f"/certificates/{replacement.number}/revoke", data={"reason": "Falsified"})
    latest = entries("certificate.revoked")[-1]
    assert (latest.target_id, latest.details) == (
        replacement.id,
        {"personal": {"reason": "Falsified"}},
    )
