from flask import Blueprint

bp = Blueprint("scheduling", __name__)

from app.scheduling import views  # noqa: E402, F401  (routes attach to bp on import)
