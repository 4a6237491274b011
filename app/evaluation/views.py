"""Evaluation pages: the participant's survey and tests, the trainers' entry and the results."""

from __future__ import annotations

from functools import partial

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from app.curriculum.models import Course
from app.enrolment.models import Enrolment
from app.evaluation import bp, indicators, services
from app.evaluation.forms import (
    IndicatorPickForm,
    indicator_values,
    indicators_form,
    knowledge_answers,
    knowledge_form,
    survey_answers,
    survey_form,
)
from app.evaluation.instruments import localised
from app.evaluation.models import FORM_OF, ObserverKind, Phase
from app.evaluation.permissions import (
    can_answer,
    can_enter_indicators,
    can_enter_scores,
    can_observe,
    can_view_programme_evaluation,
    can_view_session_evaluation,
    indicator_countries,
)
from app.extensions import limiter
from app.scheduling.models import TrainingSession
from app.scheduling.panels import register_panel
from app.shared.countries import country_choices, country_name, is_country
from app.shared.downloads import private_file
from app.shared.loading import load_or_abort
from app.shared.roles import permission_required
from app.shared.unit_of_work import unit_of_work

PHASES = "<any(pre, post):phase>"


def _course_test(training_session: TrainingSession):
    """Return the session's course test, or answer 404 when the course has none."""
    return services.course_test(training_session) or abort(404)


@bp.context_processor
def _helpers() -> dict:
    return {"localised": localised, "MIN_GROUP": services.MIN_GROUP, "Phase": Phase}


@bp.route("/sessions/<int:training_session_id>/surveys/<slug>", methods=["GET", "POST"])
@login_required
def survey(training_session_id: int, slug: str):
    """Let a participant answer the reaction survey or a follow-up, anonymously, once."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_answer)
    enrolment = services.place_of(current_user, training_session)
    instrument = services.survey_instrument(slug) or abort(404)
    form = survey_form(instrument)
    answered = services.has_answered(instrument, enrolment)
    if not answered and form.validate_on_submit():
        with unit_of_work() as done:
            services.submit_survey(instrument, enrolment, survey_answers(instrument, form))
        if done.ok:
            flash(_("Thank you. Your answers were saved without your name."), "success")
            return redirect(request.path)
    return render_template(
        "evaluation/survey.html",
        training_session=training_session,
        instrument=instrument,
        form=form,
        answered=answered,
        opens_on=services.survey_opens_on(instrument, training_session),
        is_open=services.survey_is_open(instrument, training_session),
    )


def _observed_instrument(slug: str):
    """Return the follow-up that asks focal points, or answer 404."""
    instrument = services.survey_instrument(slug)
    return instrument if instrument and instrument.observer_questions else abort(404)


@bp.route(
    "/sessions/<int:training_session_id>/surveys/<slug>/countries/<country_code>",
    methods=["GET", "POST"],
)
@login_required
def observe(training_session_id: int, slug: str, country_code: str):
    """Let a focal point answer a follow-up about their country's officers in the session."""
    code = country_code.upper()
    allowed = partial(can_observe, country_code=code)
    training_session = load_or_abort(TrainingSession, training_session_id, allowed)
    instrument = _observed_instrument(slug)
    form = survey_form(instrument, who="focal_point")
    answered = services.observation_of(instrument, training_session, code, current_user)
    if answered is None and form.validate_on_submit():
        with unit_of_work() as done:
            answers = survey_answers(instrument, form, who="focal_point")
            services.submit_observation(instrument, training_session, code, current_user, answers)
        if done.ok:
            flash(_("Thank you. Your answers were saved."), "success")
            return redirect(request.path)
    return render_template(
        "evaluation/observe.html",
        training_session=training_session,
        instrument=instrument,
        country_code=code,
        form=form,
        answered=answered is not None,
        opens_on=services.survey_opens_on(instrument, training_session),
        is_open=services.survey_is_open(instrument, training_session),
    )


SUPERVISOR_RATE_LIMIT = "20 per minute"  # SUPERVISOR_RATE_LIMIT in the config overrides it


def _supervisor_limit() -> str:
    """Return how often one client may try supervisor links (guessing tokens is slowed)."""
    return current_app.config.get("SUPERVISOR_RATE_LIMIT", SUPERVISOR_RATE_LIMIT)


@bp.route("/follow-ups/<token>", methods=["GET", "POST"])
@limiter.limit(_supervisor_limit)
def supervise(token: str):
    """Let a supervisor answer a follow-up about one officer by their private link, no login."""
    asked = services.supervisor_request(token) or abort(404)
    form = survey_form(asked.instrument, who="supervisor")
    answered = asked.answered is not None
    if not answered and form.validate_on_submit():
        try:
            with unit_of_work() as done:
                answers = survey_answers(asked.instrument, form, who="supervisor")
                services.submit_supervisor_observation(asked, answers)
        except IntegrityError:  # rolled back already: the same link answered the same moment
            flash(_("You have already answered this survey. Thank you."), "info")
            return redirect(request.path)
        if done.ok:
            flash(_("Thank you. Your answers were saved with your name."), "success")
            return redirect(request.path)
    return render_template(
        "evaluation/supervise.html",
        asked=asked,
        form=form,
        answered=answered,
        closes_on=services.survey_closes_on(asked.instrument, asked.enrolment.training_session),
    )


