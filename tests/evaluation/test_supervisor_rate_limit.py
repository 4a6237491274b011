"""Guessing supervisor links is slowed: the no-login page is rate-limited per client."""

import pytest


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": True, "SUPERVISOR_RATE_LIMIT": "3 per minute"}


def test_the_supervisor_answer_page_is_rate_limited(client):
    statuses = [client.get(f"/evaluation/follow-ups/guess{n}").status_code for n in range(4)]
    assert statuses == [404, 404, 404, 429]
