"""Forms for signing in, setting passwords and administering accounts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.accounts.focal_points import focal_point_choices
from app.accounts.labels import ROLE_LABELS
from app.accounts.services import MIN_PASSWORD_LENGTH, password_problem
from app.shared.agency_types import AGENCY_LABELS
from app.shared.countries import country_choices
from app.shared.forms import MultiCheckboxField, choices
from app.shared.i18n import language_choices


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Log in"))


class StrongPassword:
    """Put the reason a password is refused (length, common, guessable) next to its field."""

    def __init__(self, *user_fields: str):
        self.user_fields = user_fields

    def __call__(self, form, field) -> None:
        """Raise with the reason, using the form's own values (email, name) as things to avoid."""
        if not field.data:
            return
        inputs = tuple(getattr(form, name).data or "" for name in self.user_fields)
        inputs += tuple(getattr(form, "known_inputs", ()))
        problem = password_problem(field.data, inputs)
        if problem:
            raise ValidationError(problem)


PASSWORD_HINT = _l(
    "At least %(n)d characters, not a common password: a few uncommon words together work well.",
    n=MIN_PASSWORD_LENGTH,
)


class SetPasswordForm(FlaskForm):
    """Choose a password through a one-time link (invitation or reset)."""

    password = PasswordField(
        _l("New password"), validators=[DataRequired(), StrongPassword()], description=PASSWORD_HINT
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Set password"))


class ChangePasswordForm(SetPasswordForm):
    """Change one's own password; the current one proves it is the owner at the keyboard."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    submit = SubmitField(_l("Change password"))


class ChangeEmailForm(FlaskForm):
    """Ask for a new login email; it takes effect once the link sent to it is followed."""

    email = EmailField(_l("New email"), validators=[DataRequired(), Email(), Length(max=254)])
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    submit = SubmitField(_l("Send the confirmation link"))


class ForgotPasswordForm(FlaskForm):
    """The address to send a reset link to."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send the link"))


class UserForm(FlaskForm):
    """An administrator creates or edits an account."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    roles = MultiCheckboxField(
        _l("Roles"), choices=choices((code.value, label) for code, label in ROLE_LABELS.items())
    )
    password = PasswordField(
        _l("Password"),
        validators=[StrongPassword("email", "name")],
        description=_l(
            "At least %(n)d characters, not a common password. Leave empty to keep the current "
            "password.",
            n=MIN_PASSWORD_LENGTH,
        ),
    )
    active = BooleanField(_l("Account active"), default=True)
    focal_countries = SelectMultipleField(
        _l("Countries the focal point nominates for"),
        description=_l("Hold Ctrl (or ⌘) to choose several."),
    )
    focal_agency_types = MultiCheckboxField(
        _l("Agency types (none chosen: every agency of those countries)"),
        choices=choices(AGENCY_LABELS.items()),
    )
    deputy_of = SelectField(
        _l("Deputy of"),
        coerce=lambda value: int(value) if value else None,
        description=_l(
            "A deputy acts with exactly the countries and agency types of the focal point "
            "they stand in for: leave both empty for a deputy."
        ),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, user_id: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.focal_countries.choices = choices(country_choices())
        principals = [(str(pk), label) for pk, label in focal_point_choices() if pk != user_id]
        self.deputy_of.choices = choices(
            [("", _l("Nobody: a focal point in their own right")), *principals]
        )

    def validate_roles(self, field) -> None:
        """Require at least one role so that the account can do something."""
        if not field.data:
            raise ValidationError(_l("Choose at least one role."))


class ApiTokenForm(FlaskForm):
    """A manager names a new API token."""

    label = StringField(_l("What is this token for?"), validators=[DataRequired(), Length(max=100)])
    submit = SubmitField(_l("Create token"))


class LanguageForm(FlaskForm):
    """A person chooses the language of their pages and emails, or leaves it to the browser."""

    language = SelectField(_l("Language of pages and emails"))
    submit = SubmitField(_l("Save language"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each language is named in itself, so a reader finds theirs whatever the page speaks.
        self.language.choices = [("", _l("As my browser asks")), *language_choices()]


class ConfirmForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change state."""

    submit = SubmitField(_l("Confirm"))