@bp.route(f"/sessions/<int:training_session_id>/tests/{PHASES}", methods=["GET", "POST"])
@login_required
def take_test(training_session_id: int, phase: str):
    """Let a participant take the pre-test (form A) or the post-test (form B) once."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_answer)
    enrolment = services.place_of(current_user, training_session)
    test = _course_test(training_session)
    form = knowledge_form(test, phase, every_item=True)
    attempt = services.attempt_of(enrolment, phase)
    if attempt is None and form.validate_on_submit():
        with unit_of_work() as done:
            services.record_test(test, enrolment, phase, knowledge_answers(test, phase, form))
        if done.ok:
            flash(_("Your answers were saved."), "success")
            return redirect(request.path)
    return render_template(
        "evaluation/test.html",
        training_session=training_session,
        test=test,
        phase=phase,
        form=form,
        attempt=attempt,
        is_open=services.knowledge_test_open(training_session, phase),
    )


@bp.get(f"/sessions/<int:training_session_id>/tests/{PHASES}/paper")
@login_required
def paper_test(training_session_id: int, phase: str):
    """Print the test on paper for a venue without phones or network."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_enter_scores)
    test = _course_test(training_session)
    items = test.form_items(FORM_OF[Phase(phase)])
    return render_template(
        "evaluation/paper.html",
        training_session=training_session,
        test=test,
        phase=phase,
        items=items,
    )


@bp.route(
    f"/sessions/<int:training_session_id>/tests/{PHASES}/enrolments/<int:enrolment_id>",
    methods=["GET", "POST"],
)
@login_required
def enter_test(training_session_id: int, phase: str, enrolment_id: int):
    """Let a trainer enter (or correct) a participant's answers from the paper form."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_enter_scores)
    enrolment = load_or_abort(
        Enrolment, enrolment_id, lambda _user, e: e.training_session == training_session, hide=True
    )
    test = _course_test(training_session)
    attempt = services.attempt_of(enrolment, phase)
    form = knowledge_form(test, phase, every_item=False, attempt=attempt)
    if form.validate_on_submit():
        answers = knowledge_answers(test, phase, form)
        with unit_of_work() as done:
            services.record_test(test, enrolment, phase, answers, entered_by=current_user)
        if done.ok:
            flash(_("Scores saved for %(name)s.", name=enrolment.participant.full_name), "success")
            return redirect(url_for(".session_evaluation", training_session_id=training_session.id))
    return render_template(
        "evaluation/enter.html",
        training_session=training_session,
        enrolment=enrolment,
        test=test,
        phase=phase,
        form=form,
        attempt=attempt,
    )


@bp.route("/sessions/<int:training_session_id>/trainer-report", methods=["GET", "POST"])
@login_required
def trainer_report(training_session_id: int):
    """Let a trainer of the session write (or revise) their report on it."""
    training_session = load_or_abort(TrainingSession, training_session_id, can_enter_scores)
    instrument = services.trainer_report_instrument()
    report = services.trainer_report_of(training_session, current_user)
    form = survey_form(instrument, report.answers if report else None)
    if form.validate_on_submit():
        with unit_of_work() as done:
            answers = survey_answers(instrument, form)
            services.save_trainer_report(training_session, current_user, answers)
        if done.ok:
            flash(_("Your report was saved."), "success")
            return redirect(url_for(".session_evaluation", training_session_id=training_session.id))
    return render_template(
        "evaluation/trainer_report.html",
        training_session=training_session,
        instrument=instrument,
        form=form,
        report=report,
    )


@bp.get("/sessions/<int:training_session_id>")
@login_required
def session_evaluation(training_session_id: int):
    """Show a session's reaction (groups under five hidden) and its participants' learning."""
    training_session = load_or_abort(
        TrainingSession, training_session_id, can_view_session_evaluation
    )
    test = services.course_test(training_session)
    return render_template(
        "evaluation/session.html",
        training_session=training_session,
        instrument=services.reaction_instrument(),
        reaction=services.reaction_result(
            services.reaction_instrument(), session=training_session.id
        ),
        test=test,
        learning=services.session_learning(test, training_session) if test else None,
        can_enter=can_enter_scores(current_user, training_session),
        trainer_reports=services.trainer_reports(training_session),
        trainer_report_instrument=services.trainer_report_instrument(),
    )


@bp.get("/results")
@permission_required(can_view_programme_evaluation)
def programme_results():
    """Show a survey's answers across the programme by course, host country or year."""
    grouping = services.grouping(request.args.get("by"))
    instrument = services.survey_instrument(request.args.get("survey")) or abort(404)
    return render_template(
        "evaluation/results.html",
        grouping=grouping,
        instrument=instrument,
        surveys=services.surveys(),
        rows=services.reaction_by(instrument, grouping),
        observer_rows=services.observations_by(instrument, grouping),
        supervisor_rows=services.observations_by(instrument, grouping, ObserverKind.SUPERVISOR),
        labels=services.group_labels(grouping),
    )


