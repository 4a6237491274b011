"""Who sees whom: trainers see the people of their own sessions, not the whole directory."""

import re

from app.extensions import db
from tests import factories
from tests.enrolment.helpers import enrol, scene


def _names(client, query: str = "") -> list[str]:
    page = client.get(f"/participants?{query}").get_data(as_text=True)
    return re.findall(r'class="person-name">([^<]+)<', page)


def _world():
    s = scene()
    mine = factories.make_participant("Grace Wanjiru", country_code="KE", email="g@example.org")
    stranger = factories.make_participant("Amina Yusuf", country_code="NG", email="a@example.org")
    enrol(s.training_session, s.trainer, mine)
    db.session.commit()
    return s, mine, stranger


def test_a_trainer_lists_only_the_people_of_their_sessions(client, login):
    s, _mine, _stranger = _world()
    login(s.trainer)
    assert _names(client) == ["Grace Wanjiru"]
    assert _names(client, "q=amina") == []
    assert _names(client, "country=NG") == []


def test_a_trainer_cannot_open_edit_invite_or_transcribe_a_stranger(client, login):
    s, mine, stranger = _world()
    login(s.trainer)
    assert client.get(f"/participants/{mine.id}").status_code == 200
    assert client.get(f"/participants/{stranger.id}").status_code == 403
    assert client.get(f"/participants/{stranger.id}/edit").status_code == 403
    assert client.post(f"/participants/{stranger.id}/invite").status_code == 403
    assert client.get(f"/participants/{stranger.id}/transcript.pdf").status_code == 404
    assert client.get(f"/participants/{mine.id}/merge").status_code == 403


def test_a_trainer_is_not_told_who_else_has_the_same_name_or_email(client, login):
    s, mine, stranger = _world()
    factories.make_participant("Grace Wanjiru", country_code="KE")  # someone else's record
    db.session.commit()
    login(s.trainer)
    page = client.get(f"/participants/{mine.id}").get_data(as_text=True)
    assert "same name and country" not in page
    response = client.post(
        f"/participants/new?enrol_in={s.training_session.id}",
        data={
            "full_name": "Someone New",
            "email": "a@example.org",
            "country_code": "NG",
            "agency_type": "police",
        },
    )
    page = response.get_data(as_text=True)
    assert "Amina Yusuf" not in page and "already in the directory" in page


def test_the_manager_sees_the_whole_directory(client, as_role):
    _world()
    as_role("manager")
    assert sorted(_names(client)) == ["Amina Yusuf", "Grace Wanjiru"]


def test_a_trainer_cannot_add_a_stranger_by_guessing_ids(client, login):
    s, _mine, stranger = _world()
    login(s.trainer)
    url = f"/training-sessions/{s.training_session.id}/enrolments/add"
    response = client.post(url, data={"participant_id": stranger.id}, follow_redirects=True)
    assert "Amina Yusuf" not in response.get_data(as_text=True)
    assert client.get(f"/participants/{stranger.id}").status_code == 403
    # Found by the exact email the trainer typed, the person can be added.
    response = client.post(url, data={"participant_id": stranger.id, "email": "A@example.org"})
    assert client.get(f"/participants/{stranger.id}").status_code == 200


def test_withdrawing_someone_ends_the_trainers_view_of_them(client, login):
    from app.enrolment import services

    s, mine, _stranger = _world()
    (enrolment,) = [e for e in mine.enrolments]
    services.withdraw(enrolment, s.trainer)
    db.session.commit()
    login(s.trainer)
    assert client.get(f"/participants/{mine.id}").status_code == 403


def test_a_trainer_sees_only_their_own_sessions_on_a_persons_page(client, login):
    s, mine, _stranger = _world()
    elsewhere = factories.make_training_session(code="ELSEWHERE-2026-01")
    enrol(elsewhere, factories.make_user(roles=("trainer",)), mine)
    db.session.commit()
    login(s.trainer)
    page = client.get(f"/participants/{mine.id}").get_data(as_text=True)
    assert s.training_session.code in page and "ELSEWHERE-2026-01" not in page
    # The whole transcript is the programme's and the person's, not one trainer's.
    assert client.get(f"/participants/{mine.id}/transcript.pdf").status_code == 404
