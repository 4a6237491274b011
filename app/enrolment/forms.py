"""Forms for the people directory, enrolment decisions, uploads and merges."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from app.enrolment.labels import AGENCY_LABELS, GENDER_LABELS, LANGUAGES
from app.shared.countries import country_choices
from app.shared.forms import choices


class ParticipantForm(FlaskForm):
    """A person in the directory."""

    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("Exactly as it must appear on certificates, in any script."),
        render_kw={"dir": "auto", "autocomplete": "off"},
    )
    latin_name = StringField(
        _l("Name in Latin letters"),
        validators=[Optional(), Length(max=200)],
        description=_l("Optional transliteration, used for searching and sorting."),
        render_kw={"autocomplete": "off"},
    )
    email = EmailField(
        _l("Email"),
        validators=[Optional(), Email(), Length(max=254)],
        description=_l("Optional. Needed for an account and for notifications."),
    )
    country_code = SelectField(_l("Country of service"), validators=[DataRequired()])
    organisation = StringField(
        _l("Organisation"), validators=[Optional(), Length(max=200)], render_kw={"dir": "auto"}
    )
    agency_type = SelectField(_l("Agency type"), validators=[DataRequired()])
    job_title = StringField(
        _l("Job title or rank"),
        validators=[Optional(), Length(max=200)],
        render_kw={"dir": "auto"},
    )
    gender = SelectField(
        _l("Gender"),
        validators=[Optional()],
        description=_l("Optional; only used for programme reporting."),
    )
    preferred_language = SelectField(_l("Preferred language"), validators=[Optional()])
    supervisor_name = StringField(
        _l("Supervisor's name"),
        validators=[Optional(), Length(max=200)],
        render_kw={"dir": "auto", "autocomplete": "off"},
    )
    supervisor_email = EmailField(
        _l("Supervisor's email"),
        validators=[Optional(), Email(), Length(max=254)],
        description=_l(
            "Optional. The follow-ups 3 and 6 months after a course also ask the supervisor, "
            "by a private link, how the person applies it; their answers are not anonymous."
        ),
    )
    invite = BooleanField(_l("Send an invitation to create a participant account"))
    confirm_duplicate = BooleanField(_l("This is a different person; save anyway"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_code.choices = choices([("", _l("Choose a country…")), *country_choices()])
        self.agency_type.choices = choices(AGENCY_LABELS.items())
        self.gender.choices = choices([("", _l("Not given")), *GENDER_LABELS.items()])
        self.preferred_language.choices = choices([("", _l("Not given")), *LANGUAGES.items()])

    def participant_data(self) -> dict:
        """Return the person's fields as the services expect them."""
        return {
            "full_name": self.full_name.data,
            "latin_name": self.latin_name.data,
            "email": self.email.data,
            "country_code": self.country_code.data,
            "organisation": self.organisation.data or "",
            "agency_type": self.agency_type.data,
            "job_title": self.job_title.data or "",
            "gender": self.gender.data,
            "preferred_language": self.preferred_language.data,
            "supervisor_name": self.supervisor_name.data,
            "supervisor_email": self.supervisor_email.data,
        }


class ReasonForm(FlaskForm):
    """An optional reason for declining or withdrawing."""

    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Confirm"))


class UploadForm(FlaskForm):
    """A participant list as CSV or XLSX."""

    file = FileField(
        _l("Participant list (.csv or .xlsx)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
        ],
    )
    submit = SubmitField(_l("Check the file"))


class ConfirmUploadForm(FlaskForm):
    """Apply a previewed upload."""

    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Enrol these people"))


class MergeForm(FlaskForm):
    """Merge two records of one person, keeping one of them."""

    other_id = HiddenField(validators=[DataRequired()])
    keep = RadioField(
        _l("Keep which record?"),
        choices=choices([("this", _l("This record")), ("other", _l("The other record"))]),
        default="this",
    )
    submit = SubmitField(_l("Merge the two records"))
