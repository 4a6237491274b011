import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from tests import factories
from tests.attendance.helpers import make_session
from tests.browser import PHONE, sign_in


@pytest.fixture
def phone_scene(app, live_server, trainer):
    # Yesterday and today: the roll opens on today (day 2), and the last day has come, so the
    # session can be completed; no day of it is still to come.
    ts, enrolments = make_session(30, days=2, trainer=trainer, code="CSE-2026-KE-30")
    db.session.commit()
    return live_server, ts, enrolments


@pytest.mark.browser
def test_trainer_takes_the_roll_on_a_phone_and_completes(
    page: Page, phone_scene, trainer, output_dir
):
    live_server, ts, enrolments = phone_scene
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/training-sessions/{ts.id}/attendance")
    expect(page.locator(".day-switcher a[aria-current=page]")).to_contain_text("Day 2")
    page.screenshot(path=output_dir / "attendance-roll-call-phone.png")

    # Taps go through fetch: the page is not reloaded (the marker survives), counts follow.
    page.evaluate("window.__noReload = true")
    rows = page.locator(".roll-row")
    expect(rows).to_have_count(30)
    first, second = rows.nth(0), rows.nth(1)
    first.get_by_role("button", name="Late").click()
    expect(first.get_by_role("button", name="Late")).to_have_attribute("aria-pressed", "true")
    second.get_by_role("button", name="Absent").click()
    expect(second.get_by_role("button", name="Absent")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-count=late]")).to_have_text("1")
    expect(page.locator("[data-count=unmarked]")).to_have_text("28")
    assert page.evaluate("window.__noReload") is True
    box = first.get_by_role("button", name="Present").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44

    page.get_by_role("button", name=re.compile("Mark everyone present")).click()
    expect(page.locator(".flashes .flash-success")).to_contain_text("28 people marked present")
    expect(page.locator("[data-count=present]")).to_have_text("28")
    expect(page.locator("[data-count=late]")).to_have_text("1")
    expect(page.locator("[data-count=unmarked]")).to_have_text("0")
    page.screenshot(path=output_dir / "attendance-roll-call-phone-marked.png", full_page=True)
    # Far down the list, the day switcher and counts stay in view (sticky).
    rows.nth(25).scroll_into_view_if_needed()
    assert page.locator(".day-switcher").bounding_box()["y"] < 80
    page.screenshot(path=output_dir / "attendance-roll-call-phone-scrolled.png")

    # The other day through the sticky day switcher: everyone present there.
    for index in (0,):
        page.locator(".day-switcher a").nth(index).click()
        page.get_by_role("button", name=re.compile("Mark everyone present")).click()
        expect(page.locator("[data-count=present]")).to_have_text("30")

    page.goto(f"{live_server}/training-sessions/{ts.id}/attendance/summary")
    page.screenshot(path=output_dir / "attendance-summary-phone.png", full_page=True)
    page.get_by_role("heading", name="By day").scroll_into_view_if_needed()
    page.screenshot(path=output_dir / "attendance-summary-phone-tables.png")

    page.goto(f"{live_server}/training-sessions/{ts.id}/completion")
    expect(page.locator("main")).to_contain_text("29 of 30 participants complete by the rule")
    page.get_by_role("button", name="Complete the session").click()
    expect(page.locator(".flashes .flash-success")).to_contain_text("Session completed: 29 of 30")
    page.screenshot(path=output_dir / "attendance-completed-phone.png", full_page=True)

    # The trainer overrides the one decision against the rule, with a reason.
    not_completed = page.locator("tr", has=page.locator(".badge-not-completed"))
    not_completed.get_by_role("link", name="Override").click()
    page.get_by_label("Completed", exact=True).check()
    page.get_by_label("Reason").fill("Attended the make-up session on day 2 afternoon.")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".flashes .flash-success")).to_contain_text("reason kept")
    expect(page.locator("main")).to_contain_text("Overridden by Roll Trainer")
    db.session.expire_all()
    assert ts.status == "completed"
    # The one marked absent on day 2 attended 1 of 2 days, under the 80% rule.
    assert all(e.completed for e in enrolments)
    assert sum(1 for e in enrolments if e.completion_override_reason) == 1


@pytest.mark.browser
def test_roll_call_works_without_javascript(browser, phone_scene, trainer, output_dir):
    live_server, ts, enrolments = phone_scene
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, live_server, trainer.email)
        day = ts.start_date.isoformat()
        page.goto(f"{live_server}/training-sessions/{ts.id}/attendance/{day}")
        target = page.locator(f"#e{enrolments[20].id}")
        target.get_by_role("button", name="Excused").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"#e{enrolments[20].id}")
        expect(page.locator(f"#e{enrolments[20].id}")).to_have_class(re.compile("is-excused"))
        expect(page.locator("[data-count=excused]")).to_have_text("1")
    finally:
        context.close()


