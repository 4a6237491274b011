"""The roll call on a phone whose network dies: taps kept on the phone, sent once when back."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.attendance.models import AttendanceMark, AttendanceRecord
from app.extensions import db
from tests.attendance.helpers import make_session
from tests.browser import PHONE, sign_in
from tests.network import Network

KEPT_FOR_OFFLINE = """async () => {
  const cache = await caches.open("roll-call-v1");
  const css = document.querySelector("link[rel=stylesheet]").href;
  return Boolean(await cache.match(location.pathname)) && Boolean(await cache.match(css));
}"""


@pytest.fixture
def network(live_server):
    """The phone reaches the server through a network the test can kill (tests/network.py)."""
    network = Network(live_server)
    yield network
    network.close()


@pytest.fixture
def small_scene(app, network, trainer):
    ts, enrolments = make_session(5, days=3, trainer=trainer, code="CSE-2026-KE-OFF")
    db.session.commit()
    return network.url, ts, enrolments


def _stored(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.browser
def test_taps_made_offline_survive_a_reload_and_reach_the_server_once(
    page: Page, small_scene, network, trainer, output_dir
):
    live_server, ts, enrolments = small_scene
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/training-sessions/{ts.id}/attendance")
    # Opened online once: the worker is installed and has kept the page and its files.
    # Wait for every kept file to be stored (data-kept-offline), not just for the page to be
    # found once: a copy still being written when the network dies is lost.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_selector("[data-roll-list][data-kept-offline]", state="attached")
    assert page.evaluate(KEPT_FOR_OFFLINE)
    url = page.url

    # The network dies: nothing gets through (set_offline alone let a request out under load),
    # and the phone knows it (navigator.onLine false), as a real phone does.
    network.kill()
    page.context.set_offline(True)
    rows = page.locator(".roll-row")
    taps = [(0, "Present"), (1, "Absent"), (3, "Late")]
    for index, label in taps:
        rows.nth(index).get_by_role("button", name=label).click()
    pending = page.locator("[data-pending-text]")
    expect(pending).to_have_text("3 marks not saved yet")
    expect(page.get_by_role("button", name="Send now")).to_be_visible()
    expect(page.locator("[data-count=unmarked]")).to_have_text("2")
    page.screenshot(path=output_dir / "attendance-offline-marked.png")
    assert _stored(AttendanceRecord) == 0

    # Reloaded without a network: the worker answers with the kept page, the taps are still there.
    response = page.reload()
    assert response is not None and response.from_service_worker
    assert page.url == url
    expect(pending).to_have_text("3 marks not saved yet")
    for index, label in taps:
        expect(rows.nth(index).get_by_role("button", name=label)).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(rows.nth(index)).to_have_class(re.compile(r"\bis-pending\b"))
    # Switching day works offline too, and comes back with the three still waiting.
    page.locator(".day-switcher a").nth(0).click()
    expect(page.locator(".day-switcher a[aria-current=page]")).to_contain_text("Day 1")
    expect(pending).to_have_text("3 marks not saved yet")
    page.go_back()
    page.screenshot(path=output_dir / "attendance-offline-reloaded.png")
    assert _stored(AttendanceRecord) == 0

    # Back online: the page sends them by itself, and the server keeps each tap once.
    network.revive()
    page.context.set_offline(False)
    expect(page.locator("[data-roll-pending]")).to_be_hidden()
    expect(page.locator(".roll-row.is-pending")).to_have_count(0)
    page.screenshot(path=output_dir / "attendance-offline-sent.png")
    assert _stored(AttendanceMark) == 3
    db.session.expire_all()
    statuses = {
        record.enrolment_id: (record.day, record.status)
        for record in db.session.scalars(select(AttendanceRecord))
    }
    today = date.fromisoformat(url.rsplit("/", 1)[1])
    assert statuses == {
        int(rows.nth(index).get_attribute("id")[1:]): (today, label.lower())
        for index, label in taps
    }
    # A second send (the button) finds nothing left to send: still three, once each.
    page.locator("[data-send-now]").dispatch_event("click")
    page.reload()
    expect(page.locator("[data-count=present]")).to_have_text("1")
    assert _stored(AttendanceMark) == 3


@pytest.mark.browser
def test_a_tapped_status_stays_bright_on_a_touch_screen(browser, small_scene, trainer, output_dir):
    live_server, ts, enrolments = small_scene
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        sign_in(page, live_server, trainer.email)
        page.goto(f"{live_server}/training-sessions/{ts.id}/attendance")
        absent = page.locator(".roll-row").nth(1).get_by_role("button", name="Absent")
        absent.tap()
        expect(absent).to_have_attribute("aria-pressed", "true")
        # The finger has left, but a touch screen keeps :hover on the tapped button.
        colour = absent.evaluate("button => getComputedStyle(button).backgroundColor")
        assert colour == "rgb(161, 32, 32)"
        page.wait_for_timeout(400)  # let the tap highlight fade, for the screenshot only
        page.screenshot(path=output_dir / "attendance-touch-absent.png")
    finally:
        context.close()
