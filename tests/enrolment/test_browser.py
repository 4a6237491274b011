"""Screenshots of the enrolment pages with Arabic and Thai names, on a desktop and a phone."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.enrolment import services
from app.extensions import db
from app.shared.models import utcnow
from tests import factories
from tests.browser import sign_in
from tests.enrolment.helpers import participant_with_account

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
BAD_LIST = (
    "name,latin_name,email,country,organisation,agency_type,job_title\n"
    "ณัฐพล ศรีสุข,Nattaphon Srisuk,nattaphon@example.org,THA,Royal Thai Police,police,Major\n"
    "ليلى حداد,Layla Haddad,layla@example,Jordan,Public Security Directorate,police,Captain\n"
    "Nguyễn Văn An,,an@example.org,Viet Nam,Ministry of Public Security,polise,Inspector\n"
    "Maria Santos,,maria@example.org,PHL,Department of Justice,prosecution,Prosecutor\n"
)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.fixture
def scene_data(app):
    trainer = factories.make_user(
        roles=("trainer",), email="trainer@example.org", name="Amal Haddad"
    )
    course = factories.make_course(
        slug="ocse-investigations", title="Investigating Online Child Sexual Exploitation"
    )
    training_session = factories.make_training_session(
        course=course,
        host_country="TH",
        city="Bangkok",
        capacity=4,
        country_quota=2,
        trainers=[trainer],
        code="OCSE-2026-TH-01",
    )
    people = [
        factories.make_participant(
            "สมชาย ใจดี",
            latin_name="Somchai Jaidee",
            country_code="TH",
            organisation="Royal Thai Police",
            job_title="Police Major",
        ),
        factories.make_participant(
            "محمد عبد الله",
            latin_name="Mohamed Abdallah",
            country_code="EG",
            organisation="النيابة العامة",
            agency_type="prosecution",
        ),
        factories.make_participant(
            "สุนีย์ แก้วมณี",
            latin_name="Sunee Kaewmanee",
            country_code="TH",
            organisation="Department of Special Investigation",
        ),
        factories.make_participant(
            "Grace Wanjiru",
            country_code="KE",
            organisation="ODPP Kenya",
            agency_type="prosecution",
            email="grace@example.org",
        ),
        factories.make_participant(
            "วิชัย สมบูรณ์",
            latin_name="Wichai Somboon",
            country_code="TH",
            organisation="Thailand Internet Crimes Against Children Task Force",
        ),
        factories.make_participant(
            "Фатима Алиева",
            latin_name="Fatima Alieva",
            country_code="KZ",
            organisation="Ministry of Internal Affairs",
            agency_type="police",
        ),
    ]
    for person in people:
        services.add_directly(person, training_session, trainer)
    owner = participant_with_account(
        "نور الهدى",
        country_code="JO",
        latin_name="Nour Al-Huda",
        organisation="Family Protection Department",
    )
    services.request_place(owner, training_session, owner.user)
    past = factories.make_training_session(
        course=factories.make_course(
            slug="digital-evidence", title="Digital Evidence for Prosecutors"
        ),
        host_country="JO",
        city="Amman",
        status="completed",
        start=utcnow().date() - timedelta(days=90),
        code="DE-2026-JO-01",
    )
    factories.make_enrolment(past, owner, completed=True, completion_rate=0.92)
    soon = factories.make_training_session(
        course=factories.make_course(slug="victim-id", title="Victim Identification"),
        host_country="KE",
        city="Nairobi",
        status="open",
        code="VID-2026-KE-02",
    )
    factories.make_enrolment(
        soon,
        owner,
        status="waitlisted",
        status_reason="Quota of 2 participants from Jordan reached",
        waitlisted_at=utcnow(),
    )
    db.session.commit()
    return trainer, training_session, owner


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_enrolment_screenshots(app, live_server, page, output_dir, scene_data, size, tmp_path):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("screenshots once, on SQLite")
    trainer, training_session, owner = scene_data
    page.set_viewport_size(SIZES[size])
    sign_in(page, live_server, trainer.email)

    page.goto(f"{live_server}/participants")
    assert page.locator("a.person-name").count() == 7
    page.screenshot(path=str(output_dir / f"enrolment_participants_{size}.png"), full_page=True)
    _no_sideways_scroll(page)

    # Adding someone into the session who is already there under another word order warns.
    page.goto(f"{live_server}/participants/new?enrol_in={training_session.id}")
    page.fill("input[name=full_name]", "ใจดี สมชาย")
    page.select_option("select[name=country_code]", "TH")
    page.locator("form.stack [type=submit]").click()
    expect(page.locator(".duplicates")).to_have_count(1)  # waits for the answer to the post
    page.screenshot(path=str(output_dir / f"enrolment_duplicate_{size}.png"), full_page=True)
    _no_sideways_scroll(page)
    page.click(".duplicates a")
    page.wait_for_selector("h1.person-name")
    page.screenshot(path=str(output_dir / f"enrolment_person_{size}.png"), full_page=True)

    page.goto(f"{live_server}/training-sessions/{training_session.id}")
    page.screenshot(path=str(output_dir / f"enrolment_panel_{size}.png"), full_page=True)

    url = f"{live_server}/training-sessions/{training_session.id}/enrolments"
    page.goto(url)
    assert page.locator("text=Quota of 2 participants from Thailand reached").count() >= 1
    page.screenshot(path=str(output_dir / f"enrolment_session_{size}.png"), full_page=True)
    _no_sideways_scroll(page)

    bad = tmp_path / "participants.csv"
    bad.write_text(BAD_LIST, encoding="utf-8")
    page.goto(f"{url}/upload")
    page.set_input_files("input[type=file]", str(bad))
    page.locator("form[enctype] [type=submit]").click()
    page.wait_for_selector(".upload-errors")
    assert page.locator(".error-row").count() == 2
    page.screenshot(path=str(output_dir / f"enrolment_upload_errors_{size}.png"), full_page=True)
    _no_sideways_scroll(page)

    # Fix the two reported rows and upload again: the preview offers confirmation.
    bad.write_text(
        BAD_LIST.replace("layla@example,", "layla@example.org,").replace("polise", "police"),
        encoding="utf-8",
    )
    page.set_input_files("input[type=file]", str(bad))
    page.locator("form[enctype] [type=submit]").click()
    page.wait_for_selector("text=Enrol these people")
    page.screenshot(path=str(output_dir / f"enrolment_upload_preview_{size}.png"), full_page=True)
    page.click("text=Enrol these people")
    page.wait_for_url(url)
    assert page.locator(".flash-success").count() == 1

    page.context.clear_cookies()
    sign_in(page, live_server, owner.email)
    page.goto(f"{live_server}/my-trainings")
    assert page.locator(".training-card").count() == 3
    page.screenshot(path=str(output_dir / f"enrolment_my_trainings_{size}.png"), full_page=True)
    _no_sideways_scroll(page)


def _bulk_scene(count=3):
    trainer = factories.make_user(roles=("trainer",), name="Amal Haddad")
    ts = factories.make_training_session(trainers=[trainer], capacity=10)
    names = ["ليلى حداد", "Nattaphon Srisuk", "Maria Santos", "Grace Wanjiru"][:count]
    enrolments = [
        factories.make_enrolment(ts, factories.make_participant(name), status="requested")
        for name in names
    ]
    db.session.commit()
    return trainer, ts, enrolments


@pytest.mark.browser
def test_bulk_approve_on_a_phone(page, app, live_server, output_dir):
    trainer, ts, enrolments = _bulk_scene()
    page.set_viewport_size(SIZES["phone"])
    sign_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/training-sessions/{ts.id}/enrolments")
    page.get_by_label("Choose ليلى حداد").check()
    page.get_by_label("Choose Maria Santos").check()
    page.screenshot(path=output_dir / "enrolment-bulk-phone-ticked.png", full_page=True)
    page.locator(".bulk-bar").get_by_role("button", name="Approve").click()
    expect(page.locator(".flashes")).to_contain_text("2 people updated.")
    db.session.expire_all()
    assert [e.status for e in enrolments] == ["enrolled", "requested", "enrolled"]
    _no_sideways_scroll(page)
    page.screenshot(path=output_dir / "enrolment-bulk-phone-approved.png", full_page=True)


@pytest.mark.browser
def test_withdraw_asks_in_a_dialog_with_javascript(page, app, live_server, output_dir):
    trainer, ts, enrolments = _bulk_scene(1)
    enrolments[0].status = "enrolled"
    db.session.commit()
    page.set_viewport_size(SIZES["phone"])
    sign_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/training-sessions/{ts.id}/enrolments")
    page.get_by_text("Withdraw…").click()
    page.locator(".reason-form").get_by_role("button", name="Withdraw").click()
    dialog = page.locator("dialog.confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("ليلى حداد")
    expect(dialog).to_contain_text("Withdraw")
    page.screenshot(path=output_dir / "enrolment-confirm-dialog-phone.png")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    db.session.expire_all()
    assert enrolments[0].status == "enrolled"  # cancelled: nothing happened
    page.locator(".reason-form").get_by_role("button", name="Withdraw").click()
    dialog.get_by_role("button", name="Withdraw").click()
    expect(page.locator(".flashes")).to_contain_text("was withdrawn")
    db.session.expire_all()
    assert enrolments[0].status == "withdrawn"


@pytest.mark.browser
def test_withdraw_asks_on_a_page_without_javascript(browser, app, live_server, output_dir):
    trainer, ts, enrolments = _bulk_scene(1)
    enrolments[0].status = "enrolled"
    db.session.commit()
    context = browser.new_context(java_script_enabled=False, viewport=SIZES["phone"])
    page = context.new_page()
    sign_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/training-sessions/{ts.id}/enrolments")
    page.get_by_text("Withdraw…").click()
    page.locator(".reason-form input[name=reason]").fill("Reassigned")
    page.locator(".reason-form").get_by_role("button", name="Withdraw").click()
    expect(page.get_by_role("heading", name="Withdraw this person?")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Reassigned")
    page.screenshot(path=output_dir / "enrolment-confirm-page-no-js-phone.png")
    db.session.expire_all()
    assert enrolments[0].status == "enrolled"
    page.locator(".confirm-page").get_by_role("button", name="Withdraw").click()
    expect(page.locator(".undo-flash")).to_contain_text("was withdrawn")
    db.session.expire_all()
    assert (enrolments[0].status, enrolments[0].status_reason) == ("withdrawn", "Reassigned")
    page.screenshot(path=output_dir / "enrolment-withdrawn-undo-no-js-phone.png")
    page.locator(".undo-flash").get_by_role("button", name="Undo").click()
    expect(page.locator(".flashes")).to_contain_text("is back: Enrolled")
    db.session.expire_all()
    assert (enrolments[0].status, enrolments[0].status_reason) == ("enrolled", None)
    context.close()