@pytest.mark.browser
def test_session_page_panel_and_desktop_roll_call(
    page: Page, phone_scene, trainer, output_dir, app
):
    live_server, ts, enrolments = phone_scene
    for index, enrolment in enumerate(enrolments):
        factories.make_attendance(
            enrolment, ts.start_date, "absent" if index % 7 == 0 else "present"
        )
        if index % 5:
            factories.make_attendance(
                enrolment, ts.days[1], "late" if index % 3 == 0 else "present"
            )
    db.session.commit()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, trainer.email)
    if "scheduling.training_session_detail" in app.view_functions:
        page.goto(f"{live_server}/training-sessions/{ts.id}")
        panel = page.locator("#attendance")
        expect(panel).to_contain_text("By country of service")
        panel.screenshot(path=output_dir / "attendance-panel-desktop.png")
    page.goto(f"{live_server}/training-sessions/{ts.id}/attendance/summary")
    page.screenshot(path=output_dir / "attendance-summary-desktop.png", full_page=True)
    page.goto(f"{live_server}/training-sessions/{ts.id}/attendance/{ts.start_date.isoformat()}")
    page.screenshot(path=output_dir / "attendance-roll-call-desktop.png")

    # A paper roll with mistakes: every error names its row and column; nothing is recorded.
    first = enrolments[0]
    last_day = ts.days[-1].isoformat()
    csv_text = (
        "session_code,participant_id,email,name,day,status\n"
        f"{ts.code},{first.participant_id},,,{last_day},present\n"
        f"{ts.code},999999,,,{last_day},present\n"
        f"{ts.code},{first.participant_id},,,2001-01-01,late\n"
        f"{ts.code},,,Grace Wanjiru,{last_day},asleep\n"
    )
    page.goto(f"{live_server}/training-sessions/{ts.id}/attendance/upload")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "roll.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}],
    )
    page.get_by_role("button", name="Check the file").click()
    errors = page.locator("#errors tbody tr")
    expect(errors).to_have_count(3)
    expect(errors.nth(0)).to_contain_text("participant_id")
    page.screenshot(path=output_dir / "attendance-upload-errors-desktop.png", full_page=True)
    fixed = csv_text.splitlines()
    fixed = [fixed[0], fixed[1], fixed[4].replace("asleep", "late")]
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "roll.csv", "mimeType": "text/csv", "buffer": "\n".join(fixed).encode()}],
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#preview")).to_contain_text("New records")
    page.screenshot(path=output_dir / "attendance-upload-preview-desktop.png", full_page=True)
    page.get_by_role("button", name="Record this attendance").click()
    # The first has no mark on the last day yet; Grace was marked present there above.
    expect(page.locator(".flashes .flash-success")).to_contain_text("1 new, 1 changed")


@pytest.mark.browser
def test_mark_everyone_waits_for_the_taps_still_on_their_way(page: Page, phone_scene, trainer):
    """A quick "Mark everyone present" after a tap must not overrule the tap (a slow network)."""
    live_server, ts, enrolments = phone_scene
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, trainer.email)

    def slow(route):
        page.wait_for_timeout(1500)
        route.continue_()

    page.route("**/attendance/marks", slow)
    page.goto(f"{live_server}/training-sessions/{ts.id}/attendance")
    second = page.locator(".roll-row").nth(1)
    second.get_by_role("button", name="Absent").click()
    page.get_by_role("button", name=re.compile("Mark everyone present")).click()
    expect(page.locator(".flashes .flash-success")).to_contain_text("29 people marked present")
    expect(page.locator("[data-count=absent]")).to_have_text("1")


@pytest.mark.browser
def test_the_roll_call_finds_names_as_typed_and_shows_who_is_not_marked(
    page: Page, app, live_server, trainer, output_dir
):
    ts, enrolments = make_session(10, trainer=trainer)
    factories.make_attendance(enrolments[2], date.today())  # Grace Wanjiru, present
    db.session.commit()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/training-sessions/{ts.id}/attendance")
    rows = page.locator(".roll-row:visible")
    expect(rows).to_have_count(10)
    search = page.get_by_placeholder("Find a name")
    search.fill("JOSE per")  # José Pérez, without accents, words out of order
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("José Pérez")
    search.fill("امينه")  # أمينة typed with a bare alef and heh for teh marbuta
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("أمينة يوسف")
    search.fill("nour el")  # the Latin name of نور الهدى
    expect(rows).to_have_count(1)
    page.screenshot(path=output_dir / "attendance-roll-call-search-phone.png")
    search.fill("")
    page.get_by_label("Not marked yet").check()
    expect(rows).to_have_count(9)
    expect(page.locator(".roll-row", has_text="Grace Wanjiru")).to_be_hidden()
    search.fill("zzz")
    expect(page.get_by_text("No name matches.")).to_be_visible()
    page.screenshot(path=output_dir / "attendance-roll-call-unmarked-phone.png")
