"""HTTP views of the curriculum domain."""

from app.curriculum import bp  # noqa: F401
