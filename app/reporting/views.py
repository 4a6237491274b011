"""HTTP views of the reporting domain."""

from app.reporting import bp  # noqa: F401
