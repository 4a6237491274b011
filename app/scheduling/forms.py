"""Forms for planning sessions, their agenda and their status.

The forms only parse input; the rules live in services.py and their messages are attached to
the fields by the views.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from app.curriculum.text import localised_module
from app.shared.formatting import hours
from app.shared.forms import MultiCheckboxField, choices

if TYPE_CHECKING:
    from wtforms.fields.choices import SelectChoice

    from app.scheduling.models import TrainingSession


def _optional_int(value: str | int | None) -> int | None:
    return int(value) if value not in (None, "", "None") else None


def module_choices(training_session: TrainingSession) -> list[SelectChoice]:
    """Offer the version's modules titled as the session teaches them (its language of delivery)."""
    return choices(
        [("", gettext("— no module —"))]
        + [
            (
                str(module.id),
                f"{localised_module(module, training_session.language).title} "
                f"({gettext('%(hours)s h', hours=hours(module.hours))})",
            )
            for module in training_session.course_version.modules
        ]
    )


class TrainingSessionForm(FlaskForm):
    """Where, when, in which language, for how many, and by whom."""

    host_country = SelectField(_l("Host country"), validators=[InputRequired()])
    city = StringField(_l("City"), validators=[InputRequired(), Length(max=120)])
    venue = StringField(_l("Venue"), validators=[Length(max=200)])
    start_date = DateField(_l("First day"), validators=[InputRequired()])
    end_date = DateField(_l("Last day"), validators=[InputRequired()])
    timezone = SelectField(_l("Time zone"), validators=[Optional()])
    language = SelectField(_l("Language of delivery"), validators=[InputRequired()])
    capacity = IntegerField(_l("Capacity"), validators=[InputRequired()], default=25)
    country_quota = IntegerField(
        _l("Per-country quota"),
        validators=[Optional()],
        description=_l("At most this many participants from each country. Leave empty for none."),
    )
    enrolment_deadline = DateField(
        _l("Enrolment deadline"),
        validators=[Optional()],
        description=_l("Last day to ask for a place; on or before the first day."),
    )
    legal_tradition = SelectField(_l("Legal tradition"), validators=[Optional()])
    trainers = MultiCheckboxField(_l("Trainers"), coerce=int)
    partners = MultiCheckboxField(_l("Partner organisations"), coerce=int)
    new_partners = StringField(
        _l("Other partners"),
        validators=[Length(max=1000)],
        description=_l("New organisations, separated by commas; they are added on save."),
    )
    notes = TextAreaField(_l("Notes for the team"), validators=[Length(max=5000)])
    fill_agenda = BooleanField(
        _l("Place the course's modules on the days (adjust them next)"), default=True
    )
    submit = SubmitField(_l("Save"))


class AgendaRowForm(Form):
    """One module on one day (a sub-form: the parent form carries the CSRF token)."""

    day = SelectField(_l("Day"), validators=[Optional()])
    course_module_id = SelectField(_l("Module"), coerce=_optional_int, validators=[Optional()])
    hours = DecimalField(_l("Hours"), places=None, validators=[Optional()])


class AgendaForm(FlaskForm):
    """The whole agenda; rows left without a module are dropped on save."""

    agenda = FieldList(FormField(AgendaRowForm))
    submit = SubmitField(_l("Save agenda"))


# The button a line's tools send without JavaScript: "add", or "up-N", "down-N", "remove-N".
ROW_ACTION = "row_action"


def rearranged(rows: list[dict], action: str, new_day: str) -> list[dict]:
    """Return the agenda lines after one plain button (the page's script does this in place)."""
    rows = list(rows)
    if action == "add":
        return [*rows, {"day": rows[-1]["day"] if rows else new_day}]
    verb, _, number = action.partition("-")
    if not number.isdigit() or int(number) >= len(rows):
        return rows
    index = int(number)
    if verb == "remove":
        del rows[index]
    elif verb in ("up", "down"):
        other = index - 1 if verb == "up" else index + 1
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
    return rows


class StatusForm(FlaskForm):
    """Move a session to another status; cancelling needs a reason."""

    new_status = HiddenField(validators=[InputRequired()])
    reason = TextAreaField(_l("Reason for cancelling"), validators=[Length(max=2000)])


class DuplicateForm(FlaskForm):
    """The first day of the copy; it lasts as many days as the session it copies."""

    start_date = DateField(_l("First day of the copy"), validators=[InputRequired()])
