"""Forms a focal point fills: a nominee's answers to the call's criteria, a new person, moves."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from app.enrolment.forms import ParticipantForm
from app.nominations.models import NominationCall
from app.nominations.services import MAX_JUSTIFICATION
from app.shared.countries import country_name
from app.shared.forms import choices

YES_NO = choices([("yes", _l("Yes")), ("no", _l("No"))])


def _yes_no(label):
    return RadioField(
        label, choices=YES_NO, validators=[InputRequired(message=_l("Answer yes or no."))]
    )


class CriteriaForm(FlaskForm):
    """What the call asks of each nominee; fields the call does not need are taken out."""

    years_of_service = IntegerField(
        _l("Years of service"),
        validators=[InputRequired(message=_l("Give the years of service.")), NumberRange(0, 60)],
    )
    speaks_working_language = _yes_no(_l("Works in the language of delivery"))
    meets_other_criteria = _yes_no(_l("Meets the call's other criteria"))
    justification = TextAreaField(
        _l("Why this officer (a short justification)"),
        validators=[
            InputRequired(message=_l("Say in a line or two why you nominate this officer.")),
            Length(max=MAX_JUSTIFICATION),
        ],
        render_kw={"dir": "auto", "rows": 3},
    )
    submit = SubmitField(_l("Nominate"))

    def fit(self, call: NominationCall) -> None:
        """Take out the questions this call does not ask."""
        if call.min_years_of_service is None:
            del self.years_of_service
        if not call.working_language:
            del self.speaks_working_language
        if not call.other_criteria:
            del self.meets_other_criteria

    def answers(self) -> dict:
        """Return the criteria answers as the services take them."""

        def answer(name: str):
            field = getattr(self, name, None)
            return None if field is None else field.data == "yes"

        years = getattr(self, "years_of_service", None)
        return {
            "justification": self.justification.data,
            "years_of_service": years.data if years is not None else None,
            "speaks_working_language": answer("speaks_working_language"),
            "meets_other_criteria": answer("meets_other_criteria"),
        }


class PickForm(CriteriaForm):
    """Nominate a person already in the directory."""

    participant_id = HiddenField(validators=[InputRequired()])


class NewPersonForm(ParticipantForm, CriteriaForm):
    """Add a new person of the focal point's country and nominate them at once."""

    invite = None  # the directory's own questions, not the focal point's
    confirm_duplicate = None
    submit = SubmitField(_l("Add and nominate"))

    def fit_countries(self, codes) -> None:
        """Offer only the countries the focal point nominates for (the first chosen)."""
        self.country_code.choices = choices((code, country_name(code)) for code in sorted(codes))
        if not self.country_code.data:
            self.country_code.data = sorted(codes)[0] if codes else None


class TargetForm(FlaskForm):
    """One plain button: endorse or withdraw a nominee, move them up or down, confirm a place."""

    target = HiddenField(validators=[InputRequired()])
