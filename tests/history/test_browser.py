"""A programme manager loads past trainings through the page; screenshots on desktop and phone."""

import pytest

from app.extensions import db
from tests import factories
from tests.history.helpers import counts, course, csv_bytes, row

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def app_overrides(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


def _files(tmp_path):
    good = [
        row(),
        row(name="ليلى حداد", email="layla@psd.example", country="Jordan", agency_type="police",
            organisation="Public Security Directorate"),
        row(name="Ольга Петрова", email="", country="UKR", agency_type="prosecution",
            organisation="Office of the Prosecutor General", completed="no"),
        row(session_code="CYB-2021-TH-03", host_country="Thailand", city="Bangkok",
            start_date="2021-11-15", end_date="2021-11-19", name="สมชาย ใจดี", email="",
            country="TH", organisation="Royal Thai Police"),
    ]  # fmt: skip
    bad = [
        *good[:2],
        row(name="Nguyễn Văn An", email="an@mps", country="Viet Nam", agency_type="polise"),
        row(name="", start_date="2019-03-32", completed="maybe"),
        row(course="no-such-course", session_code="X-1", host_country="Atlantis"),
    ]
    good_path = tmp_path / "past-trainings.csv"
    good_path.write_bytes(csv_bytes(good))
    bad_path = tmp_path / "past-trainings-with-errors.csv"
    bad_path.write_bytes(csv_bytes(bad))
    return good_path, bad_path


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_manager_imports_past_trainings(app, live_server, page, output_dir, tmp_path, size):
    course()
    factories.make_user(roles=("manager",), email="manager@example.org", name="Programme Manager")
    db.session.commit()
    good, bad = _files(tmp_path)
    page.set_viewport_size(SIZES[size])
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "manager@example.org")
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form.stack [type=submit]").click()
    page.wait_for_url(f"{live_server}/")

    page.goto(f"{live_server}/history/import")
    page.screenshot(path=output_dir / f"history-upload-{size}.png", full_page=True)
    page.set_input_files("input[type=file]", str(bad))
    page.locator("form.card [type=submit]").click()
    page.wait_for_selector("table.history-errors")
    assert page.locator("table.history-errors tbody tr").count() == 7
    page.screenshot(path=output_dir / f"history-preview-errors-{size}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    # Upload the corrected file from the same page.
    page.set_input_files("input[type=file]", str(good))
    page.locator("form.card [type=submit]").click()
    page.wait_for_selector("form.history-confirm")
    page.screenshot(path=output_dir / f"history-preview-valid-{size}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.locator("form.history-confirm").get_by_role("button", name="Import").click()
    page.wait_for_selector(".flash-success")
    assert "Sessions: 2 created" in page.inner_text(".flash-success")
    page.screenshot(path=output_dir / f"history-imported-{size}.png", full_page=True)
    db.session.expire_all()
    assert counts() == (2, 4, 4)
