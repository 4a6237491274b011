from flask import Blueprint

bp = Blueprint("curriculum", __name__)

from app.curriculum import views  # noqa: E402, F401  (routes attach to bp on import)
