import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from tests import factories
from tests.browser import PHONE, sign_in

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def scene(app, live_server):
    trainer = factories.make_user(roles=("trainer",), name="Tess Trainer")
    factories.make_user(roles=("trainer",), name="Omar Co-Trainer")
    course = factories.make_course(
        code="CFCAC",
        title="Countering Online Child Exploitation",
        modules=[
            ("foundations", 4, ["all"]),
            ("digital-evidence", 6, ["all"]),
            ("undercover-online", 4, ["common_law"]),
            ("victim-identification", 5, ["all"]),
        ],
    )
    factories.make_partner("Kenya Police Academy")
    db.session.commit()
    return live_server, trainer, course


def _fill_session(page: Page, city: str, start: str, end: str) -> None:
    page.fill(".field.filterable input.select-filter >> nth=0", "Kenya")
    page.select_option("#host_country", "KE")
    page.fill("#city", city)
    page.fill("#venue", "National Police Service College")
    page.fill("#start_date", start)
    page.fill("#end_date", end)
    page.locator("#end_date").dispatch_event("change")
    page.fill("#capacity", "24")
    page.fill("#country_quota", "6")
    page.fill("#enrolment_deadline", "2026-09-01")


@pytest.mark.browser
def test_trainer_schedules_sessions_with_agenda_and_overlap_warning(page: Page, scene, output_dir):
    live_server, trainer, course = scene
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, trainer.email)

    # First session: pick the course, fill the form, the agenda editor follows.
    page.goto(f"{live_server}/training-sessions")
    page.get_by_role("link", name="New session").click()
    page.select_option("#course_id", str(course.id))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Tess Trainer")).to_be_checked()  # the creator is pre-selected
    _fill_session(page, "Nairobi", "2026-09-14", "2026-09-16")
    expect(page.locator("#legal_tradition-hint")).to_contain_text("Common law")
    expect(page.locator("#timezone-hint")).to_contain_text("Africa/Nairobi")
    page.select_option("#legal_tradition", "civil_law")  # the trainer overrides the default
    page.fill("#new_partners", "INTERPOL")
    page.screenshot(path=output_dir / "scheduling-form-desktop.png", full_page=True)
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".flash-success")).to_contain_text("CFCAC-2026-KE-01")
    expect(page.locator("h1")).to_contain_text("Agenda of CFCAC-2026-KE-01")
    rows = page.locator("[data-row]")
    # Four suggested lines (evidence continues on day 2; civil law skips undercover), a blank.
    expect(rows).to_have_count(5)
    # Add the common-law module on the last day anyway: the editor flags it live.
    last = rows.nth(4)
    last.locator("select[name$='-day']").select_option("2026-09-16")
    last.locator("select[name$='-course_module_id']").select_option(label="Undercover Online (4 h)")
    expect(last.locator("[data-flag]")).to_contain_text("the session follows civil law")
    expect(page.locator("#day-totals")).to_contain_text("8 h")
    page.get_by_role("button", name="+ Add a line").click()
    expect(rows).to_have_count(6)
    page.screenshot(path=output_dir / "scheduling-agenda-desktop.png", full_page=True)
    page.get_by_role("button", name="Save agenda").click()

    expect(page.locator(".flash-success")).to_contain_text("Agenda of CFCAC-2026-KE-01 saved")
    agenda = page.locator("section.agenda")
    expect(agenda).to_contain_text("Digital Evidence")
    expect(agenda).to_contain_text("Undercover Online")
    expect(agenda.locator(".tradition-flag")).to_contain_text(
        "This module covers common-law rules; the session follows civil law."
    )
    expect(page.locator("main")).to_contain_text("INTERPOL")
    page.screenshot(path=output_dir / "scheduling-session-desktop.png", full_page=True)
    first_url = page.url

    # Open it for enrolment.
    page.get_by_role("button", name="Open for enrolment").click()
    expect(page.locator(".flash-success")).to_contain_text("Open for enrolment")

    # Second session of the same course in Kenya, two weeks later: warned live and on save.
    page.goto(f"{live_server}/training-sessions/new?course_id={course.id}")
    _fill_session(page, "Mombasa", "2026-09-28", "2026-09-29")
    warning = page.locator("#overlap-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("CFCAC-2026-KE-01")
    expect(warning).to_contain_text("Nairobi")
    page.screenshot(path=output_dir / "scheduling-form-overlap-desktop.png", full_page=True)
    page.locator("#fill_agenda").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-warning")).to_contain_text("CFCAC-2026-KE-01")
    expect(page.locator("#session-overlaps")).to_contain_text("CFCAC-2026-KE-01")
    expect(page.locator("p.session-code")).to_have_text("CFCAC-2026-KE-02")

    # Both are in the list; the filter by city's country finds them.
    page.goto(f"{live_server}/training-sessions")
    page.select_option("#f-country", "KE")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table")).to_contain_text("CFCAC-2026-KE-01")
    expect(page.locator("table")).to_contain_text("CFCAC-2026-KE-02")
    page.screenshot(path=output_dir / "scheduling-list-desktop.png", full_page=True)

    # The same pages on a phone.
    page.set_viewport_size(PHONE)
    page.screenshot(path=output_dir / "scheduling-list-phone.png", full_page=True)
    page.goto(first_url)
    page.screenshot(path=output_dir / "scheduling-session-phone.png", full_page=True)
    page.goto(f"{first_url}/agenda")
    rows = page.locator("[data-row]")
    first_row = rows.nth(0)
    box = first_row.locator("select[name$='-course_module_id']").bounding_box()
    assert box["width"] <= PHONE["width"] and box["height"] >= 40
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    first_row.get_by_role("button", name="Move down").click()
    expect(rows.nth(1).locator("select[name$='-course_module_id']")).to_have_value(
        str(course.current_version.modules[0].id)
    )
    page.screenshot(path=output_dir / "scheduling-agenda-phone.png", full_page=True)
    page.goto(f"{live_server}/training-sessions/new?course_id={course.id}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=output_dir / "scheduling-form-phone.png", full_page=True)


@pytest.mark.browser
def test_on_a_phone_the_session_in_progress_tops_the_list_and_its_actions_the_page(
    page: Page, app, live_server, output_dir
):
    from datetime import date, timedelta

    trainer = factories.make_user(roles=("trainer",), name="Tess Trainer")
    for offset in range(20, 400, 30):  # a year of past sessions
        factories.make_training_session(start=date.today() - timedelta(days=offset))
    now = factories.make_training_session(
        start=date.today() - timedelta(days=1),
        status="in_progress",
        trainers=[trainer],
        code="NOW-2026-KE-99",
    )
    factories.make_enrolment(now)
    db.session.commit()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/training-sessions")
    first = page.locator(".session-table tbody tr").first
    expect(first).to_contain_text("NOW-2026-KE-99")
    page.screenshot(path=output_dir / "scheduling-list-phone.png")
    first.get_by_role("link", name="NOW-2026-KE-99").click()
    roll = page.locator(".session-shortcuts").get_by_role("link", name="Roll call")
    expect(roll).to_be_visible()
    assert roll.bounding_box()["y"] < PHONE["height"]
    page.screenshot(path=output_dir / "scheduling-session-actions-phone.png")


@pytest.mark.browser
def test_the_agenda_editor_works_without_javascript(browser, scene, output_dir):
    live_server, trainer, course = scene
    from app.scheduling import services
    from tests.scheduling.helpers import details

    ts = services.create_training_session(course, details(trainer), trainer)
    db.session.commit()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/training-sessions/{ts.id}/agenda")
    rows = page.locator("[data-row]")
    expect(rows).to_have_count(1)
    rows.nth(0).locator("select[name$='-course_module_id']").select_option(
        label="Foundations (4 h)"
    )
    page.get_by_role("button", name="+ Add a line").click()
    expect(rows).to_have_count(2)
    rows.nth(1).locator("select[name$='-course_module_id']").select_option(
        label="Digital Evidence (6 h)"
    )
    rows.nth(1).locator("select[name$='-day']").select_option(index=1)
    rows.nth(1).get_by_role("button", name="Move up").click()
    expect(rows.nth(0).locator("select[name$='-course_module_id'] option:checked")).to_have_text(
        "Digital Evidence (6 h)"
    )
    page.get_by_role("button", name="+ Add a line").click()
    expect(rows).to_have_count(3)
    rows.nth(2).get_by_role("button", name="Remove").click()
    expect(rows).to_have_count(2)
    page.screenshot(path=output_dir / "scheduling-agenda-no-js-phone.png", full_page=True)
    page.get_by_role("button", name="Save agenda").click()
    expect(page.locator(".flash-success")).to_contain_text("saved")
    db.session.expire_all()
    db.session.refresh(ts)
    assert [item.course_module.slug for item in ts.agenda_items] == [
        "foundations",
        "digital-evidence",
    ]
    context.close()
