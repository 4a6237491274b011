import pytest


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": True, "VERIFY_RATE_LIMIT": "3 per minute"}


def test_verify_pages_are_rate_limited(client):
    statuses = [client.get("/verify/unknown-code").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_api_is_rate_limited_with_json(client):
    statuses = [client.get("/api/v1/certificates/NOPE").status_code for _ in range(4)]
    assert statuses[-1] == 429
    assert client.get("/api/v1/certificates/NOPE").is_json


def test_the_limit_counts_once_across_the_verification_endpoints(client):
    """Alternating the form, the QR page and the API must not triple a client's allowance."""
    assert client.get("/verify/unknown-code").status_code == 404
    assert client.get("/api/v1/certificates/NOPE").status_code == 404
    assert client.post("/verify", data={"query": "NOPE"}).status_code == 302
    assert client.get("/verify/other-code").status_code == 429
    assert client.get("/api/v1/certificates/NOPE").status_code == 429
