"""The participant upload on a phone: a conflict asked per row, a legacy encoding, error cards."""

import pytest

from app.enrolment.models import Participant
from app.extensions import db
from tests import factories
from tests.browser import PHONE

LIST = (
    "Nom;Courriel;Pays;Organisation\n"
    "Grace Achieng;grace.achieng@dci.example;Kenya;DCI Cyber Crime Unit\n"
    "فاطمة الزهراء;fatima@example.org;Égypte;Egyptian Police\n"
    "Bad Country;bad@example.org;Atlantis;Police\n"
)


@pytest.mark.browser
def test_the_upload_conflict_preview_on_a_phone(app, live_server, page, output_dir, tmp_path):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("screenshots once, on SQLite")
    trainer = factories.make_user(roles=("trainer",), email="trainer@example.org")
    session = factories.make_training_session(trainers=[trainer], capacity=10, status="open")
    known = factories.make_participant(
        "Grace Achieng", country_code="KE", email="g.achieng@old.example", organisation="CID"
    )
    db.session.commit()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", trainer.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form.stack [type=submit]").click()
    page.wait_for_url(f"{live_server}/")

    upload_file = tmp_path / "participants.csv"
    upload_file.write_bytes(LIST.replace("Égypte", "EG").encode("cp1256"))
    page.goto(f"{live_server}/training-sessions/{session.id}/enrolments/upload")
    page.set_input_files("input[type=file]", str(upload_file))
    page.locator("form[enctype] [type=submit]").click()
    page.wait_for_selector("#conflicts")
    assert page.locator("text=Read as Windows-1256 (Arabic).").count() == 1
    assert page.locator(".upload-conflict").count() == 1
    # Each problem is a card: its cells stack, labelled, instead of a clipped table.
    card = page.locator(".error-cards tr.error-row").first
    assert card.evaluate("row => getComputedStyle(row).display") == "block"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.locator("#conflicts").scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "upload_conflict_phone.png"), full_page=True)

    page.check("input[name=person-2][value=same]")
    page.check("input[name=skip_bad_rows]")
    page.click("text=Enrol these people")
    page.wait_for_selector(".flash-success")
    assert "1 row with problems was left out" in page.locator(".flash-success").inner_text()
    db.session.expire_all()
    person = db.session.get(Participant, known.id)
    assert (person.email, person.organisation) == (
        "grace.achieng@dci.example",
        "DCI Cyber Crime Unit",
    )
    assert db.session.query(Participant).filter_by(email="fatima@example.org").one()
