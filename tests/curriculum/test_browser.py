"""Screenshots of the catalogue on a desktop and a phone, for a person to look at."""

import pytest

from app.curriculum.sync import sync_courses
from app.extensions import db
from tests import factories
from tests.curriculum.helpers import COURSES_DIR

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def signed_in_page(app, live_server, page):
    sync_courses(COURSES_DIR)
    user = factories.make_user(roles=("trainer",), email="trainer@example.org", name="Amal Haddad")
    db.session.commit()
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form.stack [type=submit]").click()
    page.wait_for_url(f"{live_server}/")
    return page


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_catalogue_screenshots(signed_in_page, live_server, output_dir, size):
    page = signed_in_page
    page.set_viewport_size(SIZES[size])
    page.goto(f"{live_server}/courses")
    assert page.locator(".course-card").count() >= 4
    page.screenshot(path=str(output_dir / f"curriculum_list_{size}.png"), full_page=True)

    page.click("text=Investigating Computer-Facilitated Crimes Against Children")
    page.wait_for_url(f"{live_server}/courses/cfcac")
    assert page.locator(".course-module").count() == 12
    # Nothing may stick out sideways on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=str(output_dir / f"curriculum_detail_{size}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_arabic_course_page_screenshots(signed_in_page, live_server, output_dir, size):
    page = signed_in_page
    page.context.add_cookies([{"name": "language", "value": "ar", "url": live_server}])
    page.set_viewport_size(SIZES[size])
    page.goto(f"{live_server}/courses/cfcac")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert (
        page.locator("h1").inner_text() == "التحقيق في الجرائم المرتكبة ضد الأطفال بواسطة الحاسوب"
    )
    assert page.locator(".course-module h3").first.inner_text() == (
        "الاستجابة العالمية للجرائم المرتكبة ضد الأطفال بواسطة الحاسوب"
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=str(output_dir / f"curriculum_detail_ar_{size}.png"), full_page=True)
