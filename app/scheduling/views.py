"""HTTP views of the scheduling domain."""

from app.scheduling import bp  # noqa: F401
