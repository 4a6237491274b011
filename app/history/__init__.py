from flask import Blueprint, current_app, request

bp = Blueprint("history", __name__)

# Multipart framing and the form's other fields, on top of the file itself.
FORM_OVERHEAD = 1024 * 1024


def _accept_large_history_files() -> None:
    """Let the history upload, and only it, be larger than MAX_CONTENT_LENGTH."""
    if request.endpoint == "history.import_upload":
        request.max_content_length = current_app.config["HISTORY_IMPORT_MAX_BYTES"] + FORM_OVERHEAD


# First among the app's before-request functions: CSRF protection reads the form, and with it
# the body, before any blueprint's own function runs.
bp.record_once(
    lambda state: state.app.before_request_funcs.setdefault(None, []).insert(
        0, _accept_large_history_files
    )
)

from app.history import views  # noqa: E402, F401  (routes attach to bp on import)
