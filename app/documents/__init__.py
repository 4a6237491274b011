"""Rendered documents (board report, sign-in sheets): asked for in a request, made by a worker."""

from flask import Blueprint

bp = Blueprint("documents", __name__)

from app.documents import views  # noqa: E402, F401  (routes attach to bp on import)
