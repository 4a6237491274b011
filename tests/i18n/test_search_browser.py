"""Searching places in Arabic folds spelling variants as people's names are folded."""

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from tests import factories
from tests.browser import sign_in


@pytest.mark.browser
def test_the_country_filter_finds_an_arabic_name_written_without_its_hamza(
    page: Page, app, live_server, output_dir
):
    trainer = factories.make_user(roles=("trainer",), name="مدرب", language="ar")
    course = factories.make_course(
        code="CFCAC", title="Course", modules=[("foundations", 4, ["all"])]
    )
    db.session.commit()
    sign_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/training-sessions/new?course_id={course.id}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    box = page.locator(".field.filterable input.select-filter >> nth=0")
    expect(box).to_have_attribute("placeholder", "اكتب لتصفية القائمة")
    box.fill("الامارات")  # typed with a bare alef: the list says الإمارات
    expect(page.locator("#host_country")).to_have_value("AE")
    box.fill("غينيا-بيساو")  # a hyphen where the list writes a space
    # The chosen country stays in the list; the typed one is the only other.
    expect(page.locator("#host_country option")).to_have_text(
        ["الإمارات العربية المتحدة", "غينيا بيساو"]
    )
    page.screenshot(path=output_dir / "i18n-ar-country-filter.png")
