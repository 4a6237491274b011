from flask import Blueprint

bp = Blueprint("history", __name__)

from app.history import views  # noqa: E402, F401  (routes attach to bp on import)
