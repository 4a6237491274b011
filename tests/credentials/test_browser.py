"""A court's clerk checks a credential file on a phone: genuine, then revoked, then altered."""

import json

import pytest
from playwright.sync_api import Page, expect

from app.certificates import services as certificates
from app.credentials import keys, services
from app.extensions import db
from tests.browser import PHONE
from tests.certificates.helpers import completed_session


@pytest.mark.browser
def test_a_credential_file_is_checked_and_the_failed_check_named(
    page: Page, app, live_server, tmp_path, output_dir
):
    keys.create_key()
    scene = completed_session(validity_months=24)
    certificate = certificates.issue(scene.enrolments[0], scene.trainer)
    db.session.commit()
    document = services.credential_of(certificate).document
    genuine = tmp_path / "credential.json"
    genuine.write_text(json.dumps(document))
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(document).replace('"Hours of training"', '"Hours of trainin!"'))
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server}/verify")
    page.get_by_role("link", name="Verify a digital credential").click()
    page.set_input_files("input[type=file]", genuine)
    page.locator("main form [type=submit]").last.click()
    outcome = page.get_by_role("status")
    expect(outcome).to_contain_text("This credential is valid")
    expect(outcome).to_contain_text("Not revoked")
    page.screenshot(path=output_dir / "credentials-verify-genuine-phone.png", full_page=True)

    page.goto(f"{live_server}/credentials/verify")
    page.set_input_files("input[type=file]", altered)
    page.locator("main form [type=submit]").last.click()
    page.screenshot(path=output_dir / "credentials-verify-altered-phone.png", full_page=True)
    expect(outcome).to_contain_text("This credential is not valid")
    expect(outcome).to_contain_text("The signature does not match")
    expect(outcome).not_to_contain_text("Investigating")  # a forged file's claims are not shown
    assert certificate.content["name"] not in page.content()  # the page never names the holder
