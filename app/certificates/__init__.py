from flask import Blueprint

bp = Blueprint("certificates", __name__)

from app.certificates import views  # noqa: E402, F401  (routes attach to bp on import)
