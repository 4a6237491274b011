from flask import Blueprint

bp = Blueprint("audit", __name__)

from app.audit import views  # noqa: E402, F401  (routes attach to bp on import)
