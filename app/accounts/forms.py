"""Forms for signing in, setting passwords and administering accounts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.accounts.models import RoleCode
from app.shared.forms import MultiCheckboxField, choices

ROLE_LABELS = {
    RoleCode.ADMIN: _l("Administrator"),
    RoleCode.MANAGER: _l("Programme manager"),
    RoleCode.TRAINER: _l("Trainer"),
    RoleCode.PARTICIPANT: _l("Participant"),
}


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Log in"))


class SetPasswordForm(FlaskForm):
    """Choose a password through a one-time invitation link."""

    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Set password"))


class UserForm(FlaskForm):
    """An administrator creates or edits an account."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    roles = MultiCheckboxField(
        _l("Roles"), choices=choices((code.value, label) for code, label in ROLE_LABELS.items())
    )
    password = PasswordField(
        _l("Password"),
        description=_l("At least 10 characters. Leave empty to keep the current password."),
    )
    active = BooleanField(_l("Account active"), default=True)
    submit = SubmitField(_l("Save"))

    def validate_roles(self, field) -> None:
        """Require at least one role so that the account can do something."""
        if not field.data:
            raise ValidationError(_l("Choose at least one role."))


class ApiTokenForm(FlaskForm):
    """A manager names a new API token."""

    label = StringField(_l("What is this token for?"), validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("Create token"))


class ConfirmForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change state."""

    submit = SubmitField(_l("Confirm"))
