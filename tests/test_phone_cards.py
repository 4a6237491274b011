"""Wide tables become labelled cards on a phone (390 px) instead of clipping their columns."""

from __future__ import annotations

import pytest
from babel.dates import format_date
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

REACH_TABLES = {
    f"reach-{table}": ("/reach", f"#table-{table}")
    for table in ("by-country", "by-region", "by-year", "by-agency")
}


def attendance_tables(training_session_id: int) -> dict[str, tuple[str, str]]:
    """Return the attendance pages' wide tables: by day, by country, the grid, completion."""
    summary = f"/training-sessions/{training_session_id}/attendance/summary"
    return {
        "attendance-by-day": (summary, ".att-days"),
        "attendance-by-country": (summary, ".att-table:not(.att-days):not(.att-grid)"),
        "attendance-grid": (summary, ".att-grid"),
        "completion": (f"/training-sessions/{training_session_id}/completion", ".att-table"),
    }


@pytest.mark.browser
def test_wide_tables_are_labelled_cards_on_a_phone(app, live_server, browser: Browser, output_dir):
    scene = completed_session(names=("محمد عبد الله", "ณัฐพล ศรีสุข", "Kwame Mensah"))
    certificates.issue_for_session(scene.training_session, scene.trainer, notify=False)
    ts = scene.training_session
    first = scene.enrolments[0]
    factories.make_attendance(first, ts.days[0], "present")
    factories.make_attendance(first, ts.days[1], "late")
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
        **REACH_TABLES,
        **attendance_tables(ts.id),
    }
    for name, (path, selector) in pages.items():
        page.goto(f"{live_server}{path}")
        shown = page.locator(selector).first.evaluate(FIRST_ROW)
        page.screenshot(path=output_dir / f"cards-{name}-phone.png", full_page=True)
        _assert_cards(name, shown)
    # The people × days grid: each person a card, each day's mark in words under its day.
    page.goto(f"{live_server}/training-sessions/{ts.id}/attendance/summary")
    card = page.locator(".att-grid tbody tr", has_text=first.participant.full_name)
    day_one = f"Day 1 · {format_date(ts.start_date, 'long', locale='en_GB')}"
    assert page.locator(".att-grid").evaluate(FIRST_ROW)["labels"][2] == f'"{day_one}: "'
    assert card.locator("td.grid-status").first.inner_text() == "Present"
    assert card.locator("td.grid-status").nth(1).inner_text() == "Late"
    # In Arabic the cards read from the right, labels first, and still fit the screen.
    page.context.add_cookies([{"name": "language", "value": "ar", "url": live_server}])
    for name in ("users", "reach-by-country", "reach-by-year", "attendance-grid", "completion"):
        path, selector = pages[name]
        page.goto(f"{live_server}{path}")
        shown = page.locator(selector).first.evaluate(FIRST_ROW)
        page.screenshot(path=output_dir / f"cards-{name}-phone-ar.png", full_page=True)
        assert page.locator("html").get_attribute("dir") == "rtl"
        _assert_cards(name, shown)


def _assert_cards(name: str, shown: dict) -> None:
    """Check the table is headless cards whose cells carry their column's label, within 390 px."""
    assert shown["head"] == "none" and shown["row"] == "block", name
    labelled = [label for label in shown["labels"] if label not in ("none", "normal")]
    assert len(labelled) >= 2 and all(label.endswith(': "') for label in labelled), (
        name,
        shown["labels"],
    )
    assert shown["wide"] <= PHONE["width"], (name, shown["wide"])
