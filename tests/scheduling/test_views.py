import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.scheduling import services
from app.scheduling.models import SessionStatus, TrainingSession
from app.scheduling.services import AgendaRow
from tests import factories
from tests.scheduling.helpers import details, form_data


@pytest.fixture
def trainer(app):
    return factories.make_user(roles=("trainer",), name="Tess Trainer")


@pytest.fixture
def course(app):
    return factories.make_course(code="CFCAC", title="Countering Online Exploitation")


def plan(course, trainer, **overrides) -> TrainingSession:
    return services.create_training_session(course, details(trainer, **overrides), trainer)


# --- Creating --------------------------------------------------------------------------------


def test_new_session_starts_with_a_course_picker(client, login, trainer, course):
    login(trainer)
    factories.make_course(title="Old Hotline Basics", retired=True)
    page = client.get("/training-sessions/new").get_data(as_text=True)
    assert "Countering Online Exploitation" in page
    assert "Old Hotline Basics" not in page


def test_form_preselects_the_creator_and_offers_course_languages(client, login, trainer, course):
    login(trainer)
    page = client.get(f"/training-sessions/new?course_id={course.id}").get_data(as_text=True)
    assert (
        f'value="{trainer.id}" checked' in page
        or f'checked id="trainers-0" name="trainers" type="checkbox" value="{trainer.id}"' in page
    )
    assert '<option value="fr">French</option>' in page
    assert 'id="host_country"' in page
    assert "Guess from the country" in page
    assert "Africa/Nairobi" in page


def test_create_session_with_suggested_agenda(client, login, trainer, course):
    login(trainer)
    data = form_data(course, trainer, fill_agenda="y", new_partners="INTERPOL")
    response = client.post(f"/training-sessions/new?course_id={course.id}", data=data)
    ts = db.session.query(TrainingSession).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/training-sessions/{ts.id}/agenda")
    assert ts.code == "CFCAC-2026-KE-01"
    assert [p.name for p in ts.partners] == ["INTERPOL"]
    assert len(ts.agenda_items) >= 2
    editor = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "agenda-0-course_module_id" in editor
    assert 'id="agenda-row-template"' in editor


def test_validation_messages_sit_next_to_their_fields(client, login, trainer, course):
    login(trainer)
    data = form_data(
        course,
        trainer,
        end_date="2026-03-01",
        capacity="0",
        country_quota="5",
        enrolment_deadline="2026-03-10",
    )
    page = client.post(f"/training-sessions/new?course_id={course.id}", data=data).get_data(
        as_text=True
    )
    assert db.session.query(TrainingSession).count() == 0
    for field, message in [
        ("end_date", "The last day cannot be before the first day."),
        ("capacity", "Capacity must be at least 1."),
        ("enrolment_deadline", "The enrolment deadline cannot be after the first day."),
    ]:
        start = page.index(f'id="{field}"')
        block = page[start : page.index("</div>", start)]
        assert message in block, field


