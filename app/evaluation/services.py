"""Evaluation rules: when surveys and tests open, anonymous answers, reminders, scores and gains.

Every figure shown (on the session page, the programme page, the CSV) comes from the functions
here, so one calculation feeds every output. Groups under MIN_GROUP respondents are hidden.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, distinct, exists, extract, false, func, or_, select
from sqlalchemy.orm import joinedload

from app.accounts.focal_points import focal_points_for
from app.certificates.services import add_months
from app.curriculum.models import Course
from app.enrolment.models import Enrolment, EnrolmentStatus, Participant
from app.evaluation.instruments import (
    Instrument,
    instruments,
    knowledge_test_for,
    localised,
    of_kind,
)
from app.evaluation.models import (
    FORM_OF,
    FollowUpObservation,
    ObserverKind,
    Phase,
    SurveyAnswer,
    SurveyReminder,
    SurveyRespondent,
    SurveyResponse,
    TestAttempt,
    TrainerReport,
)
from app.extensions import db
from app.jobs.services import enqueue_after_commit
from app.notifications.services import queue_email
from app.scheduling.models import SessionStatus, TrainingSession, training_session_partners
from app.shared import clock
from app.shared.unit_of_work import DomainError
from app.shared.urls import external_url

if TYPE_CHECKING:
    from app.accounts.models import User

MIN_GROUP = 5  # fewer respondents than this and a group's figures are not shown
SURVEY_OPEN_DAYS = 30  # a survey stays open this long after it opens
# Emails per kind of survey, in days after it opens. The reaction survey is asked in the room
# on the last day, then reminded twice; a follow-up is sent, then reminded twice. Then no more.
MESSAGE_DAYS = {"reaction": (2, 7), "follow_up": (0, 7, 21)}
SURVEY_KINDS = tuple(MESSAGE_DAYS)
WEAK_SPOT = 0.6  # an objective fewer than this share of post-test answers got right
GROUPINGS = ("course", "country", "year")
REACTION = "reaction"  # the slug of the reaction survey in courses/evaluation/
TRAINER_REPORT = "trainer-report"


class EvaluationError(DomainError):
    """A survey or test rule was broken (closed, already answered)."""


def place_of(user: User, training_session: TrainingSession) -> Enrolment | None:
    """Return the user's standing place in the session, if they hold one."""
    return db.session.scalar(
        select(Enrolment)
        .join(Participant, Enrolment.participant_id == Participant.id)
        .where(
            Participant.user_id == user.id,
            Enrolment.training_session_id == training_session.id,
            Enrolment.status == EnrolmentStatus.ENROLLED,
        )
    )


def session_today(training_session: TrainingSession) -> date:
    """Return today where the session takes place."""
    return clock.today_in(training_session.timezone)


# --- levels 1 and 3: anonymous surveys (reaction on the last day, follow-ups months later) ----


def survey_opens_on(instrument: Instrument, training_session: TrainingSession) -> date:
    """Return the day a survey opens: the last day, or that many months after it."""
    return add_months(training_session.end_date, instrument.months_after or 0)


def survey_closes_on(instrument: Instrument, training_session: TrainingSession) -> date:
    """Return the last day a survey takes answers."""
    return survey_opens_on(instrument, training_session) + timedelta(days=SURVEY_OPEN_DAYS)


def survey_is_open(instrument: Instrument, training_session: TrainingSession) -> bool:
    """Return whether the survey takes answers today where the session was held."""
    today = session_today(training_session)
    return not training_session.is_cancelled and survey_opens_on(
        instrument, training_session
    ) <= today <= survey_closes_on(instrument, training_session)


def has_answered(instrument: Instrument, enrolment: Enrolment) -> bool:
    """Return whether this place is on the register of those who answered."""
    return db.session.get(SurveyRespondent, (instrument.slug, enrolment.id)) is not None


def submit_survey(
    instrument: Instrument, enrolment: Enrolment, answers: dict[str, Any]
) -> SurveyResponse:
    """Keep an answer sheet that names no one, and put the person on the register apart."""
    training_session = enrolment.training_session
    if not survey_is_open(instrument, training_session):
        raise EvaluationError(_("This survey is not open."))
    if has_answered(instrument, enrolment):
        raise EvaluationError(_("You have already answered this survey. Thank you."))
    response = SurveyResponse(
        instrument=instrument.slug,
        training_session_id=training_session.id,
        submitted_on=session_today(training_session),  # the day only: no time to match
    )
    for question in instrument.questions:
        value = answers.get(question.id)
        if question.type == "text":
            text = (value or "").strip()
            if text:
                response.answers.append(SurveyAnswer(question=question.id, text=text))
        elif question.type == "multiple":
            for choice in value or ():
                response.answers.append(SurveyAnswer(question=question.id, choice=int(choice)))
        elif value not in (None, ""):
            response.answers.append(SurveyAnswer(question=question.id, choice=int(value)))
    db.session.add(response)
    db.session.add(SurveyRespondent(instrument=instrument.slug, enrolment_id=enrolment.id))
    db.session.flush()
    return response


def non_respondents(instrument_slug: str, training_session: TrainingSession) -> list[Participant]:
    """Return the people holding a place who are not on the register of those who answered."""
    answered = exists().where(
        SurveyRespondent.enrolment_id == Enrolment.id,
        SurveyRespondent.instrument == instrument_slug,
    )
    return list(
        db.session.scalars(
            select(Participant)
            .join(Enrolment, Enrolment.participant_id == Participant.id)
            .where(
                Enrolment.training_session_id == training_session.id,
                Enrolment.status == EnrolmentStatus.ENROLLED,
                ~answered,
            )
            .order_by(Participant.id)
        )
    )


