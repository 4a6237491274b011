"""Forms for uploading a history file and confirming its import."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired, Regexp


class HistoryUploadForm(FlaskForm):
    """Choose a CSV or XLSX file of past trainings."""

    file = FileField(
        _l("File of past trainings"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], _l("Upload a .csv or .xlsx file.")),
        ],
        description=_l(
            "CSV (UTF-8) or XLSX (first sheet), one row per participant in one past session."
        ),
    )
    submit = SubmitField(_l("Check the file"))


class HistoryConfirmForm(FlaskForm):
    """Confirm the import of a file checked in the preview."""

    token = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{20,64}$")])
    submit = SubmitField(_l("Import"))


class CheckedImportConfirmForm(FlaskForm):
    """Confirm the import of a file a worker has checked."""

    submit = SubmitField(_l("Import"))
