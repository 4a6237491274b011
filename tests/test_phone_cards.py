"""Wide tables become labelled cards on a phone (390 px) instead of clipping their columns."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from app.certificates import services as certificates
from app.enrolment import services as enrolment
from app.extensions import db
from tests import factories
from tests.browser import PHONE, sign_in
from tests.certificates.helpers import completed_session

# What each cell of the first row shows before its text: its column's label, or nothing.
FIRST_ROW = """table => {
  const cells = [...table.querySelector("tbody tr").cells];
  return {
    head: getComputedStyle(table.querySelector("thead")).display,
    row: getComputedStyle(table.querySelector("tbody tr")).display,
    labels: cells.map(cell => getComputedStyle(cell, "::before").content),
    wide: document.documentElement.scrollWidth,
  };
}"""


@pytest.mark.browser
def test_wide_tables_are_labelled_cards_on_a_phone(app, live_server, browser: Browser, output_dir):
    scene = completed_session(names=("محمد عبد الله", "ณัฐพล ศรีสุข", "Kwame Mensah"))
    certificates.issue_for_session(scene.training_session, scene.trainer, notify=False)
    ts = scene.training_session
    open_session = factories.make_training_session(trainers=[scene.trainer], status="open")
    for name in ("Grace Achieng", "Ana Núñez"):
        person = factories.make_participant(name, country_code="KE")
        enrolment.request_place(person, open_session, scene.trainer)
    admin = factories.make_user(roles=("admin",), name="Amal Haddad")
    db.session.commit()
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server, admin.email)
    pages = {
        "enrolments": (f"/training-sessions/{open_session.id}/enrolments", ".enrolment-table"),
        "sessions": ("/training-sessions", ".session-table"),
        "users": ("/admin/users", ".user-table"),
        "audit": ("/admin/audit", ".audit-table"),
        "certificates": (f"/training-sessions/{ts.id}/certificates", ".certificates-table"),
    }
    for name, (path, selector) in pages.items():
        page.goto(f"{live_server}{path}")
        shown = page.locator(selector).first.evaluate(FIRST_ROW)
        page.screenshot(path=output_dir / f"cards-{name}-phone.png", full_page=True)
        assert shown["head"] == "none" and shown["row"] == "block", name
        labelled = [label for label in shown["labels"] if label not in ("none", "normal")]
        assert len(labelled) >= 2 and all(label.endswith(': "') for label in labelled), (
            name,
            shown["labels"],
        )
        assert shown["wide"] <= PHONE["width"], (name, shown["wide"])
    # In Arabic the cards read from the right, labels first, and still fit the screen.
    page.context.add_cookies([{"name": "language", "value": "ar", "url": live_server}])
    page.goto(f"{live_server}/admin/users")
    shown = page.locator(".user-table").evaluate(FIRST_ROW)
    page.screenshot(path=output_dir / "cards-users-phone-ar.png", full_page=True)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert shown["head"] == "none" and shown["wide"] <= PHONE["width"]
