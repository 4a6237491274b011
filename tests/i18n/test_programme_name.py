"""The footer's programme name: the default through the catalogues, or the deployment's."""

from flask_babel import force_locale
from markupsafe import escape

from app.config import DEFAULT_PROGRAMME_NAME, load_environment, programme_name

DEFAULT = "Capacity-Building Programme on Online Child Sexual Exploitation"


def _footer(client, language: str) -> str:
    client.set_cookie("language", language)
    return client.get("/login").get_data(as_text=True)


def test_without_a_setting_the_default_name_goes_through_the_catalogue(app, client):
    assert DEFAULT in _footer(client, "en")
    for language in ("fr", "es", "ar"):
        with app.test_request_context(), force_locale(language):
            translated = str(DEFAULT_PROGRAMME_NAME)
        # The catalogue's name is shown (HTML-escaped, as a French apostrophe is).
        assert escape(translated) in _footer(client, language)
    with app.test_request_context(), force_locale("en"):
        assert programme_name({}, "en") == DEFAULT


def test_a_deployment_names_the_programme_once_or_per_language(app, client):
    app.config["PROGRAMME_NAME"] = "Northbridge Academy Programme"
    app.config["PROGRAMME_NAME_FR"] = "Programme de l’Académie de Northbridge"
    assert "Programme de l’Académie de Northbridge" in _footer(client, "fr")
    spanish = _footer(client, "es")
    assert "Northbridge Academy Programme" in spanish and DEFAULT not in spanish


def test_per_language_names_are_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PROGRAMME_NAME_AR", "برنامج بناء القدرات")
    config = {"LANGUAGES": ("en", "ar")}
    load_environment(config, tmp_path)
    assert programme_name(config, "ar") == "برنامج بناء القدرات"
    assert programme_name(config, "en") == DEFAULT
