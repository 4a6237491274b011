from flask import Blueprint

bp = Blueprint("attendance", __name__)

from app.attendance import merging, views  # noqa: E402, F401  (routes, merge receivers attach)
