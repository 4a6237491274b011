"""Undo a withdrawal: a button after withdrawing, for a few minutes, while the place is free."""

from __future__ import annotations

import re
from datetime import timedelta

from app.enrolment.models import Enrolment
from app.extensions import db
from app.shared import clock
from tests.enrolment.helpers import enrol, participant_with_account, scene

UNDO_FORM = re.compile(
    r'action="(/enrolments/\d+/undo-withdrawal)".*?name="token" value="([^"]+)"', re.S
)


def _withdraw_and_find_undo(client, url: str, back: str) -> tuple[str, str]:
    client.post(url, data={"confirmed": "yes"})
    page = client.get(back).get_data(as_text=True)
    found = UNDO_FORM.search(page)
    assert found, "no Undo button after the withdrawal"
    assert "Undo" in page and 'name="csrf_token"' in page
    return found.group(1), found.group(2)


def test_trainer_undoes_a_withdrawal_and_the_place_comes_back(client, login):
    s = scene(capacity=2)
    (enrolment,) = enrol(s.training_session, s.trainer, participant_with_account("Grace Achieng"))
    db.session.commit()
    login(s.trainer)
    back = f"/training-sessions/{s.training_session.id}/enrolments"
    action, token = _withdraw_and_find_undo(client, f"/enrolments/{enrolment.id}/withdraw", back)
    assert db.session.get(Enrolment, enrolment.id).status == "withdrawn"
    page = client.post(action, data={"token": token}, follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).status == "enrolled"
    assert "Grace Achieng is back" in page
    # The banner is shown once; a second undo of the same withdrawal changes nothing.
    assert "undo-withdrawal" not in client.get(back).get_data(as_text=True)
    page = client.post(action, data={"token": token}, follow_redirects=True).get_data(as_text=True)
    assert "can no longer be undone" in page


def test_undo_says_the_place_was_taken_when_the_waitlist_got_it(client, login):
    s = scene(capacity=1)
    first, second = participant_with_account("Person A"), participant_with_account("Person B")
    ea, eb = enrol(s.training_session, s.trainer, first, second)
    db.session.commit()
    assert (ea.status, eb.status) == ("enrolled", "waitlisted")
    login(s.trainer)
    back = f"/training-sessions/{s.training_session.id}/enrolments"
    action, token = _withdraw_and_find_undo(client, f"/enrolments/{ea.id}/withdraw", back)
    page = client.post(action, data={"token": token}, follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    assert (ea.status, eb.status) == ("withdrawn", "enrolled")
    assert "place was taken" in page


def test_participant_undoes_their_own_withdrawal_but_not_after_ten_minutes(
    client, login, monkeypatch
):
    s = scene()
    person = participant_with_account("Amina Yusuf")
    (enrolment,) = enrol(s.training_session, s.trainer, person)
    db.session.commit()
    login(person.user)
    action, token = _withdraw_and_find_undo(
        client, f"/enrolments/{enrolment.id}/withdraw-own", "/my-trainings"
    )
    later = clock.now() + timedelta(minutes=11)
    with monkeypatch.context() as patch:
        patch.setattr(clock, "now", lambda: later)
        page = client.post(action, data={"token": token}, follow_redirects=True)
    assert "can no longer be undone" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).status == "withdrawn"
    client.post(action, data={"token": token})
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).status == "enrolled"


def test_someone_else_cannot_use_the_undo(client, login):
    s = scene()
    person = participant_with_account("Amina Yusuf")
    (enrolment,) = enrol(s.training_session, s.trainer, person)
    db.session.commit()
    login(s.trainer)
    back = f"/training-sessions/{s.training_session.id}/enrolments"
    action, token = _withdraw_and_find_undo(client, f"/enrolments/{enrolment.id}/withdraw", back)
    login(person.user)
    client.post(action, data={"token": token})
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).status == "withdrawn"
