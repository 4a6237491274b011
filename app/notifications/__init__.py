from flask import Blueprint

bp = Blueprint("notifications", __name__)

from app.notifications import views  # noqa: E402, F401  (routes attach to bp on import)
