"""The trail is written with the change, cannot be edited, and forgets people on erasure."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from app.audit import services
from app.audit.models import AuditEntry, AuditError
from app.extensions import db
from tests import factories


def _count() -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)))


def test_record_names_actor_target_session_and_person(app):
    trainer = factories.make_user(roles=("trainer",), email="trainer@example.org")
    owner = factories.make_user(roles=("participant",))
    participant = factories.make_participant("Amina Odhiambo", user=owner)
    enrolment = factories.make_enrolment(participant=participant)
    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.7"}):
        entry = services.record("enrolment.approved", actor=trainer, target=enrolment)
    db.session.commit()

    stored = db.session.get(AuditEntry, entry.id)
    assert (stored.actor_id, stored.actor_label) == (trainer.id, "trainer@example.org")
    assert (stored.target_type, stored.target_id) == ("Enrolment", enrolment.id)
    assert stored.training_session_id == enrolment.training_session_id
    assert stored.participant_id == participant.id
    assert stored.subject_user_id == owner.id
    assert stored.ip_address == "203.0.113.7"
    assert stored.at is not None


def test_anonymous_actor_is_recorded_as_nobody(app):
    from flask_login import AnonymousUserMixin

    entry = services.record("account.login_failed", actor=AnonymousUserMixin())
    assert (entry.actor_id, entry.actor_label, entry.ip_address) == (None, None, None)


def test_a_rolled_back_change_leaves_no_entry(app):
    trainer = factories.make_user(roles=("trainer",))
    db.session.commit()
    participant = factories.make_participant("Rolled Back")
    services.record("participant.created", actor=trainer, target=participant)
    assert _count() == 1
    db.session.rollback()
    assert _count() == 0


def test_entries_cannot_be_edited_or_deleted(app):
    entry = services.record("export.enrolments", actor=None, details={"rows": 3})
    db.session.commit()

    entry.action = "nothing.happened"
    with pytest.raises(AuditError):
        db.session.flush()
    db.session.rollback()

    entry.details = {"rows": 0}
    with pytest.raises(AuditError):
        db.session.commit()
    db.session.rollback()

    with pytest.raises(AuditError):
        db.session.execute(update(AuditEntry).values(action="nothing.happened"))
    db.session.rollback()

    db.session.delete(entry)
    with pytest.raises(AuditError):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).action == "export.enrolments"
    assert db.session.get(AuditEntry, entry.id).details == {"rows": 3}


def test_erase_keeps_the_action_and_removes_personal_fields(app):
    person = factories.make_user(roles=("participant",), email="person@example.org")
    admin = factories.make_user(roles=("admin",), email="admin@example.org")
    participant = factories.make_participant("Erased Person", user=person)
    with app.test_request_context(environ_base={"REMOTE_ADDR": "198.51.100.4"}):
        own = services.record("account.login", actor=person, subject_user=person)
        failed = services.record(
            "account.login_failed",
            actor=None,
            subject_user=person,
            details={"reason": "password"},
            personal={"email": "person@example.org"},
        )
        viewed = services.record("participant.viewed", actor=admin, target=participant)
        other = services.record("account.login", actor=admin, subject_user=admin)
    db.session.commit()

    changed = services.erase_personal_data(user_id=person.id, participant_id=participant.id)
    db.session.commit()

    assert changed == 2
    for entry in (own, failed):
        db.session.refresh(entry)
        assert entry.actor_label is None
        assert entry.ip_address is None
    assert own.action == "account.login"
    assert failed.action == "account.login_failed"
    assert failed.details == {"reason": "password"}
    db.session.refresh(viewed)
    assert (viewed.action, viewed.actor_label) == ("participant.viewed", "admin@example.org")
    assert viewed.participant_id == participant.id
    db.session.refresh(other)
    assert (other.actor_label, other.ip_address) == ("admin@example.org", "198.51.100.4")

    # Erasure is the only way in: editing afterwards is refused again.
    own.actor_label = "person@example.org"
    with pytest.raises(AuditError):
        db.session.flush()


def test_entries_about_a_person(app):
    person = factories.make_user(roles=("participant",))
    trainer = factories.make_user(roles=("trainer",))
    participant = factories.make_participant("About Me", user=person)
    mine = services.record("account.login", actor=person)
    about = services.record("participant.viewed", actor=trainer, target=participant)
    services.record("account.login", actor=trainer)

    assert services.entries_about(user_id=person.id) == [mine, about]
    assert services.entries_about(participant_id=participant.id) == [about]
    assert services.entries_about() == []
    assert mine.as_dict()["action"] == "account.login"


def test_purge_before_deletes_only_entries_older_than_the_cutoff(app):
    from datetime import UTC, datetime

    db.session.add(AuditEntry(action="account.login", at=datetime(2020, 1, 1, tzinfo=UTC)))
    kept = services.record("account.login", actor=None)
    db.session.commit()
    assert services.purge_before(datetime(2021, 1, 1, tzinfo=UTC)) == 1
    db.session.commit()
    assert [entry.id for entry in db.session.scalars(select(AuditEntry))] == [kept.id]
