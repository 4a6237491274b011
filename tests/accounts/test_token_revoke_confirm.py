"""Revoking an API token asks first: a page without JavaScript, the dialog with it."""

from __future__ import annotations

from app.accounts.models import ApiToken
from app.extensions import db


def test_revoking_a_token_asks_first_and_revokes_only_once_confirmed(client, as_role):
    manager = as_role("manager")
    client.post("/profile/api-tokens", data={"label": "Donor dashboard"})
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == manager.id))
    profile = client.get("/profile").get_data(as_text=True)
    assert 'data-confirm="Revoke this token?"' in profile and "js/confirm.js" in profile
    page = client.post(f"/profile/api-tokens/{token.id}/revoke")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Revoke this token?" in text and "Donor dashboard" in text
    db.session.refresh(token)
    assert token.revoked_at is None
    client.post(f"/profile/api-tokens/{token.id}/revoke", data={"confirmed": "yes"})
    db.session.refresh(token)
    assert token.revoked_at is not None
