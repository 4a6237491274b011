from flask import Blueprint

bp = Blueprint("attendance", __name__)

from app.attendance import views  # noqa: E402, F401  (routes attach to bp on import)
