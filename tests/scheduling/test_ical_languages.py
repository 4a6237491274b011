"""Calendar texts speak the subscriber's language (a feed has no cookie) or the requester's."""

import re

import pytest

from app.extensions import db
from tests import factories


def _unfold(body: str) -> str:
    return body.replace("\r\n ", "")


def _feed_path(client, login, user) -> str:
    login(user)
    page = client.post("/my-calendar").get_data(as_text=True)
    client.post("/logout")
    return re.search(r'value="http://localhost(/calendar/[^"]+\.ics)"', page).group(1)


@pytest.mark.parametrize(
    ("language", "feed_name", "country", "delivered_in"),
    [
        ("fr", "Mes formations", "Égypte", "Arabe"),
        ("es", "Mis formaciones", "Egipto", "Árabe"),
        ("ar", "تدريباتي", "مصر", "العربية"),
    ],
)
def test_a_feed_speaks_its_subscribers_language_without_a_cookie(
    app, client, login, language, feed_name, country, delivered_in
):
    user = factories.make_user(roles=("trainer",), language=language)
    factories.make_training_session(
        trainers=[user], code="CAI-2026-EG-01", host_country="EG", city="Cairo", language="ar"
    )
    db.session.commit()
    path = _feed_path(client, login, user)
    body = _unfold(app.test_client().get(path, headers={"Accept-Language": "en"}).get_data(True))
    assert f"X-WR-CALNAME:{feed_name}\r\n" in body
    assert "My trainings" not in body
    location = re.search(r"LOCATION:(.*)\r\n", body).group(1)
    assert location.endswith(country) and "Egypt\\," not in location
    description = re.search(r"DESCRIPTION:(.*)\r\n", body).group(1)
    assert delivered_in in description and "CAI-2026-EG-01" in description


def test_a_feed_without_a_saved_language_follows_the_calendar_apps(app, client, login):
    user = factories.make_user(roles=("trainer",), language=None)
    factories.make_training_session(trainers=[user], host_country="EG", city="Cairo")
    db.session.commit()
    path = _feed_path(client, login, user)
    body = app.test_client().get(path, headers={"Accept-Language": "fr"}).get_data(True)
    assert "X-WR-CALNAME:Mes formations" in body


def test_an_ics_download_speaks_the_requesters_language(client, as_role):
    factories.make_training_session(
        status="open", code="CAI-2026-EG-02", host_country="EG", city="Cairo", language="fr"
    )
    db.session.commit()
    as_role("participant")
    client.set_cookie("language", "ar")
    body = _unfold(client.get("/training-sessions/open.ics").get_data(as_text=True))
    assert "مصر" in body and "Egypt" not in body
    assert "الفرنسية" in body  # the language of delivery, named in Arabic
    assert "UID:CAI-2026-EG-02@training-platform" in body  # codes stay as they are
