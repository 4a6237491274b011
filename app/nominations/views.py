"""Pages for trainers and managers: open or edit a session's call, review its nominees."""

from app.nominations import bp  # noqa: F401
