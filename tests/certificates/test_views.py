import io
import re
import zipfile
from datetime import date, timedelta

from flask import render_template_string
from flask_login import login_user
from markupsafe import Markup

from app.certificates import batches, services
from app.certificates.models import Certificate
from app.extensions import db
from tests import factories
from tests.certificates.helpers import completed_session


def _issue_all(scene):
    certificates = services.issue_for_session(scene.training_session, scene.trainer, notify=False)
    db.session.commit()
    return certificates


def test_trainer_issues_all_from_the_session_page(app, client, login):
    scene = completed_session()
    db.session.commit()
    login(scene.trainer)
    page = client.get(f"/training-sessions/{scene.training_session.id}/certificates")
    assert page.status_code == 200
    assert "Issue all 2 due certificates" in page.get_data(as_text=True)
    response = client.post(
        f"/training-sessions/{scene.training_session.id}/certificates/issue",
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "2 certificates issued." in text
    assert "CFCAC-2026-KE-01-0001" in text and "CFCAC-2026-KE-01-0002" in text
    assert db.session.query(Certificate).count() == 2


def test_issue_all_refused_before_completion_shows_reason(app, client, login):
    scene = completed_session()
    scene.training_session.status = "in_progress"
    db.session.commit()
    login(scene.trainer)
    response = client.post(
        f"/training-sessions/{scene.training_session.id}/certificates/issue",
        follow_redirects=True,
    )
    assert "is not completed yet" in response.get_data(as_text=True)
    assert db.session.query(Certificate).count() == 0


def test_issue_one_and_refusal_for_incomplete(app, client, login):
    scene = completed_session()
    db.session.commit()
    login(scene.trainer)
    ok = client.post(
        f"/enrolments/{scene.enrolments[0].id}/certificate/issue", follow_redirects=True
    )
    assert "Certificate CFCAC-2026-KE-01-0001 is issued." in ok.get_data(as_text=True)
    refused = client.post(
        f"/enrolments/{scene.incomplete.id}/certificate/issue", follow_redirects=True
    )
    assert "has not completed" in refused.get_data(as_text=True)


def test_revoke_needs_reason_then_verify_page_says_revoked(app, client, login):
    scene = completed_session(names=("Kwame Mensah",))
    certificate = _issue_all(scene)[0]
    login(scene.trainer)
    client.post(f"/certificates/{certificate.number}/revoke", data={"reason": ""})
    db.session.refresh(certificate)
    assert certificate.revoked_at is None
    client.post(
        f"/certificates/{certificate.number}/revoke",
        data={"reason": "Attendance falsified", "confirmed": "yes"},
    )
    db.session.refresh(certificate)
    assert certificate.revoked_at is not None

    public = app.test_client().get(f"/verify/{certificate.verification_code}")
    text = public.get_data(as_text=True)
    assert public.status_code == 200
    assert "This certificate has been revoked" in text
    assert certificate.revoked_at.strftime("%B") in text
    assert "Attendance falsified" not in text  # the reason stays private


def test_reissue_through_view_links_certificates(app, client, login):
    scene = completed_session(names=("Kwame Mensa",))
    old = _issue_all(scene)[0]
    scene.enrolments[0].participant.full_name = "Kwame Mensah"
    db.session.commit()
    login(scene.trainer)
    response = client.post(
        f"/certificates/{old.number}/reissue",
        data={"reason": "Name corrected"},
        follow_redirects=True,
    )
    assert "is replaced by CFCAC-2026-KE-01-0002" in response.get_data(as_text=True)
    new = db.session.query(Certificate).filter_by(number="CFCAC-2026-KE-01-0002").one()
    assert new.replaces_id == old.id and new.content["name"] == "Kwame Mensah"
    page = app.test_client().get(f"/verify/{old.verification_code}").get_data(as_text=True)
    assert "replaced by CFCAC-2026-KE-01-0002" in page


def test_download_permissions(app, client, login):
    scene = completed_session(names=("Kwame Mensah", "Ana Núñez"))
    mine, theirs = _issue_all(scene)
    owner = scene.users[0]
    login(owner)
    response = client.get(f"/certificates/{mine.number}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data == mine.pdf
    # Guessing another participant's certificate URL reveals nothing.
    assert client.get(f"/certificates/{theirs.number}.pdf").status_code == 404
    assert client.get("/certificates/CFCAC-2026-KE-01-9999.pdf").status_code == 404
    login(factories.make_user(roles=("trainer",)))
    db.session.commit()
    assert client.get(f"/certificates/{mine.number}.pdf").status_code == 404
    login(scene.trainer)
    assert client.get(f"/certificates/{theirs.number}.pdf").status_code == 200
    login(factories.make_user(roles=("manager",)))
    db.session.commit()
    assert client.get(f"/certificates/{theirs.number}.pdf").status_code == 200


def test_session_zip_contains_every_valid_certificate(app, client, login):
    scene = completed_session(names=("Kwame Mensah", "Ana Núñez", "王小明"))
    certificates = _issue_all(scene)
    services.revoke(certificates[2], scene.trainer, "Duplicate record")
    db.session.commit()
    login(scene.trainer)
    response = client.get(f"/training-sessions/{scene.training_session.id}/certificates.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == [
        "CFCAC-2026-KE-01-0001 Kwame Mensah.pdf",
        "CFCAC-2026-KE-01-0002 Ana Núñez.pdf",
    ]
    assert archive.read("CFCAC-2026-KE-01-0001 Kwame Mensah.pdf") == certificates[0].pdf


def test_verify_by_code_shows_public_facts_only(app, client):
    scene = completed_session(names=("Kwame Mensah",))
    certificate = _issue_all(scene)[0]
    participant = scene.enrolments[0].participant
    form = client.get("/verify")
    assert form.status_code == 200 and "Verify a certificate" in form.get_data(as_text=True)
    response = client.post("/verify", data={"query": f"  {certificate.verification_code} "})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{certificate.verification_code}")
    page = client.get(response.headers["Location"])
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "This certificate is valid" in text
    for fact in (
        "Kwame Mensah",
        "Investigating Online Child Sexual Exploitation",
        "Nairobi",
        "Kenya",
        app.config["ISSUER_NAME"],
        "2–6 March 2026",
    ):
        assert fact in text
    assert participant.email not in text
    assert participant.organisation not in text


def _without_csrf(page: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*>', "", page)


def test_verify_by_guessable_number_hides_the_name(app, client):
    scene = completed_session(names=("José Pérez",))
    certificate = _issue_all(scene)[0]
    response = client.post("/verify", data={"query": certificate.number.lower()})
    assert response.status_code == 302
    assert certificate.verification_code not in response.headers["Location"]
    text = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This certificate is valid" in text and certificate.number in text
    assert "Pérez" not in text and certificate.verification_code not in text
    # Guessing numbers with a typed name must not confirm which training a named person attended.
    typed = client.post("/verify", data={"query": certificate.number, "name": "perez, jose"})
    right = client.get(typed.headers["Location"]).get_data(as_text=True)
    wrong = client.get(f"/verify/{certificate.number}?name=Someone+Else").get_data(as_text=True)
    assert "matches" not in right and "Pérez" not in right
    assert _without_csrf(right) == _without_csrf(wrong)


def test_unknown_certificate_reveals_nothing(app, client):
    response = client.get("/verify/not-a-real-code")
    assert response.status_code == 404
    assert "No such certificate" in response.get_data(as_text=True)
    redirect = client.post("/verify", data={"query": "XYZ-0001"})
    assert redirect.status_code == 302
    assert client.get(redirect.headers["Location"]).status_code == 404


def test_expired_certificate_says_expired(app, client):
    scene = completed_session(names=("Kwame Mensah",), validity_months=12)
    certificate = _issue_all(scene)[0]
    certificate.expires_on = date.today() - timedelta(days=1)
    db.session.commit()
    text = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "This certificate has expired" in text


def test_uploaded_pdf_checked_by_hash(app, client):
    scene = completed_session(names=("Kwame Mensah",))
    certificate = _issue_all(scene)[0]
    original = client.post(
        "/verify",
        data={"document": (io.BytesIO(certificate.pdf), "certificate.pdf")},
        content_type="multipart/form-data",
    )
    text = original.get_data(as_text=True)
    assert "This file is an unaltered original" in text
    assert certificate.number in text
    middle = len(certificate.pdf) // 2
    edited = (
        certificate.pdf[:middle]
        + bytes([certificate.pdf[middle] ^ 1])
        + certificate.pdf[middle + 1 :]
    )
    response = client.post(
        "/verify",
        data={"document": (io.BytesIO(edited), "certificate.pdf")},
        content_type="multipart/form-data",
    )
    assert "does not match any issued certificate" in response.get_data(as_text=True)


def test_api_returns_public_facts_as_json(app, client):
    scene = completed_session(names=("Kwame Mensah",), validity_months=24)
    certificate = _issue_all(scene)[0]
    by_code = client.get(f"/api/v1/certificates/{certificate.verification_code}")
    assert by_code.status_code == 200
    data = by_code.get_json()
    assert data["status"] == "valid"
    assert data["number"] == certificate.number
    assert data["name"] == "Kwame Mensah"
    assert data["course"] == "Investigating Online Child Sexual Exploitation"
    assert data["start_date"] == "2026-03-02" and data["end_date"] == "2026-03-06"
    assert data["city"] == "Nairobi" and data["country"] == "Kenya"
    assert data["issuer"] == app.config["ISSUER_NAME"]
    assert data["expires_on"] == certificate.expires_on.isoformat()
    assert not {"email", "organisation", "verification_code"} & set(data)
    by_number = client.get(f"/api/v1/certificates/{certificate.number}").get_json()
    assert by_number["status"] == "valid" and by_number["name"] is None
    checked = client.get(f"/api/v1/certificates/{certificate.number}?name=KWAME  mensah")
    assert checked.get_json() == by_number  # no name oracle
    services.revoke(certificate, scene.trainer, "Error")
    db.session.commit()
    assert client.get(f"/api/v1/certificates/{certificate.number}").get_json()["status"] == (
        "revoked"
    )
    missing = client.get("/api/v1/certificates/NOPE-0001")
    assert missing.status_code == 404
    assert missing.is_json


def test_transcripts(app, client, login, output_dir):
    scene = completed_session(names=("Kwame Mensah",))
    _issue_all(scene)
    owner = scene.users[0]
    login(owner)
    own = client.get("/my-trainings/transcript.pdf")
    assert own.status_code == 200 and own.data.startswith(b"%PDF")
    (output_dir / "certificates-transcript.pdf").write_bytes(own.data)
    participant_id = scene.enrolments[0].participant.id
    login(scene.trainer)  # a whole history is not one trainer's to read
    assert client.get(f"/participants/{participant_id}/transcript.pdf").status_code == 404
    login(factories.make_user(roles=("manager",)))
    staff = client.get(f"/participants/{participant_id}/transcript.pdf")
    assert staff.status_code == 200 and staff.mimetype == "application/pdf"
    other = factories.make_user(roles=("participant",))
    db.session.commit()
    login(other)
    assert client.get(f"/participants/{participant_id}/transcript.pdf").status_code == 404


def test_enrolment_helper_and_session_panel(app):
    scene = completed_session(names=("Kwame Mensah",))
    certificate = _issue_all(scene)[0]
    template = '{% include "certificates/_enrolment_certificate.html" %}'
    with app.test_request_context():
        login_user(scene.users[0])
        html = render_template_string(template, enrolment=scene.enrolments[0])
        assert f"/certificates/{certificate.number}.pdf" in html
        pending = render_template_string(template, enrolment=scene.incomplete)
        assert "not been issued" in pending
    from app.certificates.views import _session_panel

    with app.test_request_context():
        login_user(scene.trainer)
        panel = _session_panel(scene.training_session)
        assert isinstance(panel, Markup) and "1 issued" in panel
    with app.test_request_context():
        login_user(scene.users[0])
        assert _session_panel(scene.training_session) is None


def test_session_page_shows_the_certificates_panel(app, client, login):
    scene = completed_session(names=("Kwame Mensah",))
    db.session.commit()
    login(scene.trainer)
    page = client.get(f"/training-sessions/{scene.training_session.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Manage certificates" in text and "Issue 1 certificate" in text


def test_simultaneous_issue_is_reported_not_a_crash(app, client, login, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    scene = completed_session(names=("Kwame Mensah",))
    db.session.commit()
    login(scene.trainer)

    def collide(*args, **kwargs):
        raise IntegrityError("INSERT", {}, Exception("duplicate number"))

    monkeypatch.setattr(batches, "start_batch", collide)
    response = client.post(
        f"/training-sessions/{scene.training_session.id}/certificates/issue",
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "at the same moment" in response.get_data(as_text=True)