def due_messages(instrument: Instrument, today: date | None = None) -> list[tuple[int, int]]:
    """Return (session id, message number) of the survey emails whose day has come, unsent.

    One message at a time per session: the next only once the one before has gone.
    """
    today = today or clock.today_in("UTC")  # one run for every session: the day of UTC
    days = MESSAGE_DAYS[instrument.kind]
    months = instrument.months_after or 0
    # Sessions whose survey may be open (a month is at most 31 days), then the exact days.
    sessions = db.session.scalars(
        select(TrainingSession).where(
            TrainingSession.status != SessionStatus.CANCELLED,
            TrainingSession.end_date >= today - timedelta(days=31 * months + SURVEY_OPEN_DAYS),
            TrainingSession.end_date <= today - timedelta(days=28 * months + days[0]),
        )
    ).all()
    sent = set(
        db.session.execute(
            select(SurveyReminder.training_session_id, SurveyReminder.number).where(
                SurveyReminder.instrument == instrument.slug,
                SurveyReminder.training_session_id.in_([s.id for s in sessions]),
            )
        ).all()
    )
    due = []
    for training_session in sessions:
        if not survey_is_open(instrument, training_session):
            continue
        opens = survey_opens_on(instrument, training_session)
        for number, after in enumerate(days, start=1):
            if (training_session.id, number) in sent:
                continue
            if opens + timedelta(days=after) <= today:
                due.append((training_session.id, number))
            break
    return due


def schedule_messages(today: date | None = None) -> int:
    """Queue a job for each survey email due, of every survey (after commit); return how many."""
    count = 0
    for instrument in instruments().values():
        if instrument.kind not in SURVEY_KINDS:
            continue
        for training_session_id, number in due_messages(instrument, today):
            enqueue_after_commit(
                "app.evaluation.services.send_message",
                training_session_id,
                instrument.slug,
                number,
                job_id=f"survey-{instrument.slug}-{training_session_id}-{number}",
            )
            count += 1
    return count


def send_message(training_session_id: int, instrument_slug: str, number: int) -> None:
    """Email the non-respondents once for this message (the job); a repeat does nothing."""
    instrument = instruments().get(instrument_slug)
    training_session = db.session.get(TrainingSession, training_session_id)
    if (
        instrument is None
        or training_session is None
        or number > len(MESSAGE_DAYS.get(instrument.kind, ()))
        or db.session.get(SurveyReminder, (instrument_slug, training_session_id, number))
        or not survey_is_open(instrument, training_session)
    ):
        return
    recipients = [p for p in non_respondents(instrument_slug, training_session) if p.email]
    context = {
        "survey_title": localised(instrument.title, "en"),
        "course_title": training_session.course.title,
        "code": training_session.code,
        "closes_on": survey_closes_on(instrument, training_session).isoformat(),
        "survey_url": external_url(
            "evaluation.survey", training_session_id=training_session_id, slug=instrument_slug
        ),
    }
    for participant in recipients:
        queue_email(
            participant.email,
            _l("A few minutes for your feedback: %(course)s", course=context["course_title"]),
            "evaluation_survey_reminder",
            name=participant.full_name,
            **context,
        )
    observers = observers_to_ask(instrument, training_session)
    for observer, country_code in observers:
        queue_email(
            observer.email,
            _l(
                "How have your officers applied the training? %(course)s",
                course=context["course_title"],
            ),
            "evaluation_observer_request",
            language=observer.language,
            name=observer.name,
            country_code=country_code,
            **{
                **context,
                "survey_url": external_url(
                    "evaluation.observe",
                    training_session_id=training_session_id,
                    slug=instrument_slug,
                    country_code=country_code,
                ),
            },
        )
    supervised = supervisors_to_ask(instrument, training_session)
    for enrolment in supervised:
        _ask_supervisor(instrument, enrolment, context)
    db.session.add(
        SurveyReminder(
            instrument=instrument_slug,
            training_session_id=training_session_id,
            number=number,
            sent_on=session_today(training_session),
            recipients=len(recipients) + len(observers) + len(supervised),
        )
    )
    db.session.flush()


# --- level 3 seen by others: the officers' focal points answer about them ------------------------


def officer_groups(training_session: TrainingSession) -> list[tuple[str, str]]:
    """Return the (country of service, agency type) pairs of the people holding a place."""
    return [
        (country_code, agency_type)
        for country_code, agency_type in db.session.execute(
            select(Enrolment.country_code, Enrolment.agency_type)
            .where(
                Enrolment.training_session_id == training_session.id,
                Enrolment.status == EnrolmentStatus.ENROLLED,
            )
            .distinct()
            .order_by(Enrolment.country_code, Enrolment.agency_type)
        )
    ]


def observation_of(
    instrument: Instrument, training_session: TrainingSession, country_code: str, user: User
) -> FollowUpObservation | None:
    """Return the focal point's answers about the session's officers of a country, if given."""
    return db.session.scalar(
        select(FollowUpObservation).where(
            FollowUpObservation.instrument == instrument.slug,
            FollowUpObservation.training_session_id == training_session.id,
            FollowUpObservation.country_code == country_code,
            FollowUpObservation.observer_id == user.id,
        )
    )


def observers_to_ask(
    instrument: Instrument, training_session: TrainingSession
) -> list[tuple[User, str]]:
    """Return (focal point, country) pairs still to answer a follow-up about the session."""
    if not instrument.observer_questions:
        return []
    answered = set(
        db.session.execute(
            select(FollowUpObservation.observer_id, FollowUpObservation.country_code).where(
                FollowUpObservation.instrument == instrument.slug,
                FollowUpObservation.training_session_id == training_session.id,
            )
        ).all()
    )
    found: dict[tuple[int, str], User] = {}
    for country_code, agency_type in officer_groups(training_session):
        for user in focal_points_for(country_code, agency_type):
            if user.email and (user.id, country_code) not in answered:
                found.setdefault((user.id, country_code), user)
    return [(user, country_code) for (_id, country_code), user in found.items()]


