"""Sessions that end: logout, password changes, deactivation and "sign out everywhere"."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from app.accounts import services
from app.accounts.models import AccountToken, User
from app.extensions import db
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "Lantern-harbour-Quietly-49"


@pytest.fixture
def trainer():
    user = make_user(roles=("trainer",), email="trainer@example.org")
    db.session.commit()
    return user


def _sign_in(app, remember: bool = True):
    """Sign in on a fresh client (a second device) and return it."""
    device = app.test_client()
    response = device.post(
        "/login",
        data={
            "email": "trainer@example.org",
            "password": PASSWORD,
            "remember": "y" if remember else "",
        },
    )
    assert response.status_code == 302
    return device


def _signed_in(device) -> bool:
    return device.get("/profile").status_code == 200


def _remember_only(app, device):
    """Return a client that carries only the device's remember-me cookie (a browser restart)."""
    cookie = device.get_cookie("remember_token")
    assert cookie is not None
    restarted = app.test_client()
    restarted.set_cookie("remember_token", cookie.value)
    return restarted


def test_the_remember_cookie_lasts_thirty_days_at_most(app, trainer):
    device = _sign_in(app)
    cookie = device.get_cookie("remember_token")
    assert cookie.expires is not None
    assert cookie.expires - datetime.now(UTC) <= timedelta(days=30, minutes=1)


def test_logout_ends_every_session_and_remember_cookie_of_the_user(app, trainer):
    laptop, phone = _sign_in(app), _sign_in(app)
    restarted_phone = _remember_only(app, phone)
    assert _signed_in(restarted_phone)
    laptop.post("/logout")
    assert not _signed_in(phone)
    assert not _signed_in(_remember_only(app, phone))


def test_an_old_cookie_replayed_after_logout_is_refused(app, trainer):
    device = _sign_in(app)
    stolen = device.get_cookie("session").value
    device.post("/logout")
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert not _signed_in(replay)


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, trainer):
    laptop, phone = _sign_in(app), _sign_in(app)
    response = laptop.post(
        "/profile/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _signed_in(laptop)
    assert not _signed_in(phone)
    assert not _signed_in(_remember_only(app, phone))


def test_a_password_change_needs_the_current_password(app, trainer):
    laptop = _sign_in(app)
    response = laptop.post(
        "/profile/password",
        data={"current_password": "wrong", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 200 and b"current password is not correct" in response.data
    db.session.expire_all()
    assert db.session.get(User, trainer.id).check_password(PASSWORD)


def test_deactivation_ends_every_session(app, trainer):
    phone = _sign_in(app)
    admin = app.test_client()
    make_user(roles=("admin",), email="admin@example.org")
    db.session.commit()
    admin.post("/login", data={"email": "admin@example.org", "password": PASSWORD})
    admin.post(
        f"/admin/users/{trainer.id}",
        data={"name": trainer.name, "email": trainer.email, "roles": ["trainer"]},
    )
    assert not _signed_in(phone)


def test_an_admin_signs_a_user_out_everywhere(app, trainer):
    phone = _sign_in(app)
    restarted = _remember_only(app, phone)
    make_user(roles=("admin",), email="admin@example.org")
    db.session.commit()
    admin = app.test_client()
    admin.post("/login", data={"email": "admin@example.org", "password": PASSWORD})
    response = admin.post(f"/admin/users/{trainer.id}/sign-out-everywhere")
    assert response.status_code == 302
    assert not _signed_in(phone) and not _signed_in(restarted)
    assert _signed_in(_sign_in(app))  # the password still works


def test_the_csrf_token_is_rotated_at_login(app, trainer):
    app.config["WTF_CSRF_ENABLED"] = True
    device = app.test_client()
    page = device.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    with device.session_transaction() as session:
        before = session["csrf_token"]
    response = device.post(
        "/login", data={"email": trainer.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    device.get("/profile/password")  # a page with a form issues the new token
    with device.session_transaction() as session:
        assert session.get("csrf_token") not in (None, before)


def test_a_new_invitation_cancels_the_previous_link(app, trainer):
    user = make_user(roles=("participant",), email="new@example.org", password_hash=None)
    first = services.send_invitation(user)
    second = services.send_invitation(user)
    db.session.commit()
    client = app.test_client()
    assert client.get(f"/set-password/{first}").status_code == 410
    assert client.get(f"/set-password/{second}").status_code == 200


def test_a_used_link_cancels_every_other_link(app, trainer):
    user = make_user(roles=("participant",), email="new@example.org", password_hash=None)
    reset = services.issue_account_token(user, "reset", timedelta(hours=1))
    # Links issued before this rule existed are still outstanding side by side.
    db.session.add(
        AccountToken(
            user=user,
            purpose="invitation",
            token_hash=hashlib.sha256(b"old-invitation").hexdigest(),
            expires_at=datetime.now(UTC) + timedelta(hours=1),
        )
    )
    invitation = "old-invitation"
    db.session.commit()
    client = app.test_client()
    client.post(
        f"/set-password/{invitation}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert app.test_client().get(f"/reset-password/{reset}").status_code == 410


def test_deactivation_cancels_links_and_a_link_never_reactivates(app, trainer):
    user = make_user(roles=("participant",), email="new@example.org", password_hash=None)
    invitation = services.send_invitation(user)
    user.active = False
    services.lock_out(user)
    db.session.commit()
    client = app.test_client()
    response = client.post(
        f"/set-password/{invitation}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 410
    db.session.expire_all()
    assert not db.session.get(User, user.id).active
    assert db.session.get(User, user.id).password_hash is None


def test_a_link_issued_to_a_deactivated_account_does_not_work(app, trainer):
    user = make_user(roles=("participant",), email="gone@example.org", password_hash=None)
    user.active = False
    raw = services.issue_account_token(user, "invitation", timedelta(hours=1))
    db.session.commit()
    client = app.test_client()
    client.post(f"/set-password/{raw}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    db.session.expire_all()
    assert not db.session.get(User, user.id).active


def test_logging_out_or_a_reset_request_keeps_a_pending_email_change_link(app, trainer):
    raw = services.request_email_change(trainer, "moved@example.org")
    db.session.commit()
    device = _sign_in(app)
    device.post("/logout")
    app.test_client().post("/forgot-password", data={"email": trainer.email})
    assert app.test_client().get(f"/confirm-email/{raw}").status_code == 200
