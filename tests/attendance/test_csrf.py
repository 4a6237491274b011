import re

import pytest

from app.extensions import db
from tests.attendance.helpers import make_session


@pytest.fixture
def app_overrides():
    return {"WTF_CSRF_ENABLED": True}


def test_taps_carry_the_page_csrf_token(client, login, trainer):
    login(trainer)
    ts, (first, *_rest) = make_session(2, trainer=trainer)
    db.session.commit()
    url = f"/training-sessions/{ts.id}/attendance/{ts.start_date.isoformat()}"
    html = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    refused = client.post(f"{url}/{first.id}", data={"status": "present"})
    assert refused.status_code == 400
    accepted = client.post(
        f"{url}/{first.id}",
        data={"status": "present", "csrf_token": token},
        headers={"Accept": "application/json"},
    )
    assert accepted.status_code == 200 and accepted.json["counts"]["present"] == 1
