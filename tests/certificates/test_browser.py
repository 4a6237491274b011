import pytest
from playwright.sync_api import Browser, expect

from app.certificates.models import Certificate
from app.extensions import db
from tests.browser import PHONE, sign_in
from tests.certificates.helpers import completed_session

DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.browser
def test_issue_download_verify_and_revoke(app, live_server, browser: Browser, output_dir):
    scene = completed_session(names=("Zoë Øster-Łukasiewicz", "Kwame Mensah"), validity_months=36)
    db.session.commit()
    certificates_url = f"{live_server}/training-sessions/{scene.training_session.id}/certificates"

    # A trainer of the session issues every certificate in one action.
    trainer = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(trainer, live_server, scene.trainer.email)
    trainer.goto(certificates_url)
    trainer.get_by_role("button", name="Issue all 2 due certificates").click()
    expect(trainer.locator(".flash-success")).to_contain_text("2 certificates issued.")
    expect(trainer.locator(".certificates-table")).to_contain_text("CFCAC-2026-KE-01-0001")
    trainer.screenshot(path=output_dir / "certificates-session-desktop.png", full_page=True)
    trainer.set_viewport_size(PHONE)
    trainer.screenshot(path=output_dir / "certificates-session-phone.png", full_page=True)
    trainer.set_viewport_size(DESKTOP)

    db.session.expire_all()
    mine = db.session.query(Certificate).filter_by(enrolment_id=scene.enrolments[0].id).one()

    # The participant signs in and downloads their own certificate from My trainings.
    participant = browser.new_context(viewport=PHONE, accept_downloads=True).new_page()
    sign_in(participant, live_server, scene.users[0].email)
    participant.goto(f"{live_server}/my-trainings")
    participant.screenshot(path=output_dir / "certificates-my-trainings-phone.png", full_page=True)
    with participant.expect_download() as download_info:
        participant.get_by_role("link", name="Download certificate").first.click()
    download = download_info.value
    assert download.suggested_filename == f"{mine.number}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == mine.pdf
    # Guessing the other participant's URL shows nothing.
    other = participant.request.get(f"{live_server}/certificates/CFCAC-2026-KE-01-0002.pdf")
    assert other.status == 404

    # Anyone checks it by typing the code; no personal data beyond the name.
    visitor = browser.new_context(viewport=PHONE).new_page()
    visitor.goto(f"{live_server}/verify")
    visitor.fill("input[name=query]", mine.verification_code)
    visitor.get_by_role("button", name="Verify").click()
    expect(visitor.locator(".verify-outcome")).to_contain_text("This certificate is valid")
    expect(visitor.locator(".verify-outcome")).to_contain_text("Zoë Øster-Łukasiewicz")
    expect(visitor.locator("main")).not_to_contain_text(scene.users[0].email)
    visitor.screenshot(path=output_dir / "certificates-verify-valid-phone.png", full_page=True)
    # By the guessable number the name stays hidden, and no typed name is confirmed.
    visitor.goto(f"{live_server}/verify/{mine.number}?name=zoe+oster-lukasiewicz")
    expect(visitor.locator(".verify-outcome")).not_to_contain_text("Łukasiewicz")
    expect(visitor.locator("main")).not_to_contain_text("matches")
    expect(visitor.locator("input[name=name]")).to_have_count(0)
    visitor.screenshot(path=output_dir / "certificates-verify-number-phone.png", full_page=True)
    visitor.goto(f"{live_server}/verify/{mine.verification_code}")

    # The trainer revokes it with a reason; the visitor now sees it revoked.
    trainer.goto(certificates_url)
    row = trainer.locator("tr", has_text=mine.number)
    row.locator("summary", has_text="Revoke").click()
    row.locator("textarea[name=reason]").fill("Issued to the wrong person")
    row.get_by_role("button", name=f"Revoke {mine.number}").click()
    # One tap is not enough: the page asks in a dialog first.
    dialog = trainer.locator("dialog.confirm-dialog")
    expect(dialog).to_contain_text("Revoke this certificate?")
    trainer.screenshot(path=output_dir / "certificates-revoke-dialog-desktop.png")
    dialog.get_by_role("button", name=f"Revoke {mine.number}").click()
    revoked = f"Certificate {mine.number} is revoked"
    expect(trainer.locator(".flash-success")).to_contain_text(revoked)
    trainer.screenshot(path=output_dir / "certificates-session-revoked-desktop.png", full_page=True)

    visitor.reload()
    expect(visitor.locator(".verify-outcome")).to_contain_text("This certificate has been revoked")
    expect(visitor.locator("main")).not_to_contain_text("wrong person")
    visitor.screenshot(path=output_dir / "certificates-verify-revoked-phone.png", full_page=True)
    visitor.set_viewport_size(DESKTOP)
    visitor.goto(f"{live_server}/verify")
    visitor.screenshot(path=output_dir / "certificates-verify-form-desktop.png", full_page=True)
