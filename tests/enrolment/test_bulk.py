from app.enrolment import services
from app.extensions import db
from tests import factories
from tests.enrolment.helpers import participant_with_account, scene


def _requests(s, count):
    people = [participant_with_account(f"Person {n}") for n in range(count)]
    enrolments = [services.request_place(p, s.training_session, p.user) for p in people]
    db.session.commit()
    return enrolments


def _statuses(enrolments):
    db.session.expire_all()
    return [e.status for e in enrolments]


def test_approving_several_fills_the_places_then_the_waitlist(client, login):
    s = scene(capacity=2)
    chosen = _requests(s, 3)
    login(s.trainer)
    response = client.post(
        f"/training-sessions/{s.training_session.id}/enrolments/bulk",
        data={"action": "approve", "enrolment_ids": [e.id for e in chosen]},
        follow_redirects=True,
    )
    assert "3 people updated." in response.get_data(as_text=True)
    assert _statuses(chosen) == ["enrolled", "enrolled", "waitlisted"]


def test_one_already_decided_is_named_and_the_others_change(client, login):
    s = scene()
    chosen = _requests(s, 2)
    services.approve(chosen[0], s.trainer)
    db.session.commit()
    login(s.trainer)
    page = client.post(
        f"/training-sessions/{s.training_session.id}/enrolments/bulk",
        data={"action": "waitlist", "enrolment_ids": [e.id for e in chosen]},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "1 person updated." in page and "Person 0: Only pending requests" in page
    assert _statuses(chosen) == ["enrolled", "waitlisted"]


def test_declining_several_asks_first_then_keeps_the_reason(client, login):
    s = scene()
    chosen = _requests(s, 2)
    login(s.trainer)
    url = f"/training-sessions/{s.training_session.id}/enrolments/bulk"
    form = {"action": "decline", "enrolment_ids": [e.id for e in chosen], "reason": "Full"}
    page = client.post(url, data=form).get_data(as_text=True)
    assert "Decline these requests?" in page and "Person 0" in page and "Person 1" in page
    assert 'name="confirmed" value="yes"' in page
    assert _statuses(chosen) == ["requested", "requested"]
    client.post(url, data={**form, "confirmed": "yes"})
    assert _statuses(chosen) == ["declined", "declined"]
    assert chosen[0].status_reason == "Full"


def test_enrolments_of_another_session_are_left_alone(client, login):
    s = scene()
    mine = _requests(s, 1)
    elsewhere = factories.make_enrolment(factories.make_training_session(), status="requested")
    db.session.commit()
    login(s.trainer)
    client.post(
        f"/training-sessions/{s.training_session.id}/enrolments/bulk",
        data={"action": "approve", "enrolment_ids": [mine[0].id, elsewhere.id, "x"]},
    )
    assert _statuses([mine[0], elsewhere]) == ["enrolled", "requested"]


def test_nothing_ticked_says_so(client, login):
    s = scene()
    db.session.commit()
    login(s.trainer)
    page = client.post(
        f"/training-sessions/{s.training_session.id}/enrolments/bulk",
        data={"action": "approve"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Tick the people first" in page
