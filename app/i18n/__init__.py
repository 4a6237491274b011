"""The language switch in every page's header."""

from flask import Blueprint

bp = Blueprint("i18n", __name__)

from app.i18n import views  # noqa: E402, F401  (attaches the routes)
