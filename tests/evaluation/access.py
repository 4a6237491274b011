from datetime import timedelta

from app.certificates.services import add_months
from app.evaluation import services
from app.evaluation.instruments import instruments
from app.extensions import db
from app.shared import clock
from tests.access import FOCAL_POINTS, PUBLIC, SESSION_TEAM, Route

# The world's owner and other participant both hold a place in the world's session.
PLACE_HOLDERS = frozenset({"owner", "participant"})
READERS = SESSION_TEAM | {"manager"}
PROGRAMME = frozenset({"manager", "admin"})
KENYA_FOCAL = frozenset({"focal_point"})  # the focal point of the world's country, Kenya


def _survey(world) -> dict:
    return {"training_session_id": world.training_session.id, "slug": "reaction"}


def _with_test(world) -> dict:
    """Make the world's course one with a written knowledge test (CFCAC)."""
    world.course.slug = "cfcac"
    db.session.flush()
    return {"training_session_id": world.training_session.id}


def _course_with_test(world) -> dict:
    _with_test(world)
    return {"course_id": world.course.id}


def _phase(phase: str):
    return lambda w: {**_with_test(w), "phase": phase}


def _entry(w) -> dict:
    return {**_phase("post")(w), "enrolment_id": w.enrolment.id}


def _observed(w) -> dict:
    return {
        "training_session_id": w.training_session.id,
        "slug": "follow-up-3m",
        "country_code": w.enrolment.country_code,
    }


def _supervised(w) -> dict:
    """Give the owner a supervisor and end the session 3 months ago: their link is open."""
    training_session = w.training_session
    training_session.end_date = add_months(clock.today_in(training_session.timezone), -3)
    training_session.start_date = training_session.end_date - timedelta(days=2)
    w.enrolment.participant.supervisor_email = "chief.owner@example.org"
    db.session.flush()
    return {"token": services.supervisor_token(instruments()["follow-up-3m"], w.enrolment)}


ROUTES = [
    Route("evaluation.survey", PLACE_HOLDERS, kwargs=_survey),
    Route("evaluation.survey", PLACE_HOLDERS, method="POST", kwargs=_survey, data=lambda w: {}),
    Route("evaluation.take_test", PLACE_HOLDERS, kwargs=_phase("pre")),
    Route(
        "evaluation.take_test",
        PLACE_HOLDERS,
        method="POST",
        kwargs=_phase("post"),
        data=lambda w: {},
    ),
    Route("evaluation.paper_test", SESSION_TEAM, kwargs=_phase("pre")),
    Route("evaluation.enter_test", SESSION_TEAM, kwargs=_entry),
    Route("evaluation.enter_test", SESSION_TEAM, method="POST", kwargs=_entry, data=lambda w: {}),
    Route("evaluation.session_evaluation", READERS, kwargs=_with_test),
    Route("evaluation.trainer_report", SESSION_TEAM, kwargs=_with_test),
    Route(
        "evaluation.trainer_report",
        SESSION_TEAM,
        method="POST",
        kwargs=_with_test,
        data=lambda w: {},
    ),
    Route("evaluation.course_evaluation", PROGRAMME, kwargs=lambda w: {"course_id": w.course.id}),
    Route("evaluation.course_learning_csv", PROGRAMME, kwargs=_course_with_test),
    Route("evaluation.programme_results", PROGRAMME),
    Route("evaluation.programme_results_csv", PROGRAMME),
    # Focal points enter their own countries' indicators (the world's are Kenya and Uganda).
    Route("evaluation.indicator_index", PROGRAMME | FOCAL_POINTS),
    Route(
        "evaluation.country_indicators",
        PROGRAMME | {"focal_point"},
        kwargs=lambda w: {"country_code": "KE", "year": 2025},
    ),
    Route(
        "evaluation.country_indicators",
        PROGRAMME | {"focal_point"},
        method="POST",
        kwargs=lambda w: {"country_code": "KE", "year": 2025},
        data=lambda w: {},
    ),
    # Only the focal point of the officers' country (Kenya) answers about them.
    Route("evaluation.observe", KENYA_FOCAL, kwargs=_observed),
    Route("evaluation.observe", KENYA_FOCAL, method="POST", kwargs=_observed, data=lambda w: {}),
    # A supervisor has no account: the secret link alone opens it (a wrong one is 404).
    Route("evaluation.supervise", PUBLIC, kwargs=_supervised),
    Route("evaluation.supervise", PUBLIC, method="POST", kwargs=_supervised, data=lambda w: {}),
]
