"""Security headers on every response, and pages that run under a CSP without 'unsafe-inline'."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import url_for

from app import create_app
from app.extensions import db
from tests import factories
from tests.world import build_world

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().partition(" ")[::2] for part in policy.split(";"))


def test_pages_carry_a_policy_without_unsafe_inline(client):
    response = client.get("/login")
    directives = _directives(response)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_error_pages_and_the_api_carry_the_headers_too(client):
    for response in (client.get("/no-such-page"), client.get("/api/v1/reports/reach")):
        assert response.status_code in (401, 404)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"


def test_hsts_only_in_production(app, database_url, tmp_path):
    assert "Strict-Transport-Security" not in app.test_client().get("/login").headers
    production = create_app(
        {
            "TESTING": True,
            "ENV_NAME": "production",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "p" * 32,
            "OUTBOX_DIR": str(tmp_path / "outbox"),
        }
    )
    with production.app_context():
        response = production.test_client().get("/login")
        db.session.remove()
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_signed_in_pages_and_personal_files_are_not_stored(app, client, login):
    world = build_world()
    db.session.commit()
    login(world.users["admin"])
    with app.test_request_context():
        urls = [
            url_for("accounts.home"),
            url_for("enrolment.participant_list"),
            url_for("enrolment.participant_detail", participant_id=world.owner_participant.id),
            url_for("certificates.download", number=world.certificate.number),
            url_for("reporting.export", table="by_country", fmt="csv"),
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers["Cache-Control"], url
    pdf = client.get(urls[3])
    # Chrome's PDF viewer breaks under a page policy; the file still refuses to be framed.
    assert pdf.headers["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_a_verified_name_is_not_stored_but_static_files_are_cacheable(app, client):
    world = build_world()
    db.session.commit()
    verified = client.get(f"/verify/{world.certificate.verification_code}")
    assert verified.status_code == 200
    assert verified.headers["Cache-Control"] == "no-store"
    stylesheet = client.get("/static/css/app.css")
    assert stylesheet.status_code == 200
    assert "no-store" not in stylesheet.headers.get("Cache-Control", "")
    stylesheet.close()


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_page_templates_have_no_inline_script_or_style(path):
    if path.parts[-2] in ("pdf", "emails") or path.name == "certificate.html":
        pytest.skip("rendered by WeasyPrint or sent as mail: no browser policy applies")
    text = path.read_text(encoding="utf-8")
    assert " style=" not in text
    assert "<style" not in text
    assert not INLINE_SCRIPT.search(text), INLINE_SCRIPT.search(text).group(0)
    assert not re.search(r"\son[a-z]+=", text), "inline event handler"


def _pages(world) -> list[str]:
    ts = world.training_session.id
    return [
        url_for("accounts.home"),
        url_for("accounts.profile"),
        url_for("accounts.user_list"),
        url_for("scheduling.training_session_list"),
        url_for("scheduling.training_session_detail", training_session_id=ts),
        url_for("scheduling.training_session_edit", training_session_id=ts),
        url_for("scheduling.agenda_edit", training_session_id=ts),
        url_for("attendance.roll_call_today", training_session_id=ts),
        url_for("attendance.session_summary", training_session_id=ts),
        url_for("enrolment.session_enrolments", training_session_id=ts),
        url_for("enrolment.participant_list"),
        url_for("enrolment.participant_detail", participant_id=world.owner_participant.id),
        url_for("certificates.session_certificates", training_session_id=ts),
        url_for("curriculum.course_list"),
        url_for("curriculum.course_detail", slug=world.course.slug),
        url_for("reporting.dashboard"),
        url_for("reporting.country_detail", country_code="KE"),
        url_for("reporting.targets"),
        url_for("history.import_upload"),
        url_for("certificates.verify_code", code=world.certificate.verification_code),
    ]


@pytest.mark.browser
def test_main_pages_run_without_a_policy_violation(app, live_server, page):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("the browser walk runs once, on SQLite")
    world = build_world()
    db.session.commit()
    with app.test_request_context():
        pages = _pages(world)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", world.users["admin"].email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form.stack [type=submit]").click()
    page.wait_for_url(f"{live_server}/")
    for path in pages:
        response = page.goto(f"{live_server}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("load")
    assert not violations, "\n".join(violations)
    # The early script ran from its static file and marked the page.
    assert page.evaluate("document.documentElement.classList.contains('js')")
