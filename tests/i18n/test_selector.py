"""Which language a page speaks: cookie, then profile, then Accept-Language, then English."""

import re

import pytest
from werkzeug.datastructures import LanguageAccept

from app.enrolment.services import invite_participant
from app.extensions import db
from app.shared.i18n import COOKIE, choose_locale
from tests import factories

LANGUAGES = ("en", "fr", "es", "ar")


def _html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


def test_the_choice_goes_cookie_then_profile_then_browser_then_english():
    browser = LanguageAccept([("es", 1), ("en", 0.5)])
    assert choose_locale("ar", "fr", browser, LANGUAGES) == "ar"
    assert choose_locale(None, "fr", browser, LANGUAGES) == "fr"
    assert choose_locale(None, None, browser, LANGUAGES) == "es"
    assert choose_locale(None, None, LanguageAccept([("de", 1)]), LANGUAGES) == "en"
    assert choose_locale(None, None, None, LANGUAGES) == "en"


def test_an_unsupported_cookie_or_profile_is_skipped():
    browser = LanguageAccept([("fr-CA", 1)])
    assert choose_locale("xx", "de", browser, LANGUAGES) == "fr"


def test_a_browser_in_arabic_gets_arabic_right_to_left(client):
    response = client.get("/login", headers={"Accept-Language": "ar-JO,ar;q=0.9,en;q=0.5"})
    assert _html_tag(response) == '<html lang="ar" dir="rtl">'


def test_no_preference_at_all_is_english(client):
    assert _html_tag(client.get("/login")) == '<html lang="en" dir="ltr">'


@pytest.mark.parametrize(
    ("code", "direction"), [("en", "ltr"), ("fr", "ltr"), ("es", "ltr"), ("ar", "rtl")]
)
def test_each_language_sets_lang_and_dir(client, code, direction):
    client.post("/language", data={"language": code, "next": "/login"})
    assert _html_tag(client.get("/login")) == f'<html lang="{code}" dir="{direction}">'


def test_the_switch_overrides_the_browser_and_returns_to_the_page(client):
    response = client.post("/language", data={"language": "es", "next": "/verify?code=AB12"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/verify?code=AB12"
    cookie = client.get_cookie(COOKIE)
    assert cookie.value == "es"
    assert cookie.http_only
    page = client.get("/login", headers={"Accept-Language": "ar"})
    assert _html_tag(page) == '<html lang="es" dir="ltr">'


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil", ""])
def test_the_switch_never_leaves_the_site(client, target):
    response = client.post("/language", data={"language": "fr", "next": target})
    assert response.headers["Location"] == "/"


def test_an_unknown_language_is_refused(client):
    response = client.post("/language", data={"language": "xx", "next": "/"})
    assert response.status_code == 400
    assert client.get_cookie(COOKIE) is None


def test_the_signed_in_users_preference_beats_the_browser_but_not_the_switch(client, login):
    login(factories.make_user(roles=("participant",), language="fr"))
    assert 'lang="fr"' in _html_tag(client.get("/profile", headers={"Accept-Language": "es"}))
    client.post("/language", data={"language": "ar", "next": "/"})
    assert 'lang="ar"' in _html_tag(client.get("/profile", headers={"Accept-Language": "es"}))


def test_a_person_saves_a_language_on_the_profile_and_pages_speak_it(client, login):
    user = factories.make_user(roles=("participant",))
    login(user)
    client.post("/language", data={"language": "es", "next": "/"})
    response = client.post("/profile", data={"language": "ar"}, follow_redirects=True)
    assert _html_tag(response) == '<html lang="ar" dir="rtl">'
    assert "تم حفظ اللغة." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.language == "ar"
    # A new browser, with no switch cookie, still gets the saved language.
    client.delete_cookie(COOKIE)
    assert _html_tag(client.get("/profile", headers={"Accept-Language": "fr"})).startswith(
        '<html lang="ar"'
    )


def test_leaving_the_language_to_the_browser(client, login):
    user = factories.make_user(roles=("participant",), language="fr")
    login(user)
    client.post("/profile", data={"language": ""})
    db.session.refresh(user)
    assert user.language is None
    assert client.get_cookie(COOKIE) is None
    assert 'lang="es"' in _html_tag(client.get("/profile", headers={"Accept-Language": "es"}))


def test_the_profile_refuses_a_language_without_a_catalogue(client, login):
    user = factories.make_user(roles=("participant",))
    login(user)
    client.post("/profile", data={"language": "de"})
    db.session.refresh(user)
    assert user.language is None
    with pytest.raises(ValueError, match="unsupported language"):
        user.language = "pt"


def test_an_account_made_for_a_participant_takes_the_records_language(app):
    spanish = factories.make_participant(email="ana@example.org", preferred_language="es")
    portuguese = factories.make_participant(email="joao@example.org", preferred_language="pt")
    invite_participant(spanish)
    invite_participant(portuguese)
    assert spanish.user.language == "es"
    assert portuguese.user.language is None
