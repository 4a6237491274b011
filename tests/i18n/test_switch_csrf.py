"""The language switch is a state-changing POST like any other: it needs the form's token."""

import pytest


@pytest.fixture
def app_overrides() -> dict:
    return {"WTF_CSRF_ENABLED": True}


def test_the_switch_without_a_csrf_token_is_refused(client):
    response = client.post("/language", data={"language": "fr", "next": "/"})
    assert response.status_code == 400
    assert client.get_cookie("language") is None