def test_overlap_warned_on_form_and_flashed_after_save(client, login, trainer, course):
    existing = plan(course, trainer, city="Mombasa")
    db.session.commit()
    login(trainer)
    url = f"/training-sessions/new?course_id={course.id}"
    data = form_data(course, trainer, start_date="2026-03-20", end_date="2026-03-21")
    # A rejected form shows the warning when it comes back.
    page = client.post(url, data={**data, "capacity": "0"}).get_data(as_text=True)
    assert "within 30 days" in page
    assert existing.code in page
    assert "Mombasa" in page
    # Saving is still allowed, with a warning.
    response = client.post(url, data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "flash-warning" in page
    assert existing.code in page
    assert db.session.query(TrainingSession).count() == 2


def test_overlap_check_json(client, login, trainer, course):
    existing = plan(course, trainer)
    db.session.commit()
    login(trainer)
    body = client.get(
        "/training-sessions/overlaps",
        query_string={
            "course_id": course.id,
            "host_country": "KE",
            "start_date": "2026-03-30",
            "end_date": "2026-03-31",
        },
    ).get_json()
    assert [o["code"] for o in body["overlaps"]] == [existing.code]
    body = client.get(
        "/training-sessions/overlaps",
        query_string={
            "course_id": course.id,
            "host_country": "KE",
            "start_date": "2026-03-02",
            "exclude": existing.id,
        },
    ).get_json()
    assert body == {"overlaps": []}


# --- Session page ----------------------------------------------------------------------------


def test_session_page_shows_facts_agenda_overlaps_and_flags(client, login, trainer, course):
    ts = plan(course, trainer, host_country="FR", city="Lyon", new_partner_names="Europol")
    other = plan(
        course,
        trainer,
        host_country="FR",
        city="Paris",
        start_date=date(2026, 3, 16),
        end_date=date(2026, 3, 17),
    )
    intro, _evidence, special = course.current_version.modules
    services.set_agenda(
        ts,
        [
            AgendaRow(date(2026, 3, 2), intro.id, None),
            AgendaRow(date(2026, 3, 3), special.id, None),
        ],
    )
    db.session.commit()
    login(factories.make_user(roles=("manager",)))
    page = client.get(f"/training-sessions/{ts.id}").get_data(as_text=True)
    for text in [
        ts.code,
        "Lyon",
        "Europol",
        "Tess Trainer",
        "Civil law",
        "Europe/Paris",
        "Intro",
        "Special Techniques",
        other.code,
        "Paris",
        "This module covers common-law rules; the session follows civil law.",
    ]:
        assert text in page, text
    assert "Day 1" in page and "Day 3" in page
    assert "Edit details" not in page  # managers look, they do not edit


def test_session_and_course_pages_name_a_tradition_and_a_language_alike(
    client, login, trainer, course
):
    ts = plan(course, trainer, legal_tradition="mixed", language="fr")
    db.session.commit()
    login(trainer)
    page = client.get(f"/training-sessions/{ts.id}").get_data(as_text=True)
    assert "Mixed legal system" in page and "Mixed system" not in page
    french = {"Accept-Language": "fr"}
    session_page = client.get(f"/training-sessions/{ts.id}", headers=french).get_data(as_text=True)
    course_page = client.get(f"/courses/{course.slug}", headers=french).get_data(as_text=True)
    assert "Français" in session_page and "Français" in course_page
    assert "French" not in session_page


def test_session_page_shows_registered_panels(client, login, trainer, course, app):
    from markupsafe import Markup

    from app.scheduling import panels

    ts = plan(course, trainer)
    db.session.commit()
    saved = list(panels.PANELS.entries)
    panels.register_panel(lambda t: Markup("<section>Panel for %s</section>") % t.code)
    try:
        login(trainer)
        page = client.get(f"/training-sessions/{ts.id}").get_data(as_text=True)
    finally:
        panels.PANELS.entries[:] = saved
    assert f"Panel for {ts.code}" in page


def test_completion_links_to_attendance_when_it_exists(client, login, trainer, course, app):
    ts = plan(course, trainer)
    ts.status = SessionStatus.IN_PROGRESS
    db.session.commit()
    login(trainer)
    page = client.get(f"/training-sessions/{ts.id}").get_data(as_text=True)
    if "attendance.complete_session" in app.view_functions:
        assert f"/training-sessions/{ts.id}/completion" in page or "Complete the session" in page
        assert "Mark completed" not in page
        response = client.post(
            f"/training-sessions/{ts.id}/status", data={"new_status": "completed"}
        )
        assert response.status_code == 302
        assert db.session.get(TrainingSession, ts.id).status == SessionStatus.IN_PROGRESS
    else:
        assert "Mark completed" in page


# --- Editing and permissions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("assigned", 200), ("other", 403), ("admin", 200), ("manager", 403)]
)
def test_edit_permission(client, login, trainer, course, who, status):
    ts = plan(course, trainer)
    db.session.commit()
    user = {
        "assigned": trainer,
        "other": factories.make_user(roles=("trainer",)),
        "admin": factories.make_user(roles=("admin",)),
        "manager": factories.make_user(roles=("manager",)),
    }[who]
    login(user)
    for url in (f"/training-sessions/{ts.id}/edit", f"/training-sessions/{ts.id}/agenda"):
        assert client.get(url).status_code == status
    response = client.post(f"/training-sessions/{ts.id}/status", data={"new_status": "open"})
    assert response.status_code == (302 if status == 200 else 403)


def test_participants_cannot_see_sessions(client, as_role, trainer, course):
    ts = plan(course, trainer)
    db.session.commit()
    as_role("participant")
    assert client.get("/training-sessions").status_code == 403
    # The session page sends a participant to their own view of it, refused without a place.
    response = client.get(f"/training-sessions/{ts.id}", follow_redirects=True)
    assert response.status_code == 403
    assert client.get("/training-sessions/new").status_code == 403


