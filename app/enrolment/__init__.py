from flask import Blueprint

bp = Blueprint("enrolment", __name__)

from app.enrolment import views  # noqa: E402, F401  (routes attach to bp on import)