def submit_observation(
    instrument: Instrument,
    training_session: TrainingSession,
    country_code: str,
    user: User,
    answers: dict[str, Any],
) -> FollowUpObservation:
    """Keep a focal point's follow-up answers about their officers, once, while it is open."""
    if not survey_is_open(instrument, training_session):
        raise EvaluationError(_("This survey is not open."))
    if observation_of(instrument, training_session, country_code, user) is not None:
        raise EvaluationError(_("You have already answered this survey. Thank you."))
    observation = FollowUpObservation(
        instrument=instrument.slug,
        training_session_id=training_session.id,
        country_code=country_code,
        observer_id=user.id,
        answers=answers,
        submitted_on=session_today(training_session),
    )
    db.session.add(observation)
    db.session.flush()
    return observation


# --- level 3 seen by supervisors: a private link, no account, about one officer -------------

SUPERVISOR_SALT = "evaluation-follow-up-supervisor"  # these tokens open this page, nothing else


def _supervisor_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SUPERVISOR_SALT)


def _address_digest(email: str) -> str:
    """Return a keyed digest of the supervisor's address: a new supervisor voids the old link.

    Keyed with the app's secret, so a link's holder cannot test a guessed address against it.
    """
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    key = hmac.new(secret, SUPERVISOR_SALT.encode(), hashlib.sha256).digest()
    return hmac.new(key, email.encode(), hashlib.sha256).hexdigest()[:16]


def supervisor_token(instrument: Instrument, enrolment: Enrolment) -> str:
    """Return the secret token of the link asking the place's supervisor this follow-up."""
    digest = _address_digest(enrolment.participant.supervisor_email or "")
    return _supervisor_serializer().dumps([instrument.slug, enrolment.id, digest])


@dataclass(frozen=True)
class SupervisorRequest:
    """What a supervisor's link asks: one follow-up about one officer's place."""

    instrument: Instrument
    enrolment: Enrolment

    @property
    def answered(self) -> FollowUpObservation | None:
        """Return the supervisor's answer, once given."""
        return supervisor_observation_of(self.instrument, self.enrolment)


def supervisor_request(token: str) -> SupervisorRequest | None:
    """Return what a supervisor's link asks, or None when it is forged, stale or closed.

    A link stops working when the follow-up closes, when the place is no longer held, and
    when the record names another supervisor (or none, after erasure).
    """
    try:
        slug, enrolment_id, digest = _supervisor_serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    instrument = survey_instrument(slug) if isinstance(slug, str) else None
    if instrument is None or not instrument.supervisor_questions or type(enrolment_id) is not int:
        return None
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.status != EnrolmentStatus.ENROLLED:
        return None
    email = enrolment.participant.supervisor_email
    if not email or not hmac.compare_digest(_address_digest(email), str(digest)):
        return None
    if not survey_is_open(instrument, enrolment.training_session):
        return None
    return SupervisorRequest(instrument, enrolment)


def supervisor_observation_of(
    instrument: Instrument, enrolment: Enrolment
) -> FollowUpObservation | None:
    """Return the supervisor's answers about the officer's place, if given."""
    return db.session.scalar(
        select(FollowUpObservation).where(
            FollowUpObservation.kind == ObserverKind.SUPERVISOR,
            FollowUpObservation.instrument == instrument.slug,
            FollowUpObservation.enrolment_id == enrolment.id,
        )
    )


def supervisors_to_ask(
    instrument: Instrument, training_session: TrainingSession
) -> list[Enrolment]:
    """Return the places whose participant names a supervisor who has not answered yet."""
    if not instrument.supervisor_questions:
        return []
    answered = exists().where(
        FollowUpObservation.enrolment_id == Enrolment.id,
        FollowUpObservation.instrument == instrument.slug,
        FollowUpObservation.kind == ObserverKind.SUPERVISOR,
    )
    return list(
        db.session.scalars(
            select(Enrolment)
            .join(Participant, Enrolment.participant_id == Participant.id)
            .options(joinedload(Enrolment.participant))
            .where(
                Enrolment.training_session_id == training_session.id,
                Enrolment.status == EnrolmentStatus.ENROLLED,
                Participant.supervisor_email.is_not(None),
                ~answered,
            )
            .order_by(Enrolment.id)
        )
    )


def _ask_supervisor(instrument: Instrument, enrolment: Enrolment, context: dict) -> None:
    """Email the officer's supervisor their private link; only the body names the officer.

    The subject stays in the email log, which erasing the officer does not reach.
    """
    participant = enrolment.participant
    token = supervisor_token(instrument, enrolment)
    queue_email(
        participant.supervisor_email,
        _l(
            "How does your officer apply the training? %(course)s (%(code)s)",
            course=context["course_title"],
            code=context["code"],
        ),
        "evaluation_supervisor_request",
        language=participant.preferred_language,  # the supervisor's is not recorded
        name=participant.supervisor_name,
        officer=participant.full_name,
        **{**context, "survey_url": external_url("evaluation.supervise", token=token)},
    )


def submit_supervisor_observation(
    request: SupervisorRequest, answers: dict[str, Any]
) -> FollowUpObservation:
    """Keep a supervisor's answers about one officer, with their name, once, while open."""
    enrolment = request.enrolment
    if not survey_is_open(request.instrument, enrolment.training_session):
        raise EvaluationError(_("This survey is not open."))
    if request.answered is not None:
        raise EvaluationError(_("You have already answered this survey. Thank you."))
    observation = FollowUpObservation(
        kind=ObserverKind.SUPERVISOR,
        instrument=request.instrument.slug,
        training_session_id=enrolment.training_session_id,
        country_code=enrolment.country_code,
        enrolment_id=enrolment.id,
        observer_name=enrolment.participant.supervisor_name,
        observer_email=enrolment.participant.supervisor_email,
        answers=answers,
        submitted_on=session_today(enrolment.training_session),
    )
    db.session.add(observation)
    db.session.flush()
    return observation


