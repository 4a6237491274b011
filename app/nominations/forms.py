"""Forms for a call for nominations, a vetting check and a decision on a nominee."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.curriculum.labels import AUDIENCE_LABELS
from app.enrolment.labels import LANGUAGES
from app.nominations.labels import VETTING_LABELS
from app.nominations.services import MAX_REFERENCE
from app.shared.agency_types import AGENCY_LABELS
from app.shared.countries import country_choices
from app.shared.forms import MultiCheckboxField, choices

SEATS_PREFIX = "seats-"


class CallForm(FlaskForm):
    """Open or change a session's call: criteria, deadline, balance target, countries and seats."""

    deadline = DateTimeLocalField(
        _l("Nomination deadline (the session's local time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired()],
    )
    countries = SelectMultipleField(
        _l("Countries invited"),
        validators=[DataRequired(message=_l("Invite at least one country."))],
        description=_l(
            "Hold Ctrl (or ⌘) to choose several. Newly invited countries get the seats of the "
            "session's quota; change them below once saved."
        ),
    )
    audiences = MultiCheckboxField(_l("Target audiences"), choices=choices(AUDIENCE_LABELS.items()))
    agency_types = MultiCheckboxField(
        _l("Agency types eligible (none chosen: any)"), choices=choices(AGENCY_LABELS.items())
    )
    min_years_of_service = IntegerField(
        _l("Minimum years of service"), validators=[Optional(), NumberRange(0, 60)]
    )
    working_language = SelectField(_l("Working language of delivery"))
    other_criteria = TextAreaField(_l("Other criteria"), validators=[Length(max=2000)])
    women_target_percent = IntegerField(
        _l("Target share of women among those accepted (%)"),
        validators=[Optional(), NumberRange(0, 100)],
    )
    submit = SubmitField(_l("Save the call"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.countries.choices = choices(country_choices())
        self.working_language.choices = choices(LANGUAGES.items())

    def seats(self, posted, current: dict[str, int]) -> dict[str, int | None]:
        """Return {country: seats} for the chosen countries: typed seats, else None (the quota)."""
        seats: dict[str, int | None] = {}
        for code in self.countries.data:
            typed = (posted.get(f"{SEATS_PREFIX}{code}") or "").strip()
            seats[code] = int(typed) if typed.isdigit() else current.get(code)
        return seats


class VettingForm(FlaskForm):
    """Record a vetting check: only the outcome, the date and an external reference."""

    outcome = RadioField(
        _l("Outcome"), choices=choices(VETTING_LABELS.items()), validators=[InputRequired()]
    )
    checked_on = DateField(_l("Date of the check"), validators=[InputRequired()])
    external_reference = StringField(
        _l("External reference"),
        validators=[Length(max=MAX_REFERENCE)],
        description=_l(
            "The reference of the check where it is kept (“embassy vetting ref 2026/114”). "
            "Never write the details of a check here."
        ),
    )
    submit = SubmitField(_l("Record the check"))


class MoveForm(FlaskForm):
    """Move a nominee to another status; a decline needs the reason the focal point will read."""

    target = HiddenField(validators=[InputRequired()])
    reason = StringField(_l("Reason (shown to the focal point)"), validators=[Length(max=500)])
    submit = SubmitField(_l("Confirm"))
