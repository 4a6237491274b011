from flask import Blueprint

bp = Blueprint("certificates", __name__)

from app.certificates import merging, views  # noqa: E402, F401  (routes, merge receivers attach)
