from flask import Blueprint

bp = Blueprint("reporting", __name__)

from app.reporting import views  # noqa: E402, F401  (routes attach to bp on import)
