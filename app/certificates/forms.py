"""Forms of the certificates domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class VerifyForm(FlaskForm):
    """Look a certificate up by number or code, or check an uploaded PDF."""

    query = StringField(
        _l("Certificate number or verification code"),
        validators=[Optional(), Length(max=80)],
        description=_l("For example CFCAC-2026-KE-01-0007, or the code under the QR code."),
    )
    document = FileField(
        _l("…or upload the PDF to check it is an unaltered original"),
        validators=[Optional()],
        render_kw={"accept": "application/pdf,.pdf"},
    )


class RevokeForm(FlaskForm):
    """Revoke a certificate; the reason is kept for the record and never shown publicly."""

    reason = TextAreaField(_l("Reason for revoking"), validators=[DataRequired(), Length(max=1000)])


class ReissueForm(FlaskForm):
    """Reissue a certificate from current data (for example after a name correction)."""

    reason = StringField(_l("Why it is reissued (optional)"), validators=[Length(max=500)])
