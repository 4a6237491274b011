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
