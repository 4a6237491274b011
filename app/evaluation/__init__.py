from flask import Blueprint

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")

# Imported for their effects: the instruments check joins `flask courses sync`, routes attach.
from app.evaluation import instruments, views  # noqa: E402, F401
