from flask import Blueprint

bp = Blueprint("evaluation", __name__, url_prefix="/evaluation")

# Imported for their effects: the instruments check joins `flask courses sync`, the merge
# receiver connects, routes attach.
from app.evaluation import instruments, merging, views  # noqa: E402, F401