@bp.get("/results.csv")
@permission_required(can_view_programme_evaluation)
def programme_results_csv():
    """Download the same table as CSV, with the same small groups left empty."""
    grouping = services.grouping(request.args.get("by"))
    instrument = services.survey_instrument(request.args.get("survey")) or abort(404)
    filename = f"{instrument.slug}-by-{grouping}.csv"
    return private_file(services.reaction_csv(instrument, grouping), "text/csv", filename)


@bp.get("/courses/<int:course_id>")
@permission_required(can_view_programme_evaluation)
def course_evaluation(course_id: int):
    """Show a course's surveys and learning over all its sessions, small groups hidden."""
    course = load_or_abort(Course, course_id)
    test = services.knowledge_test_for(course.slug)
    return render_template(
        "evaluation/course.html",
        course=course,
        surveys=[(i, services.reaction_result(i, course=course.id)) for i in services.surveys()],
        test=test,
        learning=services.course_learning(test, course) if test else None,
    )


@bp.get("/courses/<int:course_id>/learning.csv")
@permission_required(can_view_programme_evaluation)
def course_learning_csv(course_id: int):
    """Download the course's learning by participants' country, small groups left empty."""
    course = load_or_abort(Course, course_id)
    test = services.knowledge_test_for(course.slug) or abort(404)
    filename = f"{course.slug}-learning-by-country.csv"
    return private_file(services.learning_csv(test, course), "text/csv", filename)


def _pick_form() -> IndicatorPickForm:
    """Return the country-and-year chooser, offering only the countries the user enters."""
    form = IndicatorPickForm(request.args)
    countries = indicator_countries(current_user)
    form.country.choices = [
        (code, name) for code, name in country_choices() if countries is None or code in countries
    ]
    return form


@bp.get("/indicators")
@permission_required(can_enter_indicators)
def indicator_index():
    """List the countries' entered years and let the user choose a country and year to enter."""
    form = _pick_form()
    if request.args and form.validate():
        return redirect(
            url_for(".country_indicators", country_code=form.country.data, year=form.year.data)
        )
    return render_template(
        "evaluation/indicators.html",
        form=form,
        entered=indicators.entered_years(indicator_countries(current_user)),
    )


def _indicator_country(country_code: str, year: int) -> str:
    """Return the country's code, or answer 404 (unknown country or year) or 403 (not theirs)."""
    code = country_code.upper()
    if not is_country(code) or not indicators.valid_year(year):
        abort(404)
    if not can_enter_indicators(current_user, code):
        abort(403)
    return code


@bp.route("/indicators/<country_code>/<int:year>", methods=["GET", "POST"])
@login_required
def country_indicators(country_code: str, year: int):
    """Let a manager or the country's focal point enter its indicators for a year, with sources."""
    code = _indicator_country(country_code, year)
    form = indicators_form(indicators.entries_for(code, year))
    if form.validate_on_submit():
        with unit_of_work() as done:
            indicators.save_indicators(code, year, indicator_values(form), current_user)
        if done.ok:
            message = _("Indicators saved for %(country)s, %(year)d.")
            flash(message % {"country": country_name(code), "year": year}, "success")
            return redirect(url_for(".indicator_index"))
    return render_template(
        "evaluation/indicator_form.html",
        form=form,
        country_code=code,
        year=year,
        indicators=indicators.INDICATORS,
    )


def _session_panel(training_session: TrainingSession) -> Markup | None:
    """Link the session page to its evaluation, for those who may read it."""
    if not can_view_session_evaluation(current_user, training_session):
        return None
    # render_template autoescapes; Markup only stops the panel list escaping it twice.
    return Markup(  # noqa: S704
        render_template(
            "evaluation/_panel.html",
            training_session=training_session,
            respondents=services.respondent_count(services.reaction_instrument(), training_session),
            MIN_GROUP=services.MIN_GROUP,  # the blueprint's context is not this page's
        )
    )


register_panel(_session_panel, order=80)


@bp.app_template_global("evaluation_tasks")
def evaluation_tasks(training_session: TrainingSession) -> list[services.Task]:
    """Return what the signed-in participant may answer now in the session (their own page)."""
    return services.tasks_for(current_user, training_session)


@bp.app_template_global("evaluation_title")
def evaluation_title(task: services.Task) -> str:
    """Return a task's title in the reader's language."""
    return localised(task.title)
