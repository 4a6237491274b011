"""What the browser tests share: a phone's screen and signing in through the login page."""

from playwright.sync_api import Page

from tests import factories

PHONE = {"width": 390, "height": 844}


def sign_in(page: Page, live_server: str, email: str) -> None:
    """Sign in as a person does: the login page, the demo password, its own submit button."""
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("main form [type=submit]").last.click()
    page.wait_for_load_state()
