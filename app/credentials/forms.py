"""Forms of the credentials domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class CredentialUploadForm(FlaskForm):
    """Upload a credential JSON file to check its signature, validity and revocation."""

    document = FileField(
        _l("Credential file (JSON)"),
        validators=[FileRequired(_l("Choose the credential file to check."))],
        render_kw={"accept": "application/json,application/ld+json,.json,.jsonld"},
    )
