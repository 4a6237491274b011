from flask import Blueprint

bp = Blueprint("credentials", __name__)

from app.credentials import receivers, views  # noqa: E402, F401  (routes and receivers attach)