@dataclass(frozen=True)
class ObservationRow:
    """A group's focal-point answers: how many, about how many officers, the Likert means."""

    key: Any
    answers: int
    officers: int
    means: dict[str, float | None]

    @property
    def suppressed(self) -> bool:
        """Return whether the answers describe too few officers to show."""
        return self.officers < MIN_GROUP


def observations_by(
    instrument: Instrument, grouping_name: str, kind: str = ObserverKind.FOCAL_POINT
) -> list[ObservationRow]:
    """Return focal points' (or supervisors') Likert means per course, officers' country or year.

    A focal point's answer describes their country's officers in the session; a supervisor's,
    one officer. A group describing fewer than MIN_GROUP officers is emptied, like the
    participants' own.
    """
    key = (
        FollowUpObservation.country_code
        if grouping_name == "country"
        else _group_key(grouping_name)
    ).label("key")
    observations = db.session.execute(
        select(key, FollowUpObservation.training_session_id, FollowUpObservation.country_code,
               FollowUpObservation.enrolment_id, FollowUpObservation.answers)
        .join(TrainingSession, FollowUpObservation.training_session_id == TrainingSession.id)
        .where(FollowUpObservation.instrument == instrument.slug, FollowUpObservation.kind == kind)
    ).all()  # fmt: skip
    if kind == ObserverKind.SUPERVISOR:
        officers: dict[Any, int] = {o.enrolment_id: 1 for o in observations}
    else:
        described = {(o.training_session_id, o.country_code) for o in observations}
        officers = dict(
            (((session_id, country), count) for session_id, country, count in db.session.execute(
                select(Enrolment.training_session_id, Enrolment.country_code, func.count())
                .where(
                    Enrolment.status == EnrolmentStatus.ENROLLED,
                    Enrolment.training_session_id.in_({s for s, _c in described}),
                )
                .group_by(Enrolment.training_session_id, Enrolment.country_code)
            ))
        )  # fmt: skip
    likert = [q.id for q in instrument.asked_of(kind) if q.type == "likert"]
    groups: dict[Any, dict[str, Any]] = defaultdict(
        lambda: {"answers": 0, "described": set(), "values": defaultdict(list)}
    )
    for observation in observations:
        group = groups[observation.key]
        group["answers"] += 1
        group["described"].add(
            observation.enrolment_id
            if kind == ObserverKind.SUPERVISOR
            else (observation.training_session_id, observation.country_code)
        )
        for question in likert:
            value = (observation.answers or {}).get(question)
            if value not in (None, ""):
                group["values"][question].append(int(value))
    rows = []
    for group_key in sorted(groups, key=str):
        group = groups[group_key]
        count = sum(officers.get(described, 0) for described in group["described"])
        shown = count >= MIN_GROUP
        means = {
            q: (sum(v) / len(v) if shown and (v := group["values"][q]) else None) for q in likert
        }
        rows.append(ObservationRow(group_key, group["answers"], count, means))
    return rows


@dataclass
class QuestionResult:
    """One question's figures for a group: counts per choice, the mean, the free texts."""

    question: Any
    counts: dict[int, int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)

    @property
    def answered(self) -> int:
        """Return how many answers the question had (a multiple choice counts ticks)."""
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        """Return the mean Likert score, or None for other questions or no answers."""
        if self.question.type != "likert" or not self.answered:
            return None
        return sum(choice * count for choice, count in self.counts.items()) / self.answered


@dataclass
class ReactionResult:
    """A group's reaction figures; `suppressed` when fewer than MIN_GROUP answered."""

    respondents: int
    questions: list[QuestionResult]

    @property
    def suppressed(self) -> bool:
        """Return whether the group is too small to show (its figures could name someone)."""
        return self.respondents < MIN_GROUP

    @property
    def satisfaction(self) -> float | None:
        """Return the mean of the first Likert question (overall satisfaction)."""
        return next((q.mean for q in self.questions if q.question.type == "likert"), None)


def _responses(instrument: Instrument, filters: dict[str, Any]):
    """Return the ids of the instrument's sheets in the groups the filters name."""
    statement = (
        select(SurveyResponse.id)
        .join(TrainingSession, SurveyResponse.training_session_id == TrainingSession.id)
        .where(SurveyResponse.instrument == instrument.slug)
    )
    for grouping, value in filters.items():
        if grouping == "session_in":  # a select of session ids
            statement = statement.where(SurveyResponse.training_session_id.in_(value))
            continue
        if grouping == "session":
            column = SurveyResponse.training_session_id
        else:
            column = _group_key(grouping)
        statement = statement.where(column == value)
    return statement


def reaction_result(instrument: Instrument, **filters: Any) -> ReactionResult:
    """Return the figures of one group: session=id, course=id, country=code, year=n, session_in."""
    ids = _responses(instrument, filters).subquery()
    respondents = db.session.scalar(select(func.count()).select_from(ids)) or 0
    results = {q.id: QuestionResult(q) for q in instrument.questions}
    if respondents >= MIN_GROUP:
        rows = db.session.execute(
            select(SurveyAnswer.question, SurveyAnswer.choice, func.count())
            .where(SurveyAnswer.response_id.in_(select(ids.c.id)), SurveyAnswer.choice.is_not(None))
            .group_by(SurveyAnswer.question, SurveyAnswer.choice)
        )
        for question, choice, count in rows:
            if question in results:
                results[question].counts[choice] = count
        texts = db.session.execute(
            select(SurveyAnswer.question, SurveyAnswer.text)
            .where(SurveyAnswer.response_id.in_(select(ids.c.id)), SurveyAnswer.text.is_not(None))
            .order_by(SurveyAnswer.text)  # never in the order they came
        )
        for question, text in texts:
            if question in results:
                results[question].texts.append(text)
    return ReactionResult(respondents, list(results.values()))


