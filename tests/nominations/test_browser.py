"""The whole path from a call to an enrolment, on a phone, with screenshots under tests/output."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.nominations import queries
from tests import factories
from tests.browser import PHONE, sign_in
from tests.nominations.helpers import focal_point

pytestmark = pytest.mark.browser


def _phone(browser, live_server: str, user):
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server, user.email)
    return page


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _cards_fit(page) -> None:
    """Assert each nominee card lies within its list and shows the name below the priority."""
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.nominee-list > .nominee')].map(card => {
            const list = card.parentElement.getBoundingClientRect();
            const box = card.getBoundingClientRect();
            const name = card.querySelector('.person-name').getBoundingClientRect();
            const priority = card.querySelector('.priority').getBoundingClientRect();
            return {inside: box.left >= list.left && box.right <= list.right
                            && name.right <= box.right && priority.right <= box.right,
                    below: name.top >= priority.bottom};
        })"""
    )
    assert boxes and all(box["inside"] and box["below"] for box in boxes), boxes


def _move(page, name: str, label: str) -> None:
    page.locator("tr", has_text=name).get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()


def test_from_a_call_to_an_enrolment_on_a_phone(app, live_server, browser, output_dir):
    trainer = factories.make_user(roles=("trainer",), name="Amal Haddad")
    session = factories.make_training_session(
        trainers=[trainer], capacity=10, country_quota=2, timezone="Africa/Nairobi"
    )
    kenya = focal_point("KE", name="Grace Njeri")
    officer_account = factories.make_user(roles=("participant",), name="Achieng Otieno")
    factories.make_participant(
        "Achieng Otieno",
        country_code="KE",
        email=officer_account.email,
        user=officer_account,
        gender="female",
    )
    db.session.commit()

    staff = _phone(browser, live_server, trainer)
    staff.goto(f"{live_server}/training-sessions/{session.id}/nominations")
    staff.fill("input[name=deadline]", "2099-01-01T17:00")
    staff.get_by_role("button", name="Save the call").click()
    expect(staff.locator(".flash-success")).to_contain_text("call for nominations is saved")

    focal = _phone(browser, live_server, kenya)
    focal.get_by_role("link", name="Nominations").first.click()
    focal.screenshot(path=output_dir / "nominations-phone-1-my-calls.png", full_page=True)
    focal.locator(".call-line h3 a").first.click()
    focal.get_by_role("link", name="Nominate an officer").click()
    focal.fill("input[name=q]", "achieng")
    focal.get_by_role("button", name="Search").click()
    focal.get_by_role("link", name="Choose").click()
    focal.get_by_label("Yes").check()
    focal.fill("textarea[name=justification]", "Leads the cybercrime unit in Nairobi.")
    focal.screenshot(path=output_dir / "nominations-phone-2-nominate.png", full_page=True)
    focal.get_by_role("button", name="Nominate").click()
    focal.get_by_role("link", name="Someone not in the directory").first.click()
    focal.fill("input[name=full_name]", "Baraka Mwangi")
    focal.fill("input[name=email]", "baraka@example.org")
    focal.get_by_label("Yes").check()
    focal.fill("textarea[name=justification]", "New investigator, trains the unit after.")
    focal.get_by_role("button", name="Add and nominate").click()
    for _ in range(2):
        focal.get_by_role("button", name="Endorse", exact=True).first.click()
        focal.wait_for_load_state()
    expect(focal.locator(".nominee-list .badge-endorsed")).to_have_count(2)
    focal.screenshot(path=output_dir / "nominations-phone-3-endorsed.png", full_page=True)
    _no_sideways_scroll(focal)
    _cards_fit(focal)

    db.session.expire_all()
    call = queries.call_for_session(session)
    staff.goto(f"{live_server}/nominations/calls/{call.id}/review")
    for label in ("Move to review", "Send to vetting"):
        _move(staff, "Achieng Otieno", label)
    row = staff.locator("tr", has_text="Achieng Otieno")
    row.locator("summary", has_text="Record a vetting check").click()
    row.get_by_label("Cleared", exact=True).check()
    row.locator("input[name=external_reference]").fill("Embassy vetting ref 2026/114")
    row.get_by_role("button", name="Record the check").click()
    staff.wait_for_load_state()
    _move(staff, "Achieng Otieno", "Accept")
    expect(staff.locator(".stats").first).to_contain_text("1 / 1")
    staff.screenshot(path=output_dir / "nominations-phone-4-review.png", full_page=True)

    nominee = _phone(browser, live_server, officer_account)
    expect(nominee.locator(".home-offers")).to_contain_text("A place is offered to you")
    nominee.screenshot(path=output_dir / "nominations-phone-5-offer.png", full_page=True)
    nominee.get_by_role("button", name="Confirm my place").click()
    expect(nominee.locator(".flash-success")).to_contain_text("your place is confirmed")

    staff.reload()
    _move(staff, "Achieng Otieno", "Enrol")
    expect(staff.locator("tr", has_text="Achieng Otieno")).to_contain_text("Enrolled")

    focal.reload()
    nominees = focal.locator(".nominee-list")
    expect(nominees.locator(".nominee", has_text="Achieng Otieno")).to_contain_text("Enrolled")
    expect(nominees.locator(".nominee", has_text="Achieng Otieno")).to_contain_text(
        "Vetting: Cleared"
    )
    expect(nominees).not_to_contain_text("2026/114")
    expect(nominees.locator(".nominee", has_text="Baraka Mwangi")).to_contain_text("Endorsed")
    focal.screenshot(path=output_dir / "nominations-phone-6-statuses.png", full_page=True)
    _no_sideways_scroll(focal)
