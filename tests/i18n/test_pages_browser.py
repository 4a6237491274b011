"""The main pages in the reader's language: Arabic right to left, French left to right.

Each page is checked for <html lang dir> and a heading in the catalogue's words, and kept as a
screenshot under tests/output for a person to look at (desktop, and the roll call on a phone).
"""

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect

from app.extensions import db
from tests import factories
from tests.attendance.helpers import make_session
from tests.browser import PHONE, sign_in

DESKTOP = {"width": 1280, "height": 900}


def _said(app, language: str, msgid: str, **values) -> str:
    """Return the catalogue's words for msgid, failing if the language leaves them in English."""
    with app.test_request_context(), force_locale(language):
        words = gettext(msgid, **values)
    assert words != msgid % values if values else words != msgid, f"{language}: {msgid!r}"
    return words


def _visit(page: Page, url: str, language: str, heading: str, shot) -> None:
    page.goto(url)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    expect(page.locator("h1, h2", has_text=heading).first).to_be_visible()
    page.screenshot(path=shot, full_page=True)


@pytest.fixture
def scene(app, live_server):
    trainer = factories.make_user(roles=("trainer",), name="Awa Diop", language="fr")
    ts, enrolments = make_session(6, days=3, trainer=trainer, code="CSE-2026-SN-01")
    learner = factories.make_user(roles=("participant",), name="أمينة يوسف", language="ar")
    enrolments[0].participant.user = learner
    manager = factories.make_user(roles=("manager",), name="Claire Martin", language="fr")
    db.session.commit()
    return live_server, ts, trainer, learner, manager


@pytest.mark.browser
def test_a_participant_reads_her_pages_in_arabic(page: Page, app, scene, output_dir):
    live_server, ts, _trainer, learner, _manager = scene
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, learner.email)
    welcome = _said(app, "ar", "Welcome, %(name)s", name=learner.name)
    _visit(page, f"{live_server}/home", "ar", welcome, output_dir / "i18n-ar-home.png")
    _visit(
        page,
        f"{live_server}/my-trainings/{ts.id}",
        "ar",
        _said(app, "ar", "Agenda"),
        output_dir / "i18n-ar-own-session.png",
    )
    page.set_viewport_size(PHONE)
    _visit(page, f"{live_server}/home", "ar", welcome, output_dir / "i18n-ar-home-phone.png")


@pytest.mark.browser
def test_a_trainer_and_a_manager_read_theirs_in_french(page: Page, app, scene, output_dir):
    live_server, ts, trainer, _learner, manager = scene
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, trainer.email)
    _visit(
        page,
        f"{live_server}/home",
        "fr",
        _said(app, "fr", "Welcome, %(name)s", name=trainer.name),
        output_dir / "i18n-fr-home.png",
    )
    _visit(
        page,
        f"{live_server}/training-sessions/{ts.id}",
        "fr",
        _said(app, "fr", "Agenda"),
        output_dir / "i18n-fr-session.png",
    )
    _visit(
        page,
        f"{live_server}/training-sessions/{ts.id}/enrolments",
        "fr",
        _said(app, "fr", "Enrolments"),
        output_dir / "i18n-fr-enrolments.png",
    )
    page.set_viewport_size(PHONE)
    _visit(
        page,
        f"{live_server}/training-sessions/{ts.id}/attendance",
        "fr",
        _said(app, "fr", "Roll call"),
        output_dir / "i18n-fr-roll-call-phone.png",
    )
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, manager.email)
    _visit(
        page,
        f"{live_server}/reach",
        "fr",
        _said(app, "fr", "Programme reach"),
        output_dir / "i18n-fr-reach.png",
    )


@pytest.mark.browser
def test_the_trainers_pages_mirror_in_arabic(page: Page, app, scene, output_dir):
    live_server, ts, trainer, _learner, _manager = scene
    trainer.language = "ar"
    db.session.commit()
    sign_in(page, live_server, trainer.email)
    page.set_viewport_size(DESKTOP)
    for path, msgid, name in [
        (f"/training-sessions/{ts.id}", "Agenda", "session"),
        (f"/training-sessions/{ts.id}/enrolments", "Enrolments", "enrolments"),
    ]:
        shot = output_dir / f"i18n-ar-{name}.png"
        _visit(page, f"{live_server}{path}", "ar", _said(app, "ar", msgid), shot)
    page.set_viewport_size(PHONE)
    _visit(
        page,
        f"{live_server}/training-sessions/{ts.id}/attendance",
        "ar",
        _said(app, "ar", "Roll call"),
        output_dir / "i18n-ar-roll-call-phone.png",
    )


@pytest.mark.browser
def test_the_back_arrow_points_the_way_arabic_reads(page: Page, app, scene, output_dir):
    live_server, ts, _trainer, learner, _manager = scene
    sign_in(page, live_server, learner.email)
    page.goto(f"{live_server}/my-trainings/{ts.id}")
    arrow = page.locator("main a .dir-arrow").first
    # Mirrored: the arrow ← is drawn as →, towards the start of a right-to-left line.
    assert arrow.evaluate("node => getComputedStyle(node).transform") == "matrix(-1, 0, 0, 1, 0, 0)"
    link = arrow.locator("xpath=..").bounding_box()
    box = arrow.bounding_box()
    assert box["x"] + box["width"] > link["x"] + link["width"] / 2  # at the link's start: the right
    page.screenshot(
        path=output_dir / "i18n-ar-back-arrow.png",
        clip={"x": 700, "y": 60, "width": 580, "height": 60},
    )