def test_edit_form_keeps_default_tradition_and_saves(client, login, trainer, course):
    ts = plan(course, trainer, host_country="FR", city="Lyon")
    db.session.commit()
    login(trainer)
    page = client.get(f"/training-sessions/{ts.id}/edit").get_data(as_text=True)
    assert '<option selected value="">' in page or 'selected value=""' in page
    data = form_data(course, trainer, host_country="GB", city="Leeds", capacity="12")
    response = client.post(f"/training-sessions/{ts.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(ts)
    assert (ts.city, ts.capacity, ts.legal_tradition) == ("Leeds", 12, "common_law")
    assert ts.timezone == "Europe/London"  # the guess follows the new country


def test_edit_form_keeps_a_chosen_time_zone(client, login, trainer, course):
    ts = plan(course, trainer, timezone="Africa/Kampala")
    db.session.commit()
    login(trainer)
    page = client.get(f"/training-sessions/{ts.id}/edit").get_data(as_text=True)
    assert '<option selected value="Africa/Kampala">' in page


def test_agenda_editor_saves_and_shows_errors(client, login, trainer, course):
    ts = plan(course, trainer)
    db.session.commit()
    intro, evidence, _special = course.current_version.modules
    login(trainer)
    url = f"/training-sessions/{ts.id}/agenda"
    bad = {
        "agenda-0-day": "2026-03-02",
        "agenda-0-course_module_id": str(intro.id),
        "agenda-0-hours": "",
        "agenda-1-day": "2026-03-02",
        "agenda-1-course_module_id": str(evidence.id),
        "agenda-1-hours": "",
    }
    page = client.post(url, data=bad).get_data(as_text=True)
    assert "a day holds at most 8" in page
    assert len(ts.agenda_items) == 0
    good = {
        **bad,
        "agenda-1-day": "2026-03-03",
        "agenda-2-day": "2026-03-04",
        "agenda-2-course_module_id": "",
    }
    response = client.post(url, data=good)
    assert response.status_code == 302
    db.session.refresh(ts)
    assert [(i.day.day, i.course_module.slug) for i in ts.agenda_items] == [
        (2, "intro"),
        (3, "evidence"),
    ]


def test_status_buttons_and_cancellation(client, login, trainer, course):
    ts = plan(course, trainer)
    db.session.commit()
    login(trainer)
    url = f"/training-sessions/{ts.id}/status"
    client.post(url, data={"new_status": "open"})
    assert db.session.get(TrainingSession, ts.id).status == "open"
    page = client.post(
        url, data={"new_status": "cancelled", "reason": " "}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Say why the session is cancelled." in page
    page = client.post(
        url,
        data={"new_status": "cancelled", "reason": "Floods in the region"},
        follow_redirects=True,
    ).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(TrainingSession, ts.id).status == "cancelled"
    assert "Floods in the region" in page
    assert "Edit details" not in page


@pytest.mark.parametrize(
    ("status", "buttons"),
    [
        ("draft", ["Open for enrolment"]),
        ("open", ["Back to draft", "Start the session"]),
    ],
)
def test_status_buttons_name_the_next_steps(client, login, trainer, course, status, buttons):
    ts = plan(course, trainer)
    ts.status = status
    db.session.commit()
    login(trainer)
    page = client.get(f"/training-sessions/{ts.id}").get_data(as_text=True)
    shown = [
        label
        for label in ("Open for enrolment", "Back to draft", "Start the session")
        if f">{label}</button>" in page
    ]
    assert shown == buttons
    assert "Cancel this session" in page and "Edit details" in page


def test_a_completed_session_offers_no_edits_and_no_status_card(client, login, trainer, course):
    ts = plan(course, trainer)
    ts.status = SessionStatus.COMPLETED
    db.session.commit()
    login(trainer)
    page = client.get(f"/training-sessions/{ts.id}").get_data(as_text=True)
    assert "Edit details" not in page
    assert "status-actions" not in page and "Cancel this session" not in page


# --- List ------------------------------------------------------------------------------------


def test_list_filters(client, login, trainer, course):
    other_course = factories.make_course(code="OSINT", title="Open Source Investigations")
    a = plan(course, trainer)  # KE, March, draft
    b = plan(course, trainer, host_country="UG", city="Kampala")
    c = services.create_training_session(
        other_course,
        details(trainer, start_date=date(2026, 6, 1), end_date=date(2026, 6, 3)),
        trainer,
    )
    services.change_status(c, "open", trainer)
    db.session.commit()
    login(trainer)

    def codes(**query) -> set[str]:
        page = client.get("/training-sessions", query_string=query).get_data(as_text=True)
        return {ts.code for ts in (a, b, c) if ts.code in page}

    assert codes() == {a.code, b.code, c.code}
    assert codes(course=course.id) == {a.code, b.code}
    assert codes(country="UG") == {b.code}
    assert codes(status="open") == {c.code}
    assert codes(**{"from": "2026-05-01"}) == {c.code}
    assert codes(to="2026-03-31") == {a.code, b.code}
    assert codes(**{"from": "2026-03-04", "to": "2026-03-04"}) == {a.code, b.code}
    assert codes(**{"from": "garbage"}) == {a.code, b.code, c.code}


def test_the_list_headers_sort_and_toggle_the_order(client, as_role):
    as_role("manager")
    factories.make_training_session(code="ZZZ-2026-KE-01", capacity=5)
    factories.make_training_session(code="AAA-2026-KE-01", capacity=50)
    db.session.commit()
    page = client.get("/training-sessions?sort=capacity&country=KE").get_data(as_text=True)
    assert page.index("ZZZ-2026-KE-01") < page.index("AAA-2026-KE-01")
    assert 'aria-sort="ascending"' in page
    header = page.split("<thead>")[1].split("</thead>")[0]
    assert re.search(r"href=\"[^\"]*country=KE[^\"]*\"[^>]*>Capacity ▲", header)
    assert re.search(r"href=\"[^\"]*order=desc[^\"]*\"[^>]*>Capacity", header)
    page = client.get("/training-sessions?sort=capacity&order=desc").get_data(as_text=True)
    assert page.index("AAA-2026-KE-01") < page.index("ZZZ-2026-KE-01")
    # Sort links keep the filters only: "_external" in a crafted query stays out of url_for.
    crafted = client.get("/training-sessions?_external=1&country=KE").get_data(as_text=True)
    assert "http://" not in crafted.split("<thead>")[1].split("</thead>")[0]
    # An unknown column falls back to the default order rather than failing.
    assert client.get("/training-sessions?sort=password").status_code == 200


def test_the_list_escapes_what_people_typed_and_labels_each_cell(client, as_role):
    as_role("manager")
    typist = factories.make_user(name="<script>alert('trainer')</script>", roles={"trainer"})
    factories.make_training_session(city="<b>Nairobi</b>", trainers=[typist], host_country="KE")
    db.session.commit()
    page = client.get("/training-sessions").get_data(as_text=True)
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "<script>" not in body and "<b>" not in body
    assert "&lt;b&gt;Nairobi&lt;/b&gt;" in body
    assert '<span class="country" title="KE">Kenya</span>' in body
    assert '<td data-label="Trainers">&lt;script&gt;' in body


def test_the_session_page_opens_with_its_actions(client, login, trainer, course):
    ts = plan(course, trainer)
    ts.status = "in_progress"
    db.session.commit()
    login(trainer)
    page = client.get(f"/training-sessions/{ts.id}").get_data(as_text=True)
    shortcuts = page.split('class="actions session-shortcuts"')[1].split("</nav>")[0]
    assert f"/training-sessions/{ts.id}/attendance" in shortcuts
    assert f"/training-sessions/{ts.id}/enrolments" in shortcuts
    assert f"/training-sessions/{ts.id}/certificates" in shortcuts
    # Today's roll call leads as the one primary button; enrolments and certificates follow.
    links = re.findall(r'<a class="([^"]+)" href="/training-sessions/\d+/(\w+)', shortcuts)
    assert links == [
        ("button", "attendance"),
        ("button secondary", "enrolments"),
        ("button secondary", "certificates"),
    ]
    assert page.index("session-shortcuts") < page.index("<h2>")


def test_a_draft_offers_no_roll_call_the_roll_would_refuse(client, login, trainer, course):
    ts = plan(course, trainer)  # a draft
    db.session.commit()
    login(trainer)
    page = client.get(f"/training-sessions/{ts.id}").get_data(as_text=True)
    assert f'href="/training-sessions/{ts.id}/attendance"' not in page
    assert f"/training-sessions/{ts.id}/enrolments" in page


def test_a_trainer_booked_on_the_same_days_is_warned_but_may_save(client, login, trainer, course):
    other_course = factories.make_course(code="OTHER")
    elsewhere = factories.make_training_session(
        course=other_course,
        host_country="UG",
        start=date(2026, 3, 4),
        days=2,
        trainers=[trainer],
        city="Kampala",
        code="OTHER-2026-UG-01",
    )
    factories.make_training_session(  # a cancelled one no longer books anybody
        course=other_course,
        start=date(2026, 3, 2),
        trainers=[trainer],
        status="cancelled",
        code="GONE-2026-KE-01",
    )
    factories.make_training_session(  # another trainer's session on the same days
        course=other_course,
        start=date(2026, 3, 2),
        code="THEIRS-2026-KE-01",
        trainers=[factories.make_user(roles=("trainer",))],
    )
    db.session.commit()
    login(trainer)
    response = client.post(
        f"/training-sessions/new?course_id={course.id}",
        data=form_data(course, trainer),
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    saved = db.session.scalar(select(TrainingSession).where(TrainingSession.course_id == course.id))
    assert saved is not None  # saving stays allowed
    assert "Tess Trainer also teaches OTHER-2026-UG-01" in page and "Kampala" in page
    assert "GONE-2026-KE-01" not in page and "THEIRS-2026-KE-01" not in page
    # The session page and the edit form keep saying so.
    detail = client.get(f"/training-sessions/{saved.id}").get_data(as_text=True)
    assert "booked in another session" in detail and f"/training-sessions/{elsewhere.id}" in detail
    edit = client.get(f"/training-sessions/{saved.id}/edit").get_data(as_text=True)
    assert "OTHER-2026-UG-01" in edit
    # Moving the dates apart ends the warning.
    client.post(
        f"/training-sessions/{saved.id}/edit",
        data=form_data(course, trainer, start_date="2026-03-10", end_date="2026-03-11"),
    )
    assert "booked in another" not in client.get(f"/training-sessions/{saved.id}").get_data(
        as_text=True
    )


def test_the_form_warns_of_a_clash_while_it_is_corrected(client, login, trainer, course):
    factories.make_training_session(
        start=date(2026, 3, 3), days=1, trainers=[trainer], code="BUSY-2026-KE-01"
    )
    db.session.commit()
    login(trainer)
    page = client.post(
        f"/training-sessions/new?course_id={course.id}",
        data=form_data(course, trainer, city=""),
    ).get_data(as_text=True)
    assert "BUSY-2026-KE-01" in page and "booked in another session" in page


def test_a_session_is_duplicated_on_new_dates_with_its_team_and_agenda(
    client, login, trainer, course
):
    partner = factories.make_partner("Kenya Police Academy")
    co = factories.make_user(roles=("trainer",), name="Omar Co-Trainer")
    source = plan(
        course,
        trainer,
        trainers=[trainer, co],
        partners=[partner],
        capacity=12,
        enrolment_deadline=date(2026, 2, 20),
    )
    modules = source.course_version.modules
    services.set_agenda(
        source,
        [
            AgendaRow(date(2026, 3, 2), modules[0].id, None),
            AgendaRow(date(2026, 3, 4), modules[1].id, None),
        ],
    )
    factories.make_enrolment(source)
    db.session.commit()
    login(trainer)
    assert "Duplicate" in client.get(f"/training-sessions/{source.id}").get_data(as_text=True)
    response = client.post(
        f"/training-sessions/{source.id}/duplicate", data={"start_date": "2026-09-07"}
    )
    assert response.status_code == 302
    copy = db.session.scalar(select(TrainingSession).where(TrainingSession.id != source.id))
    assert response.headers["Location"].endswith(f"/training-sessions/{copy.id}")
    assert (copy.start_date, copy.end_date) == (date(2026, 9, 7), date(2026, 9, 9))
    assert copy.status == "draft" and copy.code != source.code
    assert [t.name for t in copy.trainers] == ["Omar Co-Trainer", "Tess Trainer"]
    assert copy.partners == [partner] and copy.capacity == 12 and copy.city == source.city
    assert copy.enrolment_deadline == date(2026, 8, 28)
    assert [(i.day, i.course_module_id) for i in copy.agenda_items] == [
        (date(2026, 9, 7), modules[0].id),
        (date(2026, 9, 9), modules[1].id),
    ]
    page = client.get(f"/training-sessions/{copy.id}/enrolments").get_data(as_text=True)
    assert "Nobody enrolled yet." in page


def test_a_duplicate_needs_a_first_day(client, login, trainer, course):
    source = plan(course, trainer)
    db.session.commit()
    login(trainer)
    page = client.post(f"/training-sessions/{source.id}/duplicate", data={"start_date": ""})
    assert page.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(TrainingSession)) == 1