def _group_key(grouping: str):
    return {
        "course": TrainingSession.course_id,
        "country": TrainingSession.host_country,
        "year": extract("year", TrainingSession.end_date),
    }[grouping]


@dataclass
class GroupRow:
    """One line of a grouped table: the group, its respondents and the Likert means."""

    key: Any
    respondents: int
    means: dict[str, float | None]

    @property
    def suppressed(self) -> bool:
        """Return whether the group is too small to show."""
        return self.respondents < MIN_GROUP


def reaction_by(instrument: Instrument, grouping: str) -> list[GroupRow]:
    """Return the Likert means per course, host country or year; small groups emptied."""
    key = _group_key(grouping).label("key")
    counts = dict(
        db.session.execute(
            select(key, func.count(distinct(SurveyResponse.id)))
            .join(TrainingSession, SurveyResponse.training_session_id == TrainingSession.id)
            .where(SurveyResponse.instrument == instrument.slug)
            .group_by(key)
        ).all()
    )
    likert = [q.id for q in instrument.questions if q.type == "likert"]
    means: dict[Any, dict[str, float | None]] = defaultdict(dict)
    rows = db.session.execute(
        select(key, SurveyAnswer.question, func.avg(SurveyAnswer.choice))
        .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
        .join(TrainingSession, SurveyResponse.training_session_id == TrainingSession.id)
        .where(SurveyResponse.instrument == instrument.slug, SurveyAnswer.question.in_(likert))
        .group_by(key, SurveyAnswer.question)
    )
    for group, question, mean in rows:
        if counts.get(group, 0) >= MIN_GROUP:
            means[group][question] = float(mean)
    return [
        GroupRow(group, counts[group], {q: means[group].get(q) for q in likert})
        for group in sorted(counts, key=str)
    ]


# --- the trainer's session report -------------------------------------------------------------


def trainer_report_instrument() -> Instrument:
    """Return the instrument trainers answer about a session they taught."""
    return instruments()[TRAINER_REPORT]


def trainer_report_of(training_session: TrainingSession, author: User) -> TrainerReport | None:
    """Return this trainer's report on the session, if written."""
    return db.session.scalar(
        select(TrainerReport).where(
            TrainerReport.training_session_id == training_session.id,
            TrainerReport.author_id == author.id,
        )
    )


def trainer_reports(training_session: TrainingSession) -> list[TrainerReport]:
    """Return the session's trainer reports, oldest first."""
    return list(
        db.session.scalars(
            select(TrainerReport)
            .where(TrainerReport.training_session_id == training_session.id)
            .order_by(TrainerReport.submitted_on, TrainerReport.id)
        )
    )


def save_trainer_report(
    training_session: TrainingSession, author: User, answers: dict[str, Any]
) -> TrainerReport:
    """Keep (or replace) a trainer's report, from the session's last day on."""
    if session_today(training_session) < training_session.end_date:
        raise EvaluationError(_("The report is written from the session's last day."))
    report = trainer_report_of(training_session, author)
    if report is None:
        report = TrainerReport(training_session_id=training_session.id, author_id=author.id)
        db.session.add(report)
    report.instrument = TRAINER_REPORT
    report.answers = answers
    report.submitted_on = session_today(training_session)
    db.session.flush()
    return report


# --- level 2: knowledge tests -----------------------------------------------------------------


def knowledge_test_open(training_session: TrainingSession, phase: str) -> bool:
    """Return whether participants may take it: pre until the first day, post from the last."""
    today = session_today(training_session)
    if training_session.is_cancelled:
        return False
    if phase == Phase.PRE:
        return today <= training_session.start_date
    return (
        training_session.end_date
        <= today
        <= training_session.end_date + timedelta(days=SURVEY_OPEN_DAYS)
    )


def attempt_of(enrolment: Enrolment, phase: str) -> TestAttempt | None:
    """Return the participant's attempt at the pre- or post-test."""
    return db.session.scalar(
        select(TestAttempt).where(
            TestAttempt.enrolment_id == enrolment.id, TestAttempt.phase == phase
        )
    )


def record_test(
    test: Instrument,
    enrolment: Enrolment,
    phase: str,
    answers: dict[str, int | None],
    entered_by: User | None = None,
) -> TestAttempt:
    """Score and keep an attempt: the participant's own once, or a trainer's entry from paper.

    A trainer's entry replaces an earlier one (a correction); unanswered items score nothing.
    """
    form = FORM_OF[Phase(phase)]
    attempt = attempt_of(enrolment, phase)
    if entered_by is None:
        if attempt is not None:
            raise EvaluationError(_("You have already taken this test."))
        if not knowledge_test_open(enrolment.training_session, phase):
            raise EvaluationError(_("This test is not open."))
    items = test.form_items(form)
    kept = {item.id: answers.get(item.id) for item in items}
    if attempt is None:
        attempt = TestAttempt(enrolment_id=enrolment.id, phase=phase)
        db.session.add(attempt)
    attempt.instrument = test.slug
    attempt.form = form
    attempt.answers = kept
    attempt.score = sum(1 for item in items if kept[item.id] == item.answer)
    attempt.max_score = len(items)
    attempt.taken_on = session_today(enrolment.training_session)
    attempt.entered_by_id = entered_by.id if entered_by is not None else None
    db.session.flush()
    return attempt


