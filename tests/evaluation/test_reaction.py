"""Level 1: the anonymous reaction survey, its register, reminders and small-group suppression."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Date, select

from app.evaluation import services
from app.evaluation.instruments import instruments
from app.evaluation.models import SurveyRespondent, SurveyResponse
from app.extensions import db
from app.notifications.models import EmailLog
from tests import factories
from tests.evaluation.helpers import LAST_DAY, session_with_people, set_today

ANSWERS = {"overall": "5", "relevance": "4", "objectives-clear": "4", "trainers": "5",
           "exercises": "3", "apply": "4", "pace": "1", "improve": "More exercises."}  # fmt: skip


def _reaction():
    return instruments()["reaction"]


def _form(answers=ANSWERS) -> dict:
    data = {f"q_{key}": value for key, value in answers.items()}
    data["q_most-useful"] = ["1", "3"]
    return data


def _reachable(table, seen=None, skip=()) -> set[str]:
    """Return the names of every table a row of `table` leads to through foreign keys."""
    seen = set() if seen is None else seen
    for key in table.foreign_keys:
        target = key.column.table
        if target.name not in seen:
            seen.add(target.name)
            if target.name not in skip:
                _reachable(target, seen, skip)
    return seen


def test_no_database_path_leads_from_an_answer_to_a_person(app):
    answers = db.metadata.tables["survey_answers"]
    responses = db.metadata.tables["survey_responses"]
    # An answer reaches its sheet and the session; the session's own links (its trainers,
    # its creator) are the session's, never the respondent's, so the walk stops there.
    assert _reachable(answers, skip={"training_sessions"}) == {
        "survey_responses",
        "training_sessions",
    }
    # Followed all the way (the session's trainers and creator included), no walk reaches
    # a participant, an enrolment or the register of who answered.
    assert not _reachable(answers) & {"participants", "enrolments", "survey_respondents"}
    # Nothing points at a sheet or an answer from the people's side either.
    for table in db.metadata.tables.values():
        for key in table.foreign_keys:
            if key.column.table.name in {"survey_responses", "survey_answers"}:
                assert table.name == "survey_answers", f"{table.name} leads to an answer sheet"
    assert set(responses.c.keys()) == {"id", "instrument", "training_session_id", "submitted_on"}
    assert set(answers.c.keys()) == {"id", "response_id", "question", "choice", "text"}
    assert isinstance(responses.c.submitted_on.type, Date)  # the day, never the time
    assert not responses.c.id.autoincrement is True  # noqa: E714  (a random key, no order)
    register = db.metadata.tables["survey_respondents"]
    assert set(register.c.keys()) == {"instrument", "enrolment_id"}  # no date, no id


def test_the_survey_opens_on_the_last_day_where_the_session_is_held(app, monkeypatch):
    training_session, _ = session_with_people(0, timezone="Pacific/Kiritimati")  # UTC+14
    set_today(monkeypatch, LAST_DAY - timedelta(days=1), hour=11)  # already the 13th there
    assert services.survey_is_open(_reaction(), training_session)
    training_session.timezone = "UTC"
    assert not services.survey_is_open(_reaction(), training_session)
    set_today(
        monkeypatch, services.survey_closes_on(_reaction(), training_session) + timedelta(days=1)
    )
    assert not services.survey_is_open(_reaction(), training_session)


def test_a_participant_answers_once_and_the_sheet_names_no_one(app, client, login, monkeypatch):
    set_today(monkeypatch, LAST_DAY)
    training_session, (enrolment, *_) = session_with_people(2)
    db.session.commit()
    login(enrolment.participant.user)
    url = f"/evaluation/sessions/{training_session.id}/surveys/reaction"
    page = client.get(url)
    assert "Your answers are anonymous" in page.text
    response = client.post(url, data=_form())
    assert response.status_code == 302
    sheet = db.session.scalars(select(SurveyResponse)).one()
    assert sheet.submitted_on == LAST_DAY
    assert {(a.question, a.choice, a.text) for a in sheet.answers} >= {
        ("overall", 5, None), ("most-useful", 1, None), ("most-useful", 3, None),
        ("improve", None, "More exercises."),
    }  # fmt: skip
    register = db.session.scalars(select(SurveyRespondent)).one()
    assert register.enrolment_id == enrolment.id
    assert "You have answered this survey" in client.get(url).text
    client.post(url, data=_form())
    assert db.session.scalar(select(db.func.count(SurveyResponse.id))) == 1


def test_a_closed_survey_takes_no_answers(app, client, login, monkeypatch):
    set_today(monkeypatch, LAST_DAY - timedelta(days=1))
    training_session, (enrolment,) = session_with_people(1)
    db.session.commit()
    login(enrolment.participant.user)
    url = f"/evaluation/sessions/{training_session.id}/surveys/reaction"
    assert "This survey opens on" in client.get(url).text
    client.post(url, data=_form())
    assert db.session.scalar(select(db.func.count(SurveyResponse.id))) == 0


def _reminded(training_session) -> list[str]:
    return sorted(db.session.scalars(select(EmailLog.to_address)))


def test_two_reminders_go_to_non_respondents_once_each_then_stop(app, monkeypatch):
    set_today(monkeypatch, LAST_DAY)
    training_session, enrolments = session_with_people(3)
    services.submit_survey(_reaction(), enrolments[0], {"overall": "4"})
    db.session.commit()
    others = sorted(e.participant.email for e in enrolments[1:])

    set_today(monkeypatch, LAST_DAY + timedelta(days=1))
    assert services.schedule_messages() == 0
    set_today(monkeypatch, LAST_DAY + timedelta(days=2))
    assert services.schedule_messages() == 1
    db.session.commit()  # the job runs after the commit (in this process when testing)
    assert _reminded(training_session) == others
    assert services.schedule_messages() == 0
    services.send_message(training_session.id, "reaction", 1)  # a repeated job sends nothing
    db.session.commit()
    assert len(_reminded(training_session)) == 2

    services.submit_survey(_reaction(), enrolments[1], {"overall": "3"})
    set_today(monkeypatch, LAST_DAY + timedelta(days=7))
    assert services.schedule_messages() == 1
    db.session.commit()
    assert _reminded(training_session) == sorted([*others, enrolments[2].participant.email])
    set_today(monkeypatch, LAST_DAY + timedelta(days=20))
    assert services.schedule_messages() == 0
    services.send_message(training_session.id, "reaction", 3)
    db.session.commit()
    assert len(_reminded(training_session)) == 3


def test_the_reminder_command_queues_what_is_due(app, runner, monkeypatch):
    set_today(monkeypatch, LAST_DAY + timedelta(days=2))
    session_with_people(1)
    db.session.commit()
    result = runner.invoke(args=["evaluation", "remind"])
    assert result.exit_code == 0, result.output
    assert "1 survey emails queued." in result.output
    assert db.session.scalar(select(db.func.count(EmailLog.id))) == 1


def _answer(enrolments, overall="4") -> None:
    for enrolment in enrolments:
        services.submit_survey(_reaction(), enrolment, {"overall": overall, "improve": "x"})


@pytest.mark.parametrize(("count", "shown"), [(4, False), (5, True)])
def test_a_session_under_five_answers_shows_no_figures(app, monkeypatch, count, shown):
    set_today(monkeypatch, LAST_DAY)
    training_session, enrolments = session_with_people(count)
    _answer(enrolments)
    result = services.reaction_result(_reaction(), session=training_session.id)
    assert result.respondents == count
    assert result.suppressed is not shown
    overall = result.questions[0]
    assert (overall.mean == 4.0) if shown else (overall.mean is None and not overall.counts)
    assert bool(result.questions[-1].texts) is shown


def test_every_output_hides_the_same_small_groups(app, client, as_role, monkeypatch):
    set_today(monkeypatch, LAST_DAY)
    course = factories.make_course(title="Big Course")
    small, few = session_with_people(4, host_country="UG")
    big, many = session_with_people(5, course=course, host_country="KE")
    _answer(few, overall="1")
    _answer(many, overall="5")
    rows = {row.key: row for row in services.reaction_by(_reaction(), "country")}
    assert rows["UG"].suppressed and rows["UG"].means["overall"] is None
    assert rows["KE"].means["overall"] == 5.0
    as_role("manager")
    db.session.commit()
    csv_text = client.get("/evaluation/results.csv?by=country").text
    assert "UG,<5," in csv_text and "KE,5,5.00" in csv_text
    page = client.get("/evaluation/results?by=country").text
    assert "fewer than 5 answers" in page and "5.0" in page
    by_course = client.get("/evaluation/results.csv?by=course").text
    assert "Big Course,5,5.00" in by_course
    assert services.reaction_result(_reaction(), year=2026).respondents == 9


def test_the_session_page_links_to_its_evaluation_with_the_answer_count(
    app, client, login, monkeypatch
):
    set_today(monkeypatch, LAST_DAY)
    trainer = factories.make_user(roles=("trainer",))
    training_session, enrolments = session_with_people(2, trainers=[trainer])
    _answer(enrolments)
    db.session.commit()
    login(trainer)
    page = client.get(f"/training-sessions/{training_session.id}").text
    assert f"/evaluation/sessions/{training_session.id}" in page
    assert "2 survey answers" in page and "results appear from 5 answers" in page


def test_a_merge_keeps_the_register_and_the_tests_with_the_kept_place(app, monkeypatch):
    from app.enrolment.services import merge_participants
    from app.evaluation.models import TestAttempt

    set_today(monkeypatch, LAST_DAY)
    training_session, (kept, dropped) = session_with_people(2)
    services.submit_survey(_reaction(), dropped, {"overall": "4"})
    services.record_test(
        instruments()["cfcac-knowledge"], dropped, "post", {}, entered_by=factories.make_user()
    )
    db.session.commit()
    merge_participants(kept.participant, dropped.participant, factories.make_user(roles=("admin",)))
    db.session.commit()
    survivor = db.session.get(type(kept), kept.id) or db.session.get(type(kept), dropped.id)
    assert services.has_answered(_reaction(), survivor)
    assert services.non_respondents("reaction", training_session) == []
    assert db.session.scalars(select(TestAttempt)).one().enrolment_id == survivor.id


def test_the_participants_session_page_offers_what_is_open_until_it_is_answered(
    app, client, login, monkeypatch
):
    set_today(monkeypatch, LAST_DAY)
    training_session, (enrolment, *_) = session_with_people(2)
    db.session.commit()
    login(enrolment.participant.user)
    survey = f"/evaluation/sessions/{training_session.id}/surveys/reaction"
    page = client.get(f"/my-trainings/{training_session.id}").text
    assert "Your questionnaires" in page and f'href="{survey}"' in page
    client.post(survey, data=_form())
    assert f'href="{survey}"' not in client.get(f"/my-trainings/{training_session.id}").text
    set_today(monkeypatch, LAST_DAY - timedelta(days=3))  # mid-course: nothing is open
    assert "Your questionnaires" not in client.get(f"/my-trainings/{training_session.id}").text
