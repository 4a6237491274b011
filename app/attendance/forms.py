"""Forms of the attendance domain: taps on the roll call, uploads, completion and overrides."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from app.attendance.labels import STATUS_LABELS
from app.attendance.models import AttendanceStatus
from app.shared.forms import choices


class MarkForm(FlaskForm):
    """One tap: a person's status on a day (the roll call renders the buttons itself)."""

    status = SelectField(_l("Status"), choices=choices(STATUS_LABELS.items()))


class MarkAllForm(FlaskForm):
    """Give everyone still unmarked (or everyone, with overwrite) the same status."""

    status = SelectField(
        _l("Status"),
        choices=choices(STATUS_LABELS.items()),
        default=AttendanceStatus.PRESENT.value,
    )
    overwrite = BooleanField(_l("Also change people already marked"))


class UploadForm(FlaskForm):
    """A CSV of a roll call taken on paper."""

    file = FileField(
        _l("Attendance file (.csv or .xlsx)"),
        validators=[
            FileRequired(_l("Choose a CSV or XLSX file.")),
            FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
        ],
    )
    submit = SubmitField(_l("Check the file"))


class UploadConfirmForm(FlaskForm):
    """Name the checked file, kept on the server, so that it is validated again and recorded."""

    token = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{20,80}$")])
    submit = SubmitField(_l("Record this attendance"))


class CompleteForm(FlaskForm):
    """Confirm closing the session with the decisions shown."""

    submit = SubmitField(_l("Complete the session"))


class OverrideForm(FlaskForm):
    """A trainer's decision for one person, with the mandatory reason."""

    completed = RadioField(
        _l("Decision"),
        choices=choices([("yes", _l("Completed")), ("no", _l("Not completed"))]),
        validators=[InputRequired(_l("Choose completed or not completed."))],
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Give a reason; it is kept in the record.")),
            Length(max=2000),
        ],
        description=_l("Kept in the participant's record with your name and the date."),
    )
    submit = SubmitField(_l("Save the decision"))
