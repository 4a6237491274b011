"""Error pages that keep the site's layout, and JSON errors for the API."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from app.shared.converters import FieldRefused

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please go back and try again."),
    ),
    403: (_l("Access denied"), _l("Your account does not have permission to open this page.")),
    404: (_l("Not found"), _l("There is no page at this address, or you may not see it.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (
        _l("File too large"),
        _l("The uploaded file is larger than the platform accepts (32 MB)."),
    ),
    429: (
        _l("Too many requests"),
        _l("Too many requests were made in a short time. Wait a minute."),
    ),
    500: (
        _l("Something went wrong"),
        _l("The error has been logged. Please try again in a moment."),
    ),
}


def wants_json() -> bool:
    """Answer API clients in JSON and browsers with a page."""
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def init_app(app: Flask) -> None:
    """Register handlers for HTTP errors and unexpected exceptions."""

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        if exc.response is not None:  # a page already made for this error (a throttled login)
            return exc.response
        code = exc.code or 500
        title, text = MESSAGES.get(code, (exc.name, exc.description or ""))
        text = str(text)
        if code == 400 and exc.description and "CSRF" in exc.description:
            text = _("The form had expired. Please reload the page and submit it again.")
        if isinstance(exc, FieldRefused):
            text = exc.description  # names the field, already translated
        if wants_json():
            return {"error": str(title), "message": text}, code
        return render_template("errors/error.html", code=code, title=str(title), text=text), code
