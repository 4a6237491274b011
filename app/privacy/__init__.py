"""The privacy rights of the people in the platform: their data export, erasure, retention."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

from app.privacy import views  # noqa: E402, F401  (routes attach to bp on import)
