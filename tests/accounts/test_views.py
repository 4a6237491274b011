import re

from app.accounts.models import User
from app.extensions import db
from tests.factories import PASSWORD, make_user


def test_login_goes_to_the_page_asked_for_and_refuses_foreign_next(client):
    make_user(roles=("trainer",), email="trainer@example.org")
    db.session.commit()
    response = client.post(
        "/login?next=/profile", data={"email": "TRAINER@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/profile"
    client.post("/logout")
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post(
            f"/login?next={target}", data={"email": "trainer@example.org", "password": PASSWORD}
        )
        assert response.headers["Location"] == "/", target
        client.post("/logout")


def test_wrong_password_shows_a_message(client):
    make_user(email="a@example.org")
    response = client.post("/login", data={"email": "a@example.org", "password": "nope"})
    assert b"Email or password is not correct" in response.data


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_participant_gets_a_403_page_in_the_site_layout(client, as_role):
    as_role("participant")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert b"Access denied" in response.data and b"site-header" in response.data


def test_unknown_page_gets_a_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and b"Not found" in response.data


def test_admin_creates_a_user_with_roles_and_an_invitation(client, as_role, outbox):
    as_role("admin")
    response = client.post(
        "/admin/users/new",
        data={
            "name": "Nguyễn Thị Lan",
            "email": "Lan@Example.org",
            "roles": ["trainer", "manager"],
            "active": "y",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "lan@example.org"))
    assert user.roles == {"trainer", "manager"} and user.password_hash is None
    assert outbox.refresh()[0]["To"] == "lan@example.org"


def test_admin_form_needs_a_role_and_names_the_field(client, as_role):
    as_role("admin")
    response = client.post("/admin/users/new", data={"name": "X", "email": "x@example.org"})
    assert response.status_code == 200 and b"Choose at least one role" in response.data


def test_admin_deactivates_an_account_which_then_cannot_log_in(client, as_role):
    as_role("admin")
    user = make_user(roles=("trainer",), email="gone@example.org")
    db.session.commit()
    client.post(
        f"/admin/users/{user.id}",
        data={"name": user.name, "email": user.email, "roles": ["trainer"]},
    )
    assert not user.active
    client.post("/logout")
    response = client.post("/login", data={"email": "gone@example.org", "password": PASSWORD})
    assert b"deactivated" in response.data


def test_invitation_page_sets_the_password_and_signs_in(client, app):
    from app.accounts.services import send_invitation

    user = make_user(roles=("participant",), email="invitee@example.org")
    raw = send_invitation(user)
    db.session.commit()
    page = client.get(f"/set-password/{raw}")
    assert b"invitee@example.org" in page.data
    response = client.post(
        f"/set-password/{raw}",
        data={"password": "a long new password", "confirm": "a long new password"},
    )
    assert response.status_code == 302
    assert client.get(f"/set-password/{raw}").status_code == 410


def test_manager_creates_an_api_token_shown_once_and_revokes_it(client, as_role):
    manager = as_role("manager")
    response = client.post("/profile/api-tokens", data={"label": "Donor dashboard"})
    assert b"tp_" in response.data
    from app.accounts.models import ApiToken

    token = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == manager.id))
    assert token.token_hash.encode() not in response.data
    client.post(f"/profile/api-tokens/{token.id}/revoke", data={"confirmed": "yes"})
    assert token.revoked_at is not None
    assert b"Revoked" in client.get("/profile").data


def test_the_accounts_list_pages_at_fifty_and_keeps_the_search(client, as_role):
    as_role("admin")
    for n in range(60):
        make_user(email=f"officer{n:02d}@example.org", name=f"Officer {n:02d}")
    make_user(roles=("focal_point",), email="focal@example.org", name="Focal Point Kenya")
    db.session.commit()
    first = client.get("/admin/users?q=officer").get_data(as_text=True)
    assert len(re.findall(r'href="/admin/users/\d+"', first)) == 50
    assert "Officer 00" in first and "Officer 50" not in first
    assert "Page 1 of 2" in first
    assert 'href="/admin/users?page=2&amp;q=officer" rel="next"' in first
    second = client.get("/admin/users?q=officer&page=2").get_data(as_text=True)
    assert len(re.findall(r'href="/admin/users/\d+"', second)) == 10 and "Officer 59" in second
    # A page past the end shows the last one rather than an empty table.
    assert "Officer 59" in client.get("/admin/users?q=officer&page=9").get_data(as_text=True)
    # Roles read as their names, not as codes.
    focal = client.get("/admin/users?q=focal").get_data(as_text=True)
    assert "National focal point" in focal and ">focal_point<" not in focal
