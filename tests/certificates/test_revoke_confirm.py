"""Revoking a certificate asks first, carrying the reason to the confirmation."""

from __future__ import annotations

from app.certificates import services
from app.extensions import db
from tests.certificates.helpers import completed_session


def test_revoking_a_certificate_asks_first_with_its_reason(client, login):
    scene = completed_session(names=("Kwame Mensah",))
    (certificate,) = services.issue_for_session(scene.training_session, scene.trainer, notify=False)
    db.session.commit()
    login(scene.trainer)
    listing = client.get(f"/training-sessions/{scene.training_session.id}/certificates")
    assert "js/confirm.js" in listing.get_data(as_text=True)
    url = f"/certificates/{certificate.number}/revoke"
    page = client.post(url, data={"reason": "Attendance falsified"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Revoke this certificate?" in text and "Kwame Mensah" in text
    assert 'value="Attendance falsified"' in text
    db.session.refresh(certificate)
    assert certificate.revoked_at is None
    client.post(url, data={"reason": "Attendance falsified", "confirmed": "yes"})
    db.session.refresh(certificate)
    assert certificate.revoked_at is not None
    assert certificate.revocation_reason == "Attendance falsified"
