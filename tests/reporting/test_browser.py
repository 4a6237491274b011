import pytest

from app.extensions import db
from app.reporting.filters import parse_filters
from app.reporting.services import compute_reach
from tests.factories import PASSWORD
from tests.reporting.helpers import add_bulk, build_scene


@pytest.mark.browser
def test_manager_filters_and_downloads(app, live_server, page, output_dir, tmp_path):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("the browser walk runs once, on SQLite")
    scene = build_scene()
    add_bulk(12)
    db.session.commit()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", scene.manager.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.stack [type=submit]").click()
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/reach")
    assert page.locator('[data-figure="participants_trained"]').inner_text() == "27"
    page.screenshot(path=str(output_dir / "reporting-dashboard-desktop.png"), full_page=True)

    page.select_option("#f-region", "002")
    page.click("text=Apply filters")
    page.wait_for_url("**/reach?*region=002*")
    africa = compute_reach(parse_filters({"region": "002"})).totals["participants_trained"]
    assert africa < 27
    assert page.locator('[data-figure="participants_trained"]').inner_text() == str(africa)

    with page.expect_download() as xlsx_info:
        page.click("text=Excel (all tables)")
    xlsx = xlsx_info.value
    assert xlsx.suggested_filename.endswith(".xlsx")
    xlsx_path = tmp_path / xlsx.suggested_filename
    xlsx.save_as(xlsx_path)
    from openpyxl import load_workbook

    info = [row for row in load_workbook(xlsx_path)["About"].iter_rows(values_only=True)]
    assert ("Filter: Region", "Africa (M49 002)") in info

    page.click("text=PDF board report")  # a worker prepares it; its page links to the file
    with page.expect_download() as pdf_info:
        page.click("#download")
    pdf = pdf_info.value
    pdf_path = output_dir / "reporting-report.pdf"
    pdf.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/reach")
    page.screenshot(path=str(output_dir / "reporting-dashboard-phone.png"), full_page=True)
    page.goto(f"{live_server}/reach/countries/KE")
    page.screenshot(path=str(output_dir / "reporting-country-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/reach/targets")
    page.screenshot(path=str(output_dir / "reporting-targets-desktop.png"))