@dataclass
class LearningRow:
    """One participant's pre and post result; gains only when both tests were taken."""

    enrolment: Enrolment
    pre: TestAttempt | None
    post: TestAttempt | None
    mastery: float

    @property
    def missing(self) -> str | None:
        """Return which test is missing ('pre', 'post', 'both'), or None."""
        if self.pre is None and self.post is None:
            return "both"
        if self.pre is None:
            return Phase.PRE.value
        return Phase.POST.value if self.post is None else None

    @property
    def raw_gain(self) -> float | None:
        """Return post share minus pre share, or None when either is missing (never zero)."""
        if self.missing:
            return None
        return self.post.share - self.pre.share

    @property
    def normalised_gain(self) -> float | None:
        """Return Hake's gain, (post - pre) / (1 - pre); undefined for a perfect pre-test."""
        if self.missing or self.pre.share >= 1:
            return None
        return (self.post.share - self.pre.share) / (1 - self.pre.share)

    @property
    def mastered(self) -> bool | None:
        """Return whether the post-test reached the mastery share, None without a post-test."""
        return None if self.post is None else self.post.share >= self.mastery


@dataclass
class Learning:
    """A session's learning figures: rows, means over complete pairs, weak objectives."""

    rows: list[LearningRow]
    objectives: list[tuple[str, int, float]]  # objective, post answers, share right

    @staticmethod
    def _mean(values: list[float | None]) -> float | None:
        known = [value for value in values if value is not None]
        return sum(known) / len(known) if known else None

    @property
    def pairs(self) -> int:
        """Return how many participants took both tests (the only ones a gain counts)."""
        return sum(1 for row in self.rows if not row.missing)

    @property
    def mean_raw_gain(self) -> float | None:
        """Return the mean raw gain over complete pairs."""
        return self._mean([row.raw_gain for row in self.rows])

    @property
    def mean_normalised_gain(self) -> float | None:
        """Return the mean normalised gain over complete pairs where it is defined."""
        return self._mean([row.normalised_gain for row in self.rows])

    @property
    def mastery_share(self) -> float | None:
        """Return the share of post-test takers who reached mastery."""
        return self._mean(
            [None if row.mastered is None else float(row.mastered) for row in self.rows]
        )

    @property
    def tested(self) -> int:
        """Return how many took at least one of the tests."""
        return sum(1 for row in self.rows if row.missing != "both")

    @property
    def suppressed(self) -> bool:
        """Return whether a group's figures are too few to show outside the session's team."""
        return self.tested < MIN_GROUP

    def missing(self, which: str) -> int:
        """Return how many participants miss the pre-test, the post-test, or both."""
        return sum(1 for row in self.rows if row.missing == which)

    @property
    def weak_spots(self) -> list[tuple[str, int, float]]:
        """Return the objectives fewer than WEAK_SPOT of post-test answers got right."""
        return [entry for entry in self.objectives if entry[2] < WEAK_SPOT]


def _learning_rows(test: Instrument, *where) -> list[LearningRow]:
    """Return the pre/post rows of the standing enrolments matching the conditions."""
    standing = (Enrolment.status == EnrolmentStatus.ENROLLED, *where)
    enrolments = db.session.scalars(
        select(Enrolment)
        .join(Participant, Enrolment.participant_id == Participant.id)
        .where(*standing)
        .order_by(Participant.name_key, Enrolment.id)
    ).all()
    attempts = {
        (a.enrolment_id, a.phase): a
        for a in db.session.scalars(
            select(TestAttempt)
            .join(Enrolment, TestAttempt.enrolment_id == Enrolment.id)
            .where(TestAttempt.instrument == test.slug, *standing)
        )
    }
    return [
        LearningRow(
            e, attempts.get((e.id, Phase.PRE)), attempts.get((e.id, Phase.POST)), test.mastery
        )
        for e in enrolments
    ]


def summarise_learning(test: Instrument, rows: list[LearningRow]) -> Learning:
    """Return the figures of these rows, with the share right per objective on the post-test."""
    items = {item.id: item for item in test.items}
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        for item_id, answer in (row.post.answers if row.post else {}).items():
            if item_id in items:
                tally[items[item_id].objective][0] += 1
                tally[items[item_id].objective][1] += int(answer == items[item_id].answer)
    objectives = [(objective, n, right / n) for objective, (n, right) in sorted(tally.items())]
    return Learning(rows, objectives)


def session_learning(test: Instrument, training_session: TrainingSession) -> Learning:
    """Return every enrolled participant's pre/post result and the post-test's objectives."""
    rows = _learning_rows(test, Enrolment.training_session_id == training_session.id)
    return summarise_learning(test, rows)


def course_learning(
    test: Instrument, course: Course
) -> tuple[Learning, list[tuple[str, Learning]]]:
    """Return the course's learning over all its sessions, and by participants' country."""
    sessions = select(TrainingSession.id).where(TrainingSession.course_id == course.id)
    rows = _learning_rows(test, Enrolment.training_session_id.in_(sessions))
    by_country: dict[str, list[LearningRow]] = defaultdict(list)
    for row in rows:
        by_country[row.enrolment.country_code].append(row)
    countries = [(code, summarise_learning(test, by_country[code])) for code in sorted(by_country)]
    return summarise_learning(test, rows), countries


# --- what the pages and exports read ----------------------------------------------------------


def reaction_instrument() -> Instrument:
    """Return the reaction survey every session asks."""
    return instruments()[REACTION]


def survey_instrument(slug: str | None) -> Instrument | None:
    """Return the participants' survey of that slug (reaction or follow-up), if there is one."""
    instrument = instruments().get(slug or REACTION)
    return instrument if instrument is not None and instrument.kind in SURVEY_KINDS else None


