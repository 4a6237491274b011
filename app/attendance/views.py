"""HTTP views of the attendance domain."""

from app.attendance import bp  # noqa: F401
