from flask import Blueprint

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")

from app.evaluation import views  # noqa: E402, F401  (routes attach to bp on import)
