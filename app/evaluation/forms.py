"""Forms built from an instrument file: one field per question or test item."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.evaluation.indicators import INDICATORS, IndicatorKind
from app.evaluation.instruments import LIKERT, Instrument, localised
from app.evaluation.models import FORM_OF, CountryIndicator, Phase, TestAttempt
from app.shared.forms import MultiCheckboxField, choices

MAX_TEXT = 2000
LIKERT_LABELS = {
    1: _l("1 Strongly disagree"),
    2: _l("2 Disagree"),
    3: _l("3 Neither agree nor disagree"),
    4: _l("4 Agree"),
    5: _l("5 Strongly agree"),
}


def _numbered(labels: list[str]) -> list:
    return choices((str(index), label) for index, label in enumerate(labels))


def survey_form(
    instrument: Instrument, answers: dict[str, Any] | None = None, *, who: str = "participant"
) -> FlaskForm:
    """Return a form with one field per question put to `who`, in the reader's language."""

    class SurveyForm(FlaskForm):
        pass

    for question in instrument.asked_of(who):
        label = localised(question.text)
        needed = [InputRequired()] if question.required else [Optional()]
        if question.type == "likert":
            pairs = [(str(value), str(LIKERT_LABELS[value])) for value in LIKERT]
            field = RadioField(label, choices=choices(pairs), validators=needed)
        elif question.type == "single":
            options = [localised(option) for option in question.options]
            field = RadioField(label, choices=_numbered(options), validators=needed)
        elif question.type == "multiple":
            options = [localised(option) for option in question.options]
            field = MultiCheckboxField(label, choices=_numbered(options), validators=needed)
        else:
            field = TextAreaField(label, validators=[*needed, Length(max=MAX_TEXT)])
        setattr(SurveyForm, f"q_{question.id}", field)
    if not answers:
        return SurveyForm()
    return SurveyForm(data={f"q_{key}": value for key, value in answers.items()})


def survey_answers(
    instrument: Instrument, form: FlaskForm, *, who: str = "participant"
) -> dict[str, Any]:
    """Return {question id: value} from a validated survey form."""
    return {q.id: form[f"q_{q.id}"].data for q in instrument.asked_of(who)}


def knowledge_form(
    test: Instrument, phase: str, *, every_item: bool, attempt: TestAttempt | None = None
) -> FlaskForm:
    """Return one choice per item of the phase's form (A or B); paper entries may skip items."""

    class KnowledgeTestForm(FlaskForm):
        pass

    needed = [InputRequired()] if every_item else [Optional()]
    for number, item in enumerate(test.form_items(FORM_OF[Phase(phase)]), start=1):
        options = [localised(option) for option in item.options]
        label = f"{number}. {localised(item.text)}"
        setattr(
            KnowledgeTestForm,
            f"i_{item.id}",
            RadioField(label, choices=_numbered(options), validators=needed),
        )
    if attempt is None:
        return KnowledgeTestForm()
    kept = {
        f"i_{item_id}": str(value)
        for item_id, value in attempt.answers.items()
        if value is not None
    }
    return KnowledgeTestForm(data=kept)


def knowledge_answers(test: Instrument, phase: str, form: FlaskForm) -> dict[str, int | None]:
    """Return {item id: option index or None} from a validated test form."""
    answers = {}
    for item in test.form_items(FORM_OF[Phase(phase)]):
        value = form[f"i_{item.id}"].data
        answers[item.id] = int(value) if value not in (None, "", "None") else None
    return answers


MAX_SOURCE = 500


def indicators_form(entries: dict[str, CountryIndicator]) -> FlaskForm:
    """Return a value and a source field per indicator, filled with the year's entries."""

    class IndicatorsForm(FlaskForm):
        pass

    data = {}
    for indicator in INDICATORS:
        if indicator.kind is IndicatorKind.YES_NO:
            pairs = [("", _l("Not reported")), ("1", _l("Yes")), ("0", _l("No"))]
            value = SelectField(indicator.label, choices=choices(pairs), validators=[Optional()])
        else:
            value = IntegerField(indicator.label, validators=[Optional(), NumberRange(min=0)])
        setattr(IndicatorsForm, f"v_{indicator.code}", value)
        setattr(
            IndicatorsForm,
            f"s_{indicator.code}",
            StringField(_l("Source"), validators=[Optional(), Length(max=MAX_SOURCE)]),
        )
        entry = entries.get(indicator.code)
        if entry is not None:
            shown = str(entry.value) if indicator.kind is IndicatorKind.YES_NO else entry.value
            data.update({f"v_{indicator.code}": shown, f"s_{indicator.code}": entry.source})
    return IndicatorsForm(data=data)


def indicator_values(form: FlaskForm) -> dict[str, tuple[int | None, str]]:
    """Return {code: (value or None, source)} from a validated indicators form."""
    values = {}
    for indicator in INDICATORS:
        raw = form[f"v_{indicator.code}"].data
        value = None if raw in (None, "") else int(raw)
        values[indicator.code] = (value, form[f"s_{indicator.code}"].data or "")
    return values


class IndicatorPickForm(FlaskForm):
    """Choose a country and a year to enter its indicators (a GET form, no CSRF)."""

    class Meta:
        """Read from the query string: a link may be shared."""

        csrf = False

    country = SelectField(_l("Country"), validators=[InputRequired()])
    year = IntegerField(_l("Year"), validators=[InputRequired()])
