"""The review page on a phone: countries and nominees as cards, silent countries on one line."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.extensions import db
from app.nominations import services
from tests import factories
from tests.browser import PHONE, sign_in
from tests.nominations.helpers import focal_point, nominated, scene

pytestmark = pytest.mark.browser


def test_the_review_page_reads_on_a_phone(app, live_server, browser, output_dir):
    s = scene()
    services.update_call(
        s.call,
        s.trainer,
        deadline_local=datetime(2099, 1, 1, 17),
        countries=services.default_invited_countries(s.training_session),
    )
    rwanda = focal_point("RW", name="Rwanda Focal")
    nominated(s, "KE", full_name="Wanjiru Kamau", organisation="Kenya Police Service")
    nominated(s, "UG", full_name="Nakato Okello", organisation="Uganda Police Force")
    services.nominate(
        s.call, factories.make_participant("Jean Habimana", country_code="RW"), rwanda
    )
    db.session.commit()
    silent = len(s.call.country_codes) - 3

    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server, s.trainer.email)
    page.goto(f"{live_server}/nominations/calls/{s.call.id}/review")
    page.screenshot(path=output_dir / "nominations-review-phone.png", full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    countries = page.locator("table.tallies tbody tr")
    assert countries.count() == 3  # only the countries that nominated get a card
    assert page.get_by_text(f"{silent} invited countries have not nominated yet").is_visible()
    card = page.locator("table.nominees tbody tr", has_text="Wanjiru Kamau")
    assert card.locator("td[data-label=Status]").is_visible()
    assert page.locator("table.nominees thead").is_hidden()  # labels sit on each card instead
