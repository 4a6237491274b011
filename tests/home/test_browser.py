from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from tests import factories
from tests.browser import PHONE, sign_in


@pytest.mark.browser
def test_trainer_home_reaches_todays_roll_call_in_two_taps(
    page: Page, app, live_server, output_dir
):
    trainer = factories.make_user(roles=("trainer",), name="Phone Trainer")
    for offset in (3, 5):  # sessions later in the week come after today's
        factories.make_training_session(
            start=date.today() + timedelta(days=offset), trainers=[trainer]
        )
    today = factories.make_training_session(
        start=date.today() - timedelta(days=1),
        status="in_progress",
        trainers=[trainer],
        code="TODAY-2026-KE-01",
    )
    for _ in range(4):
        factories.make_enrolment(today)
    db.session.commit()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, trainer.email)  # lands on the home page
    expect(page.locator("h2", has_text="Today and this week")).to_be_visible()
    page.screenshot(path=output_dir / "home-trainer-phone.png")
    button = page.get_by_role("link", name="Take today's roll call")
    expect(button).to_have_count(1)
    assert button.bounding_box()["y"] + button.bounding_box()["height"] <= PHONE["height"]
    button.click()  # the first tap; the second marks a person
    expect(page.locator(".roll-row")).to_have_count(4)
    expect(page.locator(".day-switcher a[aria-current=page]")).to_contain_text("Day 2")
    page.locator(".roll-row").first.get_by_role("button", name="Present").click()
    expect(page.locator("[data-count=present]")).to_have_text("1")
    page.screenshot(path=output_dir / "home-trainer-roll-call-phone.png")


@pytest.mark.browser
def test_participant_reads_their_session_on_a_phone(page: Page, app, live_server, output_dir):
    user = factories.make_user(roles=("participant",), name="Asha Participant")
    person = factories.make_participant("Asha Participant", user=user, email=user.email)
    trainer = factories.make_user(roles=("trainer",), name="Maria Trainer")
    ts = factories.make_training_session(
        start=date.today() + timedelta(days=7), trainers=[trainer], venue="Police Academy"
    )
    factories.make_enrolment(ts, person)
    factories.make_enrolment(ts, factories.make_participant("Hidden Colleague"))
    other = factories.make_training_session(start=date.today() + timedelta(days=9))
    db.session.commit()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, user.email)
    page.get_by_role("link", name=ts.course.title).click()
    expect(page.locator("main")).to_contain_text("Police Academy")
    expect(page.locator("main")).to_contain_text("Maria Trainer")
    expect(page.locator("main")).not_to_contain_text("Hidden Colleague")
    page.screenshot(path=output_dir / "home-participant-session-phone.png", full_page=True)
    response = page.goto(f"{live_server}/training-sessions/{other.id}")
    assert response.status == 403
    page.screenshot(path=output_dir / "home-participant-other-session-403-phone.png")


@pytest.mark.browser
def test_a_calendar_subscription_returns_the_events_without_a_login(
    page: Page, app, live_server, output_dir, browser
):
    user = factories.make_user(roles=("participant",), name="Asha Participant")
    person = factories.make_participant(user=user, email=user.email)
    ts = factories.make_training_session(
        start=date.today() + timedelta(days=7), code="CAL-2026-KE-01"
    )
    factories.make_enrolment(ts, person)
    factories.make_training_session(code="NOTMINE-2026-KE-02")
    db.session.commit()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, user.email)
    page.get_by_role("button", name="Subscribe in my calendar").click()
    url = page.locator("#feed-url").input_value()
    assert url.startswith(live_server + "/calendar/")
    page.screenshot(path=output_dir / "home-calendar-feed-phone.png")
    stranger = browser.new_context()  # no cookies: the calendar app
    response = stranger.request.get(url)
    assert response.status == 200 and "text/calendar" in response.headers["content-type"]
    body = response.text()
    assert "UID:CAL-2026-KE-01@" in body and "NOTMINE" not in body
    stranger.close()
