"""The account takeover reported in the trust issue, step by step, and its neighbours."""

import re

import pytest

from app.accounts.models import User
from app.enrolment.models import Participant
from app.extensions import db
from tests.factories import PASSWORD, make_course, make_training_session, make_user

PERSON = {"country_code": "KE", "agency_type": "police", "full_name": "Mallory Attacker"}


@pytest.fixture
def trainer_with_session(client, login):
    trainer = make_user(roles=("trainer",), email="trainer@example.org")
    training_session = make_training_session(course=make_course(), trainers=[trainer])
    db.session.commit()
    login(trainer)
    return trainer, training_session


def test_a_trainer_cannot_link_a_participant_record_to_an_admin_account(
    client, trainer_with_session, outbox
):
    _, training_session = trainer_with_session
    admin = make_user(roles=("admin",), email="boss@example.org", password_hash=None)
    db.session.commit()
    response = client.post(
        f"/participants/new?enrol_in={training_session.id}",
        data={**PERSON, "email": "boss@example.org", "invite": "y", "confirm_duplicate": "y"},
        follow_redirects=True,
    )
    assert b"an administrator manages" in response.data
    assert db.session.scalar(db.select(Participant).where(Participant.user_id == admin.id)) is None
    assert db.session.get(User, admin.id).roles == {"admin"}
    assert outbox.refresh() == []


def test_the_reported_takeover_steps_leave_the_admin_account_untouched(
    client, trainer_with_session, outbox
):
    _, training_session = trainer_with_session
    admin = make_user(roles=("admin",), email="boss@example.org", password_hash=None)
    participant = Participant(full_name="Mallory", email="boss@example.org", country_code="KE")
    db.session.add(participant)
    db.session.commit()
    client.post(f"/participants/{participant.id}/invite")
    client.post(
        f"/participants/{participant.id}/edit",
        data={**PERSON, "email": "mallory@evil.example", "confirm_duplicate": "y"},
    )
    client.post(f"/participants/{participant.id}/invite")
    db.session.expire_all()
    assert db.session.get(User, admin.id).email == "boss@example.org"
    assert all(message["To"] != "mallory@evil.example" for message in outbox.refresh())


def test_editing_a_participant_never_rewrites_an_accounts_login_email(client, as_role):
    owner = make_user(roles=("participant",), email="grace@example.org")
    participant = Participant(
        full_name="Grace Achieng", email="grace@example.org", country_code="KE", user=owner
    )
    db.session.add(participant)
    db.session.commit()
    as_role("manager")
    db.session.commit()  # the signed-in account exists before the request rolls back
    response = client.post(
        f"/participants/{participant.id}/edit",
        data={**PERSON, "full_name": "Grace Achieng", "email": "other@example.org"},
        follow_redirects=True,
    )
    db.session.expire_all()
    assert db.session.get(User, owner.id).email == "grace@example.org"
    assert b"changes it from their profile" in response.data


def test_a_managers_login_email_cannot_be_changed_through_a_participant_record(client, as_role):
    manager = make_user(roles=("manager", "participant"), email="manager@example.org")
    participant = Participant(
        full_name="Maria", email="manager@example.org", country_code="KE", user=manager
    )
    db.session.add(participant)
    db.session.commit()
    as_role("admin")
    db.session.commit()
    client.post(
        f"/participants/{participant.id}/edit",
        data={**PERSON, "full_name": "Maria", "email": "evil@example.org"},
    )
    db.session.expire_all()
    assert db.session.get(User, manager.id).email == "manager@example.org"
    response = client.post("/login", data={"email": "manager@example.org", "password": PASSWORD})
    assert response.status_code == 302


def test_an_admin_email_change_takes_effect_only_from_the_link_sent_to_the_new_address(
    client, as_role, outbox
):
    as_role("admin")
    user = make_user(roles=("trainer",), email="old@example.org")
    db.session.commit()
    client.post(
        f"/admin/users/{user.id}",
        data={"name": user.name, "email": "new@example.org", "roles": ["trainer"], "active": "y"},
    )
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "old@example.org"
    messages = outbox.refresh()
    confirm = next(m for m in messages if m["To"] == "new@example.org")
    assert any(m["To"] == "old@example.org" for m in messages)  # the owner is told
    body = confirm.get_body(preferencelist=("plain",)).get_content()
    path = re.search(r"https?://[^/\s]+(/confirm-email/\S+)", body).group(1)
    assert client.get(path).status_code == 200
    client.post(path)
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "new@example.org"
