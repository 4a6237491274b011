"""Level 3: follow-ups 3 and 6 months after the last day, sent then reminded twice, anonymous."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.evaluation import services
from app.evaluation.instruments import instruments
from app.evaluation.models import SurveyResponse
from app.extensions import db
from app.notifications.models import EmailLog
from tests.evaluation.helpers import LAST_DAY, session_with_people, set_today

THREE_MONTHS = date(2026, 6, 13)  # LAST_DAY is 13 March 2026


def _sent() -> int:
    return db.session.scalar(select(db.func.count(EmailLog.id)))


def test_a_follow_up_opens_months_after_the_last_day(app, monkeypatch):
    training_session, _ = session_with_people(0)
    three, six = instruments()["follow-up-3m"], instruments()["follow-up-6m"]
    assert services.survey_opens_on(three, training_session) == THREE_MONTHS
    assert services.survey_opens_on(six, training_session) == date(2026, 9, 13)
    set_today(monkeypatch, THREE_MONTHS - timedelta(days=1))
    assert not services.survey_is_open(three, training_session)
    set_today(monkeypatch, THREE_MONTHS)
    assert services.survey_is_open(three, training_session)
    assert not services.survey_is_open(six, training_session)


def test_the_follow_up_is_sent_then_reminded_twice_to_those_who_have_not_answered(app, monkeypatch):
    set_today(monkeypatch, LAST_DAY)
    training_session, (first, second) = session_with_people(2)
    for enrolment in (first, second):  # both answer on the last day: no reaction reminders
        services.submit_survey(services.reaction_instrument(), enrolment, {"overall": "5"})
    db.session.commit()
    three = instruments()["follow-up-3m"]
    days_and_emails = [(-1, 0), (0, 2), (1, 2), (7, 4), (21, 5), (29, 5)]
    for offset, expected in days_and_emails:
        set_today(monkeypatch, THREE_MONTHS + timedelta(days=offset))
        services.schedule_messages()
        db.session.commit()
        assert _sent() == expected, f"day {offset}"
        if offset == 7:
            services.submit_survey(three, first, {"applied": "4", "frequency": "2", "shared": "4"})
            db.session.commit()


def test_a_participant_answers_a_follow_up_and_the_trainer_report_is_not_theirs(
    app, client, login, monkeypatch
):
    set_today(monkeypatch, THREE_MONTHS)
    training_session, (enrolment,) = session_with_people(1)
    db.session.commit()
    login(enrolment.participant.user)
    base = f"/evaluation/sessions/{training_session.id}/surveys"
    assert "What has changed in your work, 3 months on?" in client.get(f"{base}/follow-up-3m").text
    data = {"q_applied": "4", "q_frequency": "3", "q_shared": "5", "q_practices": ["0", "2"]}
    assert client.post(f"{base}/follow-up-3m", data=data).status_code == 302
    sheet = db.session.scalars(select(SurveyResponse)).one()
    assert sheet.instrument == "follow-up-3m"
    assert client.get(f"{base}/trainer-report").status_code == 404
    assert client.get(f"{base}/cfcac-knowledge").status_code == 404


def test_follow_up_results_by_country_hide_small_groups(app, client, as_role, monkeypatch):
    set_today(monkeypatch, THREE_MONTHS)
    three = instruments()["follow-up-3m"]
    _, ke = session_with_people(5, host_country="KE")
    _, ug = session_with_people(2, host_country="UG")
    for enrolment in ke + ug:
        services.submit_survey(three, enrolment, {"applied": "4", "frequency": "1", "shared": "3"})
    as_role("manager")
    db.session.commit()
    page = client.get("/evaluation/results?by=country&survey=follow-up-3m").text
    assert "What has changed in your work, 3 months on?" in page
    assert "fewer than 5 answers" in page
    csv_text = client.get("/evaluation/results.csv?by=country&survey=follow-up-3m").text
    assert csv_text.splitlines()[0] == "country,respondents,applied,shared"
    assert "KE,5,4.00,3.00" in csv_text and "UG,<5,," in csv_text
