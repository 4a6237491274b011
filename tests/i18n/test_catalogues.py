"""Pages speak the chosen language, and counts follow each language's plural rules."""

import pytest
from flask_babel import force_locale, ngettext

from tests import factories

ATTEMPTS = "Too many sign-in attempts. Wait %(num)d minute and try again."
ATTEMPTS_PLURAL = "Too many sign-in attempts. Wait %(num)d minutes and try again."

PLURALS = {
    "ar": {
        0: "انتظر 0 دقيقة ثم",
        1: "انتظر دقيقة واحدة ثم",
        2: "انتظر دقيقتين ثم",
        3: "انتظر 3 دقائق ثم",
        11: "انتظر 11 دقيقةً ثم",
        100: "انتظر 100 دقيقة ثم",
    },
    "fr": {
        0: "Patientez 0 minute et",
        1: "Patientez 1 minute et",
        2: "Patientez 2 minutes et",
        3: "Patientez 3 minutes et",
        11: "Patientez 11 minutes et",
        100: "Patientez 100 minutes et",
    },
    "es": {
        0: "Espere 0 minutos y",
        1: "Espere 1 minuto y",
        2: "Espere 2 minutos y",
        3: "Espere 3 minutos y",
        11: "Espere 11 minutos y",
        100: "Espere 100 minutos y",
    },
}


@pytest.mark.parametrize("language", sorted(PLURALS))
@pytest.mark.parametrize("count", [0, 1, 2, 3, 11, 100])
def test_counts_take_the_languages_plural_form(app, language, count):
    with app.test_request_context(), force_locale(language):
        text = ngettext(ATTEMPTS, ATTEMPTS_PLURAL, count)
    assert PLURALS[language][count] in text


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [
        ("fr", "Se connecter", "Mot de passe oublié ?"),
        ("es", "Iniciar sesión", "¿Ha olvidado su contraseña?"),
        ("ar", "تسجيل الدخول", "هل نسيت كلمة المرور؟"),
    ],
)
def test_the_login_page_is_translated(client, language, heading, button):
    client.post("/language", data={"language": language, "next": "/"})
    page = client.get("/login").get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in page
    assert button in page
    assert "Log in" not in page and "Forgot your password?" not in page


def test_an_error_page_in_arabic(client):
    client.post("/language", data={"language": "ar", "next": "/"})
    response = client.get("/no-such-page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in page
    assert "<h1>الصفحة غير موجودة</h1>" in page
    assert "الانتقال إلى الصفحة الرئيسية" in page


def test_a_wrong_password_flash_in_spanish(client):
    user = factories.make_user(roles=("participant",))
    client.post("/language", data={"language": "es", "next": "/"})
    page = client.post(
        "/login", data={"email": user.email, "password": "not the password"}
    ).get_data(as_text=True)
    assert "El correo electrónico o la contraseña no son correctos" in page


def test_the_public_verification_page_in_french(client):
    client.post("/language", data={"language": "fr", "next": "/"})
    page = client.get("/verify").get_data(as_text=True)
    assert "<h1>Vérifier un certificat</h1>" in page
    assert "Numéro du certificat ou code de vérification" in page
