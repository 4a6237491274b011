"""Nominations through national focal points: calls, nominees, vetting and the decision."""

from flask import Blueprint

bp = Blueprint("nominations", __name__)

from app.nominations import focal_views, merging, nominee_views, report_views, views  # noqa: E402, F401
