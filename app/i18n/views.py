"""Switch the interface language and give every template the locale's name and direction."""

from urllib.parse import urlsplit

from flask import redirect, request, url_for
from flask_babel import get_locale, refresh
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from app.i18n import bp
from app.i18n.scripts import script_strings
from app.shared import i18n
from app.shared.urls import same_site_path


@bp.post("/language")
def switch_language() -> Response:
    """Remember the chosen language and go back to the page the visitor was on."""
    code = request.form.get("language", "")
    if code not in i18n.supported():
        raise BadRequest()
    target = same_site_path(request.form.get("next")) or url_for("accounts.home")
    return i18n.remember_choice(redirect(_with_its_query(target)), code)


def _with_its_query(path: str) -> str:
    """Return the page with the query it had, which the browser's same-origin Referer carries."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path == path and referrer.query:
        return same_site_path(f"{path}?{referrer.query}") or path
    return path


@bp.before_app_request
def _choose_language_afresh() -> None:
    """Forget a language cached in `g` by an earlier request that shared the app context."""
    refresh()


@bp.app_context_processor
def _locale_context() -> dict:
    """Expose the page language, its direction, the switch's choices and the scripts' strings."""
    locale = str(get_locale() or "en")
    return {
        "page_language": locale.replace("_", "-"),
        "page_direction": i18n.text_direction(locale),
        "language_choices": i18n.language_choices,
        "script_strings": script_strings,
    }
