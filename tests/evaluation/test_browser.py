"""A participant answers the reaction survey and the post-test on a phone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from app.evaluation.instruments import instruments
from app.extensions import db
from tests import factories
from tests.browser import PHONE, sign_in
from tests.evaluation.helpers import evaluated_programme


@pytest.fixture
def scene(app, live_server):
    course = factories.make_course(slug="cfcac", code="CFCAC", title="Investigating CFCAC")
    training_session = factories.make_training_session(
        course=course, start=date.today() - timedelta(days=4), days=5, status="in_progress"
    )
    user = factories.make_user(roles=("participant",), name="Amina Participant")
    participant = factories.make_participant("Amina Participant", email=user.email, user=user)
    factories.make_enrolment(training_session, participant)
    db.session.commit()
    return live_server, user, training_session


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"


@pytest.mark.browser
def test_participant_answers_the_survey_and_post_test_on_a_phone(page: Page, scene, output_dir):
    live_server, user, training_session = scene
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, user.email)

    page.goto(f"{live_server}/evaluation/sessions/{training_session.id}/surveys/reaction")
    expect(page.get_by_text("Your answers are anonymous")).to_be_visible()
    for question in ("overall", "relevance", "objectives-clear", "trainers", "exercises", "apply"):
        page.locator(f"input[name='q_{question}'][value='4']").check()
    page.locator("input[name='q_pace'][value='1']").check()
    page.locator("input[name='q_most-useful'][value='1']").check()
    page.fill("textarea[name='q_improve']", "More time on the victim identification exercise.")
    _no_sideways_scroll(page)
    page.screenshot(path=str(output_dir / "evaluation-survey-phone.png"), full_page=True)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("saved without your name").first).to_be_visible()
    page.screenshot(path=str(output_dir / "evaluation-survey-phone-done.png"))

    test = instruments()["cfcac-knowledge"]
    page.goto(f"{live_server}/evaluation/sessions/{training_session.id}/tests/post")
    for item in test.form_items("B"):
        page.locator(f"input[name='i_{item.id}'][value='{item.answer}']").check()
    _no_sideways_scroll(page)
    page.screenshot(path=str(output_dir / "evaluation-post-test-phone.png"), full_page=True)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("13 of 13 right")).to_be_visible()


@pytest.mark.browser
def test_the_reach_dashboard_shows_the_evaluation_on_a_desktop_and_a_phone(
    page: Page, app, live_server, monkeypatch, output_dir
):
    manager, _ = evaluated_programme(monkeypatch)
    sign_in(page, live_server, manager.email)
    page.goto(f"{live_server}/reach")
    section = page.locator("#evaluation")
    expect(section.locator('[data-evaluation="normalised_gain"]')).to_have_text("0.80")
    expect(section.locator('[data-evaluation="follow_up_3m"]')).to_have_text("50%")
    section.screenshot(path=str(output_dir / "reach-evaluation-desktop.png"))
    page.set_viewport_size(PHONE)
    page.reload()
    _no_sideways_scroll(page)
    expect(section.locator('[data-evaluation="satisfaction"]')).to_be_visible()
    section.screenshot(path=str(output_dir / "reach-evaluation-phone.png"))
