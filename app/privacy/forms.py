"""Forms of the privacy domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length


class ErasureForm(FlaskForm):
    """Erase a person: a reason for the trail, then a second submit that confirms."""

    reason = TextAreaField(
        _l("Reason for erasing"),
        validators=[
            DataRequired(_l("Give the reason; it is kept in the audit trail.")),
            Length(max=1000),
        ],
        description=_l("For example: the person asked to be erased (request of 2 March)."),
    )
    confirmed = BooleanField(default=False)
