import re

from app.extensions import db
from tests import factories


def _issue(client) -> str:
    page = client.post("/my-calendar").get_data(as_text=True)
    return re.search(r'value="http://localhost(/calendar/[^"]+\.ics)"', page).group(1)


def _scene():
    user = factories.make_user(roles=("participant", "trainer"), name="Tess Both")
    person = factories.make_participant(user=user, email=user.email)
    factories.make_training_session(trainers=[user], code="TEACH-2026-KE-01")
    attending = factories.make_training_session(code="ATTEND-2026-KE-02")
    waiting = factories.make_training_session(code="WAIT-2026-KE-03")
    gone = factories.make_training_session(code="GONE-2026-KE-04")
    factories.make_training_session(code="OTHER-2026-KE-05")
    factories.make_enrolment(attending, person)
    factories.make_enrolment(waiting, person, status="waitlisted")
    factories.make_enrolment(gone, person, status="withdrawn")
    db.session.commit()
    return user


def test_the_feed_lists_what_the_person_teaches_and_holds_without_a_login(app, client, login):
    user = _scene()
    login(user)
    path = _issue(client)
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    for code in ("TEACH-2026-KE-01", "ATTEND-2026-KE-02", "WAIT-2026-KE-03"):
        assert f"UID:{code}@" in body
    assert "GONE-2026-KE-04" not in body and "OTHER-2026-KE-05" not in body


def test_a_new_address_or_stopping_revokes_the_old_one(app, client, login):
    user = _scene()
    login(user)
    first = _issue(client)
    second = _issue(client)
    anonymous = app.test_client()
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    # Stopping asks first, then the address stops working.
    page = client.post("/my-calendar/revoke").get_data(as_text=True)
    assert "Stop your calendar feed?" in page
    assert anonymous.get(second).status_code == 200
    client.post("/my-calendar/revoke", data={"confirmed": "yes"})
    assert anonymous.get(second).status_code == 404


def test_a_deactivated_account_has_no_feed(app, client, login):
    user = _scene()
    login(user)
    path = _issue(client)
    user.active = False
    db.session.commit()
    assert app.test_client().get(path).status_code == 404


def test_a_made_up_address_is_not_found(client):
    assert client.get("/calendar/not-a-real-secret.ics").status_code == 404


def test_the_home_page_offers_the_feed_and_my_trainings_too(client, login):
    user = _scene()
    login(user)
    assert "Subscribe in my calendar" in client.get("/").get_data(as_text=True)
    _issue(client)
    page = client.get("/").get_data(as_text=True)
    assert "Make a new feed address" in page and "Stop the feed" in page
    assert 'action="/my-calendar"' in client.get("/my-trainings").get_data(as_text=True)
