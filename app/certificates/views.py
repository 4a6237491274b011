"""HTTP views of the certificates domain."""

from app.certificates import bp  # noqa: F401
