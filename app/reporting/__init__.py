from flask import Blueprint

bp = Blueprint("reporting", __name__)

from app.reporting import audit_views, views  # noqa: E402, F401  (routes attach on import)

# The audit page keeps its own blueprint (endpoints audit.*), registered along with this one.
bp.record_once(lambda state: state.app.register_blueprint(audit_views.bp))
