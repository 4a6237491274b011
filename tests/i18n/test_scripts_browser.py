"""The roll call's own messages speak the trainer's language, offline too."""

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from tests import factories
from tests.attendance.helpers import make_session
from tests.browser import PHONE, sign_in

KEPT_FOR_OFFLINE = """async () => {
  const cache = await caches.open("roll-call-v1");
  return Boolean(await cache.match(location.pathname));
}"""


@pytest.mark.browser
def test_the_offline_roll_call_counts_waiting_marks_in_french(
    page: Page, app, live_server, output_dir
):
    trainer = factories.make_user(roles=("trainer",), name="Formatrice", language="fr")
    ts, _enrolments = make_session(4, days=2, trainer=trainer, code="CSE-2026-SN-FR")
    db.session.commit()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/training-sessions/{ts.id}/attendance")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(KEPT_FOR_OFFLINE)

    page.context.set_offline(True)
    rows = page.locator(".roll-row")
    for index in range(3):
        rows.nth(index).locator("button[value=present]").click()
    pending = page.locator("[data-pending-text]")
    expect(pending).to_have_text("3 marques pas encore enregistrées")
    rows.nth(3).locator("button[value=absent]").click()
    expect(pending).to_have_text("4 marques pas encore enregistrées")
    # Reloaded from the service worker's copy, the page still speaks French.
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(pending).to_have_text("4 marques pas encore enregistrées")
    page.screenshot(path=output_dir / "i18n-fr-roll-call-offline.png")
    page.context.set_offline(False)
