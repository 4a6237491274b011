"""Forms of the reporting domain."""

from flask_wtf import FlaskForm


class TargetsForm(FlaskForm):
    """The target list; the checkboxes are rendered by region in the template (CSRF here)."""


class ConfirmForm(FlaskForm):
    """An empty form that only carries the CSRF token of a confirmation button."""
