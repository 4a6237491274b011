from datetime import date, timedelta

from app.extensions import db
from tests import factories


def _trainer_scene():
    trainer = factories.make_user(roles=("trainer",), name="Home Trainer")
    today = date.today()
    running = factories.make_training_session(
        start=today - timedelta(days=1),
        days=3,
        status="in_progress",
        trainers=[trainer],
        code="RUN-2026-KE-01",
    )
    later = factories.make_training_session(
        start=today + timedelta(days=4),
        days=2,
        status="open",
        trainers=[trainer],
        code="SOON-2026-KE-02",
    )
    factories.make_training_session(
        start=today + timedelta(days=60), status="open", trainers=[trainer], code="FAR-2026-KE-03"
    )
    people = [factories.make_enrolment(running) for _ in range(3)]
    factories.make_enrolment(running, status="waitlisted")
    factories.make_enrolment(later, status="requested")
    factories.make_attendance(people[0], today)
    factories.make_attendance(people[1], today, status="late")
    db.session.commit()
    return trainer, running, later


def test_the_trainer_sees_today_first_with_counts_and_the_roll_call(client, login):
    trainer, running, later = _trainer_scene()
    login(trainer)
    page = client.get("/").get_data(as_text=True)
    week = page.split("Today and this week")[1].split("Waiting for you")[0]
    assert week.index("RUN-2026-KE-01") < week.index("SOON-2026-KE-02")
    assert "FAR-2026-KE-03" not in week
    today_card = week.split("SOON-2026-KE-02")[0]
    assert "<strong>3</strong> enrolled" in today_card
    assert "<strong>2</strong> present so far" in today_card
    assert "<strong>1</strong> on the waitlist" in today_card
    assert f"/training-sessions/{running.id}/attendance" in today_card
    # The coming session has no roll call yet.
    assert f"/training-sessions/{later.id}/attendance" not in week


def test_the_trainer_sees_what_waits_for_them(client, login):
    trainer, running, later = _trainer_scene()
    login(trainer)
    waiting = client.get("/home").get_data(as_text=True).split("Waiting for you")[1]
    assert "SOON-2026-KE-02" in waiting and "1 request to decide" in waiting
    assert "Agenda missing" in waiting


def test_a_completed_session_without_certificates_asks_for_them(client, login):
    trainer = factories.make_user(roles=("trainer",))
    done = factories.make_training_session(
        start=date.today() - timedelta(days=90), status="completed", trainers=[trainer]
    )
    factories.make_enrolment(done, completed=True)
    db.session.commit()
    login(trainer)
    waiting = client.get("/home").get_data(as_text=True).split("Waiting for you")[1]
    assert done.code in waiting and "Certificates due" in waiting


def test_the_manager_sees_reach_and_what_changed_since_the_last_visit(client, as_role):
    as_role("manager")
    first = client.get("/").get_data(as_text=True)
    assert "Programme reach" in first and "Participants trained" in first
    assert "0 enrolments" in first
    factories.make_enrolment()
    db.session.commit()
    second = client.get("/").get_data(as_text=True)
    assert "1 enrolment" in second and "1 session planned" in second
    third = client.get("/").get_data(as_text=True)
    assert "0 enrolments" in third


def test_the_participant_sees_their_next_training(client, login):
    user = factories.make_user(roles=("participant",))
    person = factories.make_participant(user=user, email=user.email)
    soon = factories.make_training_session(start=date.today() + timedelta(days=10))
    factories.make_training_session(start=date.today() + timedelta(days=40))
    factories.make_enrolment(soon, person, status="waitlisted")
    db.session.commit()
    login(user)
    page = client.get("/").get_data(as_text=True)
    assert "Your next training" in page and f"/my-trainings/{soon.id}" in page


def _participant_with_place(status="enrolled"):
    user = factories.make_user(roles=("participant",))
    person = factories.make_participant("Asha Owner", user=user, email=user.email)
    trainer = factories.make_user(roles=("trainer",), name="Maria Trainer")
    ts = factories.make_training_session(
        start=date.today() - timedelta(days=1),
        status="in_progress",
        trainers=[trainer],
        venue="Police Academy",
    )
    own = factories.make_enrolment(ts, person, status=status)
    factories.make_enrolment(ts, factories.make_participant("Someone Else"))
    factories.make_attendance(own, ts.start_date, status="late")
    db.session.commit()
    return user, ts


def test_a_participant_sees_their_session_but_not_the_others_in_it(client, login):
    user, ts = _participant_with_place()
    login(user)
    response = client.get(f"/training-sessions/{ts.id}", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Police Academy" in page and "Maria Trainer" in page and "English" in page
    assert "Your attendance" in page and "Late" in page
    assert "Someone Else" not in page and "Asha Owner" not in page


def test_a_waitlisted_participant_sees_their_status(client, login):
    user, ts = _participant_with_place(status="waitlisted")
    login(user)
    page = client.get(f"/my-trainings/{ts.id}").get_data(as_text=True)
    assert "Waitlisted" in page


def test_another_participants_session_is_refused(client, login):
    _user, ts = _participant_with_place()
    stranger = factories.make_user(roles=("participant",))
    factories.make_participant(user=stranger, email=stranger.email)
    db.session.commit()
    login(stranger)
    assert client.get(f"/my-trainings/{ts.id}").status_code == 403
    response = client.get(f"/training-sessions/{ts.id}", follow_redirects=True)
    assert response.status_code == 403


def test_a_withdrawn_participant_no_longer_sees_the_session(client, login):
    user, ts = _participant_with_place(status="withdrawn")
    login(user)
    assert client.get(f"/my-trainings/{ts.id}").status_code == 403