def surveys() -> list[Instrument]:
    """Return the participants' surveys: the reaction survey, then the follow-ups by month."""
    found = [i for i in instruments().values() if i.kind in SURVEY_KINDS]
    return sorted(found, key=lambda i: (i.months_after or 0, i.slug))


def course_test(training_session: TrainingSession) -> Instrument | None:
    """Return the knowledge test of the session's course, if one is written."""
    return knowledge_test_for(training_session.course.slug)


def respondent_count(instrument: Instrument, training_session: TrainingSession) -> int:
    """Return how many answered the session's survey (a count names no one)."""
    return (
        db.session.scalar(
            select(func.count(SurveyResponse.id)).where(
                SurveyResponse.instrument == instrument.slug,
                SurveyResponse.training_session_id == training_session.id,
            )
        )
        or 0
    )


def grouping(value: str | None) -> str:
    """Return a known grouping (course, country or year), course by default."""
    return value if value in GROUPINGS else GROUPINGS[0]


def group_labels(grouping_name: str) -> dict[Any, str]:
    """Return the display name of each group key (course titles; countries and years as-is)."""
    if grouping_name != "course":
        return {}
    return dict(db.session.execute(select(Course.id, Course.title)).all())


def learning_csv(test: Instrument, course: Course) -> str:
    """Return the course's learning by participants' country as CSV; small groups left empty."""
    overall, countries = course_learning(test, course)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["country", "tested", "pairs", "mean_raw_gain", "mean_normalised_gain", "mastery_share",
         "missing_pre", "missing_post"]
    )  # fmt: skip
    for code, learning in [*countries, ("all", overall)]:
        if learning.suppressed:
            writer.writerow([code, f"<{MIN_GROUP}", "", "", "", "", "", ""])
            continue
        figures = (learning.mean_raw_gain, learning.mean_normalised_gain, learning.mastery_share)
        writer.writerow(
            [code, learning.tested, learning.pairs,
             *("" if value is None else f"{value:.3f}" for value in figures),
             learning.missing("pre"), learning.missing("post")]
        )  # fmt: skip
    return out.getvalue()


