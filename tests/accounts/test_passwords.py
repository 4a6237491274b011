"""Self-service passwords, sign-in throttling, the same work for unknown emails, strength."""

import re

import pytest

from app.accounts import services
from app.extensions import db
from tests.factories import PASSWORD, make_user

STRONG = "Lantern-harbour-Quietly-49"


def _path(message, route: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"https?://[^/\s]+(/{route}/\S+)", body).group(1)


def test_forgot_password_answers_the_same_whether_or_not_the_address_exists(client, outbox):
    make_user(email="known@example.org")
    db.session.commit()
    pages, locations = [], []
    for email in ("known@example.org", "nobody@example.org"):
        response = client.post("/forgot-password", data={"email": email})
        assert response.status_code == 302
        locations.append(response.headers["Location"])
        pages.append(client.get(response.headers["Location"]).get_data(as_text=True))
    assert locations[0] == locations[1]
    flashes = pages
    normalised = [re.sub(r"\S+@example\.org", "ADDRESS", page) for page in flashes]
    assert normalised[0] == normalised[1] and "If an active account uses" in normalised[0]
    assert [m["To"] for m in outbox.refresh()] == ["known@example.org"]


def test_a_reset_link_sets_a_new_password_once_and_signs_other_devices_out(app, client, outbox):
    make_user(roles=("trainer",), email="known@example.org")
    db.session.commit()
    other_device = app.test_client()
    other_device.post("/login", data={"email": "known@example.org", "password": PASSWORD})
    client.post("/forgot-password", data={"email": "Known@Example.org"})
    path = _path(outbox.refresh()[-1], "reset-password")
    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": STRONG, "confirm": STRONG})
    assert response.status_code == 302
    assert client.get(path).status_code == 410  # used once
    assert other_device.get("/profile").status_code == 302
    assert (
        app.test_client()
        .post("/login", data={"email": "known@example.org", "password": STRONG})
        .status_code
        == 302
    )


def test_a_deactivated_account_gets_no_reset_link(client, outbox):
    make_user(email="gone@example.org", active=False)
    db.session.commit()
    client.post("/forgot-password", data={"email": "gone@example.org"})
    assert outbox.refresh() == []


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-pw", "at least 12 characters"),
        ("password1234", "too easy to guess"),
        ("qwertyuiop123", "too easy to guess"),
        ("known@example.org", "too easy to guess"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason_next_to_the_field(
    client, login, password, reason
):
    login(make_user(email="known@example.org"))
    db.session.commit()
    response = client.post(
        "/profile/password",
        data={"current_password": PASSWORD, "password": password, "confirm": password},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    field = page.split('id="password"', 1)[1].split("</div>", 1)[0]
    assert reason in field


def test_service_rules_refuse_common_passwords(app):
    with pytest.raises(services.AccountError, match="too easy to guess"):
        services.create_user("x@example.org", "X", {"trainer"}, "password1234")
    assert services.password_problem(STRONG) is None


def test_unknown_and_known_emails_cost_one_password_hash_each(app, monkeypatch):
    """The timing oracle: today an unknown email answers without hashing at all."""
    known = make_user(email="known@example.org")
    known.set_password(PASSWORD)  # hashed as the app hashes (test accounts share a quick hash)
    db.session.commit()
    calls = []
    import werkzeug.security

    real = werkzeug.security.check_password_hash

    def counting(stored, password):
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(services, "check_password_hash", counting)
    monkeypatch.setattr("app.accounts.models.check_password_hash", counting)
    for email in ("known@example.org", "nobody@example.org"):
        calls.clear()
        assert services.authenticate(email, "wrong password") is None
        assert len(calls) == 1, email
        assert calls[0].split("$")[0] == known.password_hash.split("$")[0]


@pytest.fixture
def app_overrides():
    return {
        "RATELIMIT_ENABLED": True,
        "LOGIN_ACCOUNT_LIMIT": "3 per minute",
        "LOGIN_ADDRESS_LIMIT": "6 per minute",
    }


def test_failed_logins_are_throttled_per_account_with_a_time_to_wait(client):
    make_user(email="target@example.org")
    db.session.commit()
    for _ in range(3):
        response = client.post("/login", data={"email": "target@example.org", "password": "x"})
        assert response.status_code == 200
    response = client.post("/login", data={"email": "TARGET@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Wait 1 minute and try again" in response.get_data(as_text=True)
    # Another account from the same address is not locked by the first one's limit.
    make_user(email="other@example.org")
    db.session.commit()
    assert (
        client.post("/login", data={"email": "other@example.org", "password": PASSWORD}).status_code
        == 302
    )


def test_successful_logins_do_not_use_up_the_account_limit(app, client):
    make_user(email="busy@example.org")
    db.session.commit()
    for _ in range(4):
        device = app.test_client()
        assert (
            device.post(
                "/login", data={"email": "busy@example.org", "password": PASSWORD}
            ).status_code
            == 302
        )


def test_logins_are_throttled_per_client_address(client):
    for n in range(6):
        client.post("/login", data={"email": f"guess{n}@example.org", "password": "x"})
    response = client.post("/login", data={"email": "guess9@example.org", "password": "x"})
    assert response.status_code == 429 and "Too many sign-in attempts" in response.get_data(
        as_text=True
    )


def test_a_reset_link_names_the_platform_not_the_host_the_request_claimed(app, client, outbox):
    make_user(email="known@example.org")
    db.session.commit()
    client.post(
        "/forgot-password",
        data={"email": "known@example.org"},
        headers={"Host": "evil.example"},
    )
    body = outbox.refresh()[-1].get_body().get_content()
    assert "evil.example" not in body
    assert f"{app.config['PUBLIC_BASE_URL']}/reset-password/" in body
