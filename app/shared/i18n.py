"""Which language a page speaks: the explicit choice, the profile, the browser, English.

Adding a language is adding its catalogue under app/translations/ and its code to LANGUAGES.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import timedelta

from babel import Locale
from flask import Response, current_app, has_request_context, request
from flask_babel import force_locale, get_locale
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept

COOKIE = "language"
COOKIE_MAX_AGE = timedelta(days=365)


def supported() -> tuple[str, ...]:
    """Return the interface languages this deployment has catalogues for."""
    return tuple(current_app.config["LANGUAGES"])


def default_language() -> str:
    """Return the language of readers who chose none and of work done outside a request."""
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "en")


def supported_language(*codes: str | None) -> str | None:
    """Return the first code the platform has a catalogue for, or None (a record's 'pt' is not)."""
    languages = supported()
    return next((code for code in codes if code and code in languages), None)


def choose_locale(
    chosen: str | None,
    profile: str | None,
    accept: LanguageAccept | None,
    languages: tuple[str, ...],
    default: str = "en",
) -> str:
    """Return the first supported of: the explicit choice, the profile, the browser's list."""
    for candidate in (chosen, profile):
        if candidate and candidate in languages:
            return candidate
    if accept is not None:
        return accept.best_match(languages) or default
    return default


def select_locale() -> str:
    """Flask-Babel's locale selector; CLI commands and jobs without a request get the default."""
    default = default_language()
    if not has_request_context():
        return default
    profile = None
    if current_user and current_user.is_authenticated:
        profile = current_user.language
    return choose_locale(
        request.cookies.get(COOKIE), profile, request.accept_languages, supported(), default
    )


def speaking(code: str | None) -> AbstractContextManager[None]:
    """Speak this language for a while (None: the browser's), e.g. to confirm a new choice in it."""
    return force_locale(choose_locale(code, None, request.accept_languages, supported()))


def text_direction(locale: str | Locale | None = None) -> str:
    """Return 'rtl' or 'ltr' for the locale (the current one by default), as <html dir> wants."""
    parsed = Locale.parse(locale or get_locale() or "en")
    return "rtl" if parsed.text_direction == "rtl" else "ltr"


# CLDR names these two by their country alone; their speakers write the language's full name.
OWN_NAMES = {"id": "Bahasa Indonesia", "ms": "Bahasa Melayu"}


def _capitalised(name: str | None, code: str) -> str:
    """Return the name with a capital first letter, as a label starts (the code if unnamed)."""
    return name[:1].upper() + name[1:] if name else code


def language_name(code: str) -> str:
    """Return a language's name in the interface language (French, francés, …), from CLDR."""
    locale = get_locale()
    return _capitalised(locale.languages.get(code) if locale is not None else None, code)


def own_language_name(code: str) -> str:
    """Return a language's name written in that language (Français, العربية), from CLDR."""
    return OWN_NAMES.get(code) or _capitalised(Locale.parse(code).language_name, code)


def language_choices() -> list[tuple[str, str]]:
    """Return each supported language with its name written in that language (Français, عربي)."""
    return [(code, own_language_name(code)) for code in supported()]


def remember_choice(response: Response, code: str | None) -> Response:
    """Keep the visitor's explicit choice in a long-lived cookie that scripts cannot read.

    No code forgets the choice, so the profile's preference or the browser's list decides.
    """
    if not code:
        response.delete_cookie(COOKIE, samesite="Lax", httponly=True)
        return response
    response.set_cookie(
        COOKIE,
        code,
        max_age=int(COOKIE_MAX_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response