def reaction_csv(instrument: Instrument, grouping_name: str) -> str:
    """Return a survey's grouped table as CSV; a small group's figures are left empty."""
    labels = group_labels(grouping_name)
    likert = [q.id for q in instrument.questions if q.type == "likert"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([grouping_name, "respondents", *likert])
    for row in reaction_by(instrument, grouping_name):
        name = labels.get(row.key, row.key)
        if row.suppressed:
            writer.writerow([name, f"<{MIN_GROUP}", *([""] * len(likert))])
        else:
            means = [f"{row.means[q]:.2f}" if row.means[q] is not None else "" for q in likert]
            writer.writerow([name, row.respondents, *means])
    return out.getvalue()


@dataclass(frozen=True)
class Scope:
    """The sessions and people the programme's figures cover: the reach dashboard's filters.

    Session filters (dates, course, host, partner) narrow every figure; filters on people
    (country of service, agency type) narrow tests and follow-up rates only, since an
    anonymous reaction answer cannot be traced to a country or an agency.
    """

    date_from: date | None = None
    date_to: date | None = None
    course_id: int | None = None
    host_country: str | None = None
    partner_id: int | None = None
    countries: frozenset[str] | None = None
    agency_type: str | None = None

    @property
    def people_filtered(self) -> bool:
        """Return whether a filter narrows the people, which anonymous answers cannot follow."""
        return self.countries is not None or self.agency_type is not None

    def session_conditions(self) -> list:
        """Return the conditions on TrainingSession (start dates, like reach)."""
        conditions = [TrainingSession.status != SessionStatus.CANCELLED]
        if self.date_from:
            conditions.append(TrainingSession.start_date >= self.date_from)
        if self.date_to:
            conditions.append(TrainingSession.start_date <= self.date_to)
        if self.course_id:
            conditions.append(TrainingSession.course_id == self.course_id)
        if self.host_country:
            conditions.append(TrainingSession.host_country == self.host_country)
        if self.partner_id:
            partners = training_session_partners
            conditions.append(
                TrainingSession.id.in_(
                    select(partners.c.training_session_id).where(
                        partners.c.partner_id == self.partner_id
                    )
                )
            )
        return conditions

    def people_conditions(self) -> list:
        """Return the conditions on Enrolment (the country and agency at the time of training)."""
        conditions = []
        if self.countries is not None:
            conditions.append(Enrolment.country_code.in_(sorted(self.countries)))
        if self.agency_type:
            conditions.append(Enrolment.agency_type == self.agency_type)
        return conditions


@dataclass(frozen=True)
class FollowUpRate:
    """How many were asked a follow-up (it has opened for their session) and how many answered."""

    months: int
    asked: int
    answered: int

    @property
    def rate(self) -> float | None:
        """Return the response rate, or None while fewer than MIN_GROUP were asked."""
        return self.answered / self.asked if self.asked >= MIN_GROUP else None


@dataclass(frozen=True)
class ProgrammeFigures:
    """The programme's evaluation in plain numbers, for the dashboard, the XLSX and the PDF.

    Figures of groups under MIN_GROUP are None already, so no output can show them.
    """

    respondents: int
    satisfaction: float | None  # mean overall satisfaction, 1 to 5
    reaction_applies: bool  # False when a filter on people makes anonymous answers unfit
    tested: int
    pairs: int
    normalised_gain: float | None
    follow_ups: tuple[FollowUpRate, ...]


def latest_end_opened_by(day: date, months: int) -> date:
    """Return the last end date whose survey `months` after it has opened by `day`."""
    latest = add_months(day, -months)
    while add_months(latest + timedelta(days=1), months) <= day:
        latest += timedelta(days=1)
    return latest


def _opened(instrument: Instrument) -> Any:
    """Return the condition 'the survey has opened today where the session was held'.

    A session's today depends only on its time zone, so one bound per zone in use replaces a
    walk over every session.
    """
    months = instrument.months_after or 0
    zones = db.session.scalars(select(TrainingSession.timezone).distinct()).all()
    return or_(
        false(),
        *(
            and_(
                TrainingSession.timezone == zone,
                TrainingSession.end_date <= latest_end_opened_by(clock.today_in(zone), months),
            )
            for zone in zones
        ),
    )


def follow_up_rate(instrument: Instrument, scope: Scope) -> FollowUpRate:
    """Return how many places were asked the follow-up and how many answered, in one query."""
    asked, answered = db.session.execute(
        select(func.count(Enrolment.id), func.count(SurveyRespondent.enrolment_id))
        .select_from(Enrolment)
        .join(TrainingSession, Enrolment.training_session_id == TrainingSession.id)
        .outerjoin(
            SurveyRespondent,
            and_(
                SurveyRespondent.enrolment_id == Enrolment.id,
                SurveyRespondent.instrument == instrument.slug,
            ),
        )
        .where(
            Enrolment.status == EnrolmentStatus.ENROLLED,
            _opened(instrument),
            *scope.session_conditions(),
            *scope.people_conditions(),
        )
    ).one()
    return FollowUpRate(instrument.months_after or 0, asked or 0, answered or 0)


def programme_figures(scope: Scope | None = None) -> ProgrammeFigures:
    """Return satisfaction, mean normalised gain and follow-up rates; small groups hidden."""
    scope = scope or Scope()
    sessions = select(TrainingSession.id).where(*scope.session_conditions())
    applies = not scope.people_filtered
    reaction = reaction_result(reaction_instrument(), session_in=sessions) if applies else None
    rows: list[LearningRow] = []
    for test in of_kind("knowledge_test"):
        of_course = sessions.join(Course).where(Course.slug == test.course)
        rows += _learning_rows(
            test, Enrolment.training_session_id.in_(of_course), *scope.people_conditions()
        )
    learning = Learning(rows, [])
    return ProgrammeFigures(
        respondents=reaction.respondents if reaction else 0,
        satisfaction=None if not reaction or reaction.suppressed else reaction.satisfaction,
        reaction_applies=applies,
        tested=learning.tested,
        pairs=learning.pairs,
        normalised_gain=None if learning.suppressed else learning.mean_normalised_gain,
        follow_ups=tuple(follow_up_rate(i, scope) for i in surveys() if i.kind == "follow_up"),
    )


@dataclass(frozen=True)
class Task:
    """Something a participant may answer now: a survey (slug) or a knowledge test (phase)."""

    endpoint: str
    values: dict[str, Any]
    title: dict[str, str]
    phase: str | None = None  # a knowledge test's: before the course, or after it


def tasks_for(user: User, training_session: TrainingSession) -> list[Task]:
    """Return the tests and surveys open to the user in the session that they have not answered."""
    place = place_of(user, training_session)
    if place is None:
        return []
    tasks = []
    test = course_test(training_session)
    for phase in (Phase.PRE, Phase.POST):
        if test and knowledge_test_open(training_session, phase) and not attempt_of(place, phase):
            values = {"training_session_id": training_session.id, "phase": phase}
            tasks.append(Task("evaluation.take_test", values, test.title, phase))
    for instrument in surveys():
        if survey_is_open(instrument, training_session) and not has_answered(instrument, place):
            values = {"training_session_id": training_session.id, "slug": instrument.slug}
            tasks.append(Task("evaluation.survey", values, instrument.title))
    return tasks


@dataclass(frozen=True)
class FigureRow:
    """One evaluation figure as every output shows it: the rounded value and its wording."""

    code: str
    label: str
    value: float | None  # rounded as shown; None when hidden
    shown: str
    base: str  # what the figure counts over, e.g. "12 respondents"
    percent: bool = False


def _hidden(applies: bool = True) -> str:
    if not applies:
        return _("Not split by participant (the answers are anonymous)")
    return _("Too few to show (under %(num)d)", num=MIN_GROUP)


def figure_rows(figures: ProgrammeFigures) -> list[FigureRow]:
    """Return the figures in the wording and rounding the dashboard, the XLSX and the PDF share."""
    satisfaction = None if figures.satisfaction is None else round(figures.satisfaction, 1)
    gain = None if figures.normalised_gain is None else round(figures.normalised_gain, 2)
    rows = [
        FigureRow(
            "satisfaction",
            _("Satisfaction (1 to 5)"),
            satisfaction,
            _hidden(figures.reaction_applies) if satisfaction is None else f"{satisfaction:.1f}",
            _("%(num)d respondents", num=figures.respondents),
        ),
        FigureRow(
            "normalised_gain",
            _("Mean normalised gain, pre- to post-test"),
            gain,
            _hidden() if gain is None else f"{gain:.2f}",
            _(
                "%(pairs)d with both tests of %(tested)d tested",
                pairs=figures.pairs,
                tested=figures.tested,
            ),
        ),
    ]
    for follow_up in figures.follow_ups:
        rate = None if follow_up.rate is None else round(follow_up.rate, 2)
        rows.append(
            FigureRow(
                f"follow_up_{follow_up.months}m",
                _("Follow-up response rate at %(num)d months", num=follow_up.months),
                rate,
                _hidden() if rate is None else f"{rate:.0%}",
                _("%(num)d asked", num=follow_up.asked)
                if rate is None  # how many answered would give a small group's rate away
                else _(
                    "%(answered)d of %(asked)d asked",
                    answered=follow_up.answered,
                    asked=follow_up.asked,
                ),
                percent=True,
            )
        )
    return rows
