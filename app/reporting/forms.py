"""Forms of the reporting domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional


class TargetsForm(FlaskForm):
    """The target list; the checkboxes are rendered by region in the template (CSRF here)."""


class ConfirmForm(FlaskForm):
    """An empty form that only carries the CSRF token of a confirmation button."""


class AuditFilterForm(FlaskForm):
    """Who, which session, which action and when; every field may stay empty."""

    class Meta:
        """A GET form that changes nothing needs no CSRF token."""

        csrf = False

    person = StringField(
        _l("Person"),
        validators=[Optional(), Length(max=200)],
        description=_l("Name or email of who acted or whom it was about."),
    )
    session = StringField(
        _l("Session"), validators=[Optional(), Length(max=60)], description=_l("Code or number.")
    )
    action = SelectField(_l("Action"), validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
