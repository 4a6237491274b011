"""HTTP views of the enrolment domain."""

from app.enrolment import bp  # noqa: F401
