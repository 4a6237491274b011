"""Arabic pages mirror: chosen in the header switch, they read right to left, desktop and phone."""

import pytest
from playwright.sync_api import Browser, Page, expect

from app.extensions import db
from tests import factories
from tests.attendance.helpers import make_session
from tests.browser import PHONE, sign_in

DESKTOP = {"width": 1280, "height": 900}


def _choose_arabic(page: Page) -> None:
    page.locator(".language-switch > summary").click()
    page.get_by_role("button", name="العربية").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")


def _header_fits(page: Page) -> None:
    """Fail if the header is wider than the screen (a phone would scroll sideways)."""
    widths = page.evaluate(
        "[document.querySelector('.site-header').scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths


@pytest.mark.browser
def test_arabic_mirrors_the_login_page_and_signed_in_pages(
    app, live_server, browser: Browser, output_dir
):
    admin = factories.make_user(roles=("admin",), name="مريم الحسن")
    training_session, _ = make_session(6, days=2, trainer=admin, code="CSE-2026-JO-01")
    db.session.commit()

    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = browser.new_context(viewport=viewport).new_page()
        page.goto(f"{live_server}/login")
        expect(page.locator("html")).to_have_attribute("dir", "ltr")
        _choose_arabic(page)
        _header_fits(page)
        expect(page.locator(".public-nav a")).to_be_visible()  # no menu button folds it away
        # The mirrored page starts at the right: the brand sits right of the switch.
        brand = page.locator(".brand").bounding_box()
        switch = page.locator(".language-switch").bounding_box()
        assert brand["x"] > switch["x"]
        page.screenshot(path=output_dir / f"i18n-login-ar-{label}.png", full_page=True)
        page.locator(".language-switch > summary").click()
        page.screenshot(path=output_dir / f"i18n-login-ar-{label}-switch-open.png")
        page.locator(".language-switch > summary").click()

        sign_in(page, live_server, admin.email)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        _header_fits(page)
        for name, path in (
            ("roll-call", f"/training-sessions/{training_session.id}/attendance"),
            ("agenda", f"/training-sessions/{training_session.id}/agenda"),
            ("reach", "/reach"),
        ):
            page.goto(f"{live_server}{path}")
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            page.screenshot(path=output_dir / f"i18n-{name}-ar-{label}.png", full_page=True)
        page.context.close()
