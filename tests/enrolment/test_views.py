import io
import re
from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import AccountToken
from app.enrolment.models import Enrolment, Participant
from app.extensions import db
from app.shared.models import utcnow
from tests import factories
from tests.enrolment.helpers import enrol, participant_with_account, scene

PERSON = {
    "full_name": "فاطمة الزهراء",
    "latin_name": "Fatima Zahra",
    "email": "",
    "country_code": "MA",
    "organisation": "Sûreté nationale",
    "agency_type": "police",
    "job_title": "Commissaire",
    "gender": "female",
    "preferred_language": "ar",
}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_manager_adds_a_person_and_is_warned_about_a_probable_duplicate(client, as_role):
    as_role("manager")
    response = client.post("/participants/new", data=PERSON)
    assert response.status_code == 302
    person = db.session.scalar(select(Participant))
    assert person.full_name == "فاطمة الزهراء" and person.gender == "female"
    response = client.post("/participants/new", data={**PERSON, "full_name": "الزهراء فاطمة"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "same name and country" in page and f"/participants/{person.id}" in page
    assert _count(Participant) == 1
    response = client.post(
        "/participants/new", data={**PERSON, "full_name": "الزهراء فاطمة", "confirm_duplicate": "y"}
    )
    assert response.status_code == 302 and _count(Participant) == 2


def test_same_email_is_refused(client, as_role):
    as_role("manager")
    factories.make_participant("Someone", email="taken@example.org")
    response = client.post("/participants/new", data={**PERSON, "email": "TAKEN@example.org"})
    assert response.status_code == 200
    assert "already belongs to Someone" in response.get_data(as_text=True)
    response = client.post(
        "/participants/new",
        data={**PERSON, "email": "TAKEN@example.org", "confirm_duplicate": "y"},
    )
    assert _count(Participant) == 1


def test_edit_changes_the_person_not_past_enrolments(client, login):
    s = scene()
    person = factories.make_participant("Old Name", country_code="KE")
    (enrolment,) = enrol(s.training_session, s.trainer, person)
    db.session.commit()
    login(s.trainer)  # the person is in a session this trainer trains
    response = client.post(
        f"/participants/{person.id}/edit",
        data={**PERSON, "full_name": "New Name", "country_code": "TZ"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert person.full_name == "New Name" and person.country_code == "TZ"
    assert enrolment.country_code == "KE"
    page = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "served in Kenya" in page and s.training_session.code in page


def test_list_searches_names_in_any_script_and_filters(client, as_role):
    as_role("manager")
    factories.make_participant("สมชาย ใจดี", latin_name="Somchai Jaidee", country_code="TH")
    factories.make_participant("محمد عبد الله", country_code="EG", agency_type="judiciary")
    factories.make_participant("Grace Wanjiru", country_code="KE", email="grace@example.org")
    db.session.commit()

    def names(query: str) -> list[str]:
        page = client.get(f"/participants?{query}").get_data(as_text=True)
        return re.findall(r'class="person-name">([^<]+)<', page)

    assert names("q=ใจดี") == ["สมชาย ใจดี"]
    assert names("q=somchai") == ["สมชาย ใจดี"]
    assert names("q=عبد") == ["محمد عبد الله"]
    assert names("q=GRACE%40example") == ["Grace Wanjiru"]
    assert names("country=EG") == ["محمد عبد الله"]
    assert names("agency_type=judiciary") == ["محمد عبد الله"]
    assert len(names("")) == 3
    page = client.get("/participants").get_data(as_text=True)
    assert 'dir="auto"' in page and "Judiciary" in page


def test_list_is_paginated(client, as_role):
    as_role("admin")
    for n in range(55):
        factories.make_participant(f"Person {n:02d}", country_code="KE")
    db.session.commit()
    first = client.get("/participants?country=KE").get_data(as_text=True)
    second = client.get("/participants?country=KE&page=2").get_data(as_text=True)
    assert first.count('class="person-name"') == 50 and second.count('class="person-name"') == 5
    assert "Page 2 of 2" in second
    # The pager keeps the filter.
    (following,) = re.findall(r'href="([^"]+)" rel="next"', first)
    assert "page=2" in following and "country=KE" in following


def test_the_directory_tells_who_has_an_account_and_who_was_only_invited(client, as_role):
    as_role("manager")
    signed_up = factories.make_user(email="active@example.org")
    invited = factories.make_user(email="invited@example.org")
    invited.password_hash = None
    factories.make_participant("Active Officer", user=signed_up)
    factories.make_participant("Invited Officer", user=invited)
    factories.make_participant("Paper Officer")
    db.session.commit()
    page = client.get("/participants").get_data(as_text=True)
    rows = {
        name: row
        for row in page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
        for name in ("Active Officer", "Invited Officer", "Paper Officer")
        if name in row
    }
    assert 'badge-valid">Active<' in rows["Active Officer"]
    assert 'badge-requested">Invited<' in rows["Invited Officer"]
    assert 'class="blank"><span class="muted">–</span>' in rows["Paper Officer"]
    assert '<td data-label="Email" class="blank">–</td>' in rows["Paper Officer"]


def test_invitation_round_trip_to_my_trainings(app, client, as_role, outbox):
    as_role("manager")
    response = client.post(
        "/participants/new", data={**PERSON, "email": "Fatima@Example.org", "invite": "y"}
    )
    assert response.status_code == 302
    person = db.session.scalar(select(Participant))
    user = person.user
    assert user.email == "fatima@example.org" and user.roles == {"participant"}
    assert user.password_hash is None
    (message,) = outbox.refresh()
    assert message["To"] == "fatima@example.org"
    link = re.search(r"http\S+/set-password/\S+", message.get_content()).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    invited = app.test_client()
    assert invited.get(f"/{path}").status_code == 200
    chosen = "lantern quietly harbour"
    response = invited.post(f"/{path}", data={"password": chosen, "confirm": chosen})
    assert response.status_code == 302
    page = invited.get("/my-trainings")
    assert page.status_code == 200 and "فاطمة الزهراء" in page.get_data(as_text=True)
    # The link works once.
    assert app.test_client().get(f"/{path}").status_code == 410
    login = app.test_client().post(
        "/login", data={"email": "fatima@example.org", "password": "lantern quietly harbour"}
    )
    assert login.status_code == 302


def test_expired_invitation_is_refused(app, client, as_role, outbox):
    as_role("manager")
    person = factories.make_participant("Lina Haddad", country_code="JO", email="lina@example.org")
    db.session.commit()
    assert client.post(f"/participants/{person.id}/invite").status_code == 302
    token = db.session.scalar(select(AccountToken))
    token.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    link = re.search(r"/set-password/\S+", outbox.refresh()[0].get_content()).group(0)
    response = app.test_client().get(link)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)


def test_invite_needs_an_email_and_links_an_existing_account(client, as_role):
    as_role("manager")
    nobody = factories.make_participant("No Email")
    existing = factories.make_user(roles=("participant",), email="both@example.org")
    person = factories.make_participant("Both Roles", email="both@example.org")
    db.session.commit()
    response = client.post(f"/participants/{nobody.id}/invite", follow_redirects=True)
    assert "Add an email address" in response.get_data(as_text=True)
    response = client.post(f"/participants/{person.id}/invite", follow_redirects=True)
    assert "existing account" in response.get_data(as_text=True)
    db.session.expire_all()
    assert person.user_id == existing.id and existing.roles == {"participant"}


def test_session_page_for_trainers_and_read_only_for_managers(client, login):
    s = scene(capacity=1, country_quota=1)
    requester = participant_with_account("ณัฐพล ศรีสุข", country_code="TH")
    enrol(
        s.training_session,
        s.trainer,
        factories.make_participant("Grace Wanjiru"),
        factories.make_participant("Peter Otieno"),
    )
    from app.enrolment import services

    services.request_place(requester, s.training_session, requester.user)
    db.session.commit()
    login(s.trainer)
    page = client.get(f"/training-sessions/{s.training_session.id}/enrolments").get_data(
        as_text=True
    )
    assert (
        "ณัฐพล ศรีสุข" in page and "Approve" in page and "Quota of 1 participants from Kenya" in page
    )
    assert "1 / 1" in page
    manager = factories.make_user(roles=("manager",))
    db.session.commit()
    login(manager)
    page = client.get(f"/training-sessions/{s.training_session.id}/enrolments").get_data(
        as_text=True
    )
    assert "ณัฐพล ศรีสุข" in page and "Approve" not in page and "Upload a list" not in page


def test_trainer_approves_declines_and_withdraws_through_the_page(client, login):
    s = scene(capacity=1)
    a = participant_with_account("Person A")
    b = participant_with_account("Person B")
    from app.enrolment import services

    ea = services.request_place(a, s.training_session, a.user)
    eb = services.request_place(b, s.training_session, b.user)
    db.session.commit()
    login(s.trainer)
    client.post(f"/enrolments/{ea.id}/approve")
    client.post(f"/enrolments/{eb.id}/approve")
    db.session.expire_all()
    assert (ea.status, eb.status) == ("enrolled", "waitlisted")
    # Withdrawing asks first (a page without JavaScript); the answer carries the reason on.
    page = client.post(f"/enrolments/{ea.id}/withdraw", data={"reason": "Reassigned"})
    assert page.status_code == 200 and "Withdraw this person?" in page.get_data(as_text=True)
    assert db.session.get(Enrolment, ea.id).status == "enrolled"
    client.post(f"/enrolments/{ea.id}/withdraw", data={"reason": "Reassigned", "confirmed": "yes"})
    db.session.expire_all()
    assert (ea.status, eb.status) == ("withdrawn", "enrolled")
    assert ea.status_reason == "Reassigned"
    client.post(
        f"/enrolments/{eb.id}/decline", data={"reason": "Wrong audience", "confirmed": "yes"}
    )
    db.session.expire_all()
    assert eb.status == "declined" and eb.events[-1].actor_id == s.trainer.id


def test_trainer_searches_and_adds_people_and_creates_one_inline(client, login):
    s = scene()
    person = factories.make_participant(
        "สมชาย ใจดี", latin_name="Somchai Jaidee", country_code="TH", email="somchai@example.org"
    )
    db.session.commit()
    login(s.trainer)
    url = f"/training-sessions/{s.training_session.id}/enrolments"
    # Someone from outside the trainer's sessions is found by exact email, never by browsing.
    assert "สมชาย ใจดี" not in client.get(f"{url}?q=somchai").get_data(as_text=True)
    assert "สมชาย ใจดี" in client.get(f"{url}?q=Somchai@example.org").get_data(as_text=True)
    client.post(f"{url}/add", data={"participant_id": person.id, "email": "Somchai@example.org"})
    response = client.post(f"/participants/new?enrol_in={s.training_session.id}", data=PERSON)
    assert response.headers["Location"].endswith(url)
    statuses = db.session.scalars(select(Enrolment.status)).all()
    assert statuses == ["enrolled", "enrolled"]
    page = client.get(f"{url}?q=somchai").get_data(as_text=True)
    assert "Nobody found who is not already enrolled" in page


def test_other_trainers_cannot_manage_a_session(client, as_role):
    s = scene()
    as_role("trainer")
    assert client.get(f"/training-sessions/{s.training_session.id}/enrolments").status_code == 403
    response = client.post(f"/participants/new?enrol_in={s.training_session.id}", data=PERSON)
    assert response.status_code == 403


def test_upload_preview_shows_errors_then_confirm_enrols_all(client, login):
    s = scene()
    db.session.commit()
    login(s.trainer)
    url = f"/training-sessions/{s.training_session.id}/enrolments/upload"
    bad = "name,country,email\nสมชาย ใจดี,TH,\nفاطمة,Narnia,\n,KE,x@example.org\n"
    response = client.post(
        url,
        data={"file": (io.BytesIO(bad.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 problems in people.csv" in page
    assert "Narnia" in page and "Leave out the 2 rows with problems" in page
    assert _count(Participant) == 0
    good = "name,country,email\nสมชาย ใจดี,TH,\nفاطمة الزهراء,Morocco,\n"
    response = client.post(
        url,
        data={"file": (io.BytesIO(good.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    assert _count(Participant) == 0
    response = client.post(f"{url}/confirm", data={"token": token})
    assert response.status_code == 302
    assert _count(Participant) == 2 and _count(Enrolment) == 2
    # The token is spent; confirming again does nothing.
    response = client.post(f"{url}/confirm", data={"token": token}, follow_redirects=True)
    assert "expired" in response.get_data(as_text=True) and _count(Enrolment) == 2


def test_upload_rejects_other_file_types(client, login):
    s = scene()
    db.session.commit()
    login(s.trainer)
    response = client.post(
        f"/training-sessions/{s.training_session.id}/enrolments/upload",
        data={"file": (io.BytesIO(b"x"), "people.pdf")},
        content_type="multipart/form-data",
    )
    assert "Upload a .csv or .xlsx file" in response.get_data(as_text=True)


def test_participant_requests_a_place_sees_it_and_withdraws(client, login):
    s = scene()
    person = participant_with_account("Amina Yusuf")
    db.session.commit()
    login(person.user)
    page = client.get("/trainings/open").get_data(as_text=True)
    assert s.training_session.code in page and "Request a place" in page
    response = client.post(f"/training-sessions/{s.training_session.id}/request")
    assert response.headers["Location"].endswith("/my-trainings")
    enrolment = db.session.scalar(select(Enrolment))
    assert enrolment.status == "requested"
    page = client.get("/my-trainings").get_data(as_text=True)
    assert s.training_session.code in page and "Requested" in page and "Withdraw" in page
    assert "Give up your place" in client.post(f"/enrolments/{enrolment.id}/withdraw-own").get_data(
        as_text=True
    )
    client.post(f"/enrolments/{enrolment.id}/withdraw-own", data={"confirmed": "yes"})
    db.session.expire_all()
    assert enrolment.status == "withdrawn"


def test_participant_cannot_withdraw_someone_else(client, login):
    s = scene()
    other = participant_with_account("Other")
    enrolment = services_request(other, s)
    me = participant_with_account("Me")
    db.session.commit()
    login(me.user)
    assert client.post(f"/enrolments/{enrolment.id}/withdraw-own").status_code == 404


def services_request(person, s):
    from app.enrolment import services

    return services.request_place(person, s.training_session, person.user)


def test_my_trainings_groups_sessions_and_shows_completion(client, login):
    person = participant_with_account("สมหญิง รักไทย", country_code="TH")
    done = factories.make_training_session(
        status="completed", start=utcnow().date() - timedelta(days=60), code="DONE-1"
    )
    running = factories.make_training_session(
        status="in_progress", start=utcnow().date(), code="RUN-1"
    )
    soon = factories.make_training_session(status="open", code="SOON-1")
    factories.make_enrolment(done, person, completed=True, completion_rate=0.9)
    factories.make_enrolment(running, person)
    factories.make_enrolment(
        soon, person, status="waitlisted", status_reason="Session full (20 places)"
    )
    db.session.commit()
    login(person.user)
    page = client.get("/my-trainings").get_data(as_text=True)
    in_progress, rest = page.split("Upcoming", 1)
    upcoming, completed = rest.split("Completed</h2>", 1)
    assert "RUN-1" in in_progress and "SOON-1" in upcoming and "DONE-1" in completed
    assert "90%" in completed and "Session full" in upcoming


def test_my_trainings_without_a_participant_record(client, as_role):
    as_role("participant")
    page = client.get("/my-trainings").get_data(as_text=True)
    assert "not linked to a participant record" in page


def test_merge_through_the_page(client, login):
    s = scene()
    keep = factories.make_participant("Somchai Jaidee", country_code="TH")
    remove = factories.make_participant("สมชาย ใจดี", country_code="TH", email="s@example.org")
    enrol(s.training_session, s.trainer, remove)
    manager = factories.make_user(roles=("manager",))
    db.session.commit()
    login(manager)
    page = client.get(f"/participants/{keep.id}/merge?q=สมชาย").get_data(as_text=True)
    assert "สมชาย ใจดี" in page
    page = client.get(f"/participants/{keep.id}/merge?other={remove.id}").get_data(as_text=True)
    assert "Keep which record?" in page
    response = client.post(
        f"/participants/{keep.id}/merge", data={"other_id": remove.id, "keep": "this"}
    )
    assert response.headers["Location"].endswith(f"/participants/{keep.id}")
    db.session.expire_all()
    assert _count(Participant) == 1 and keep.email == "s@example.org"
    assert db.session.scalar(select(Enrolment.participant_id)) == keep.id


def test_panel_summarises_enrolments_for_staff(app, login, client):
    from flask import url_for

    from app.enrolment.views import session_panel

    s = scene(capacity=2)
    enrol(s.training_session, s.trainer, *(factories.make_participant() for _ in range(3)))
    db.session.commit()
    with app.test_request_context():
        from flask_login import login_user

        login_user(s.trainer)
        html = str(session_panel(s.training_session))
        assert (
            "2 / 2" in html
            and url_for("enrolment.session_enrolments", training_session_id=s.training_session.id)
            in html
        )
    with app.test_request_context():
        from flask_login import login_user

        login_user(factories.make_user(roles=("participant",)))
        assert session_panel(s.training_session) is None


def test_request_needs_a_participant_record(client, as_role):
    s = scene()
    db.session.commit()
    as_role("participant")
    response = client.post(
        f"/training-sessions/{s.training_session.id}/request", follow_redirects=True
    )
    assert "not linked to a participant record" in response.get_data(as_text=True)
    assert _count(Enrolment) == 0
