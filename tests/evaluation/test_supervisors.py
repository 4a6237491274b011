"""Level 3 seen by supervisors: a private link, no account, named answers about one officer."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from app.evaluation import services
from app.evaluation.instruments import instruments
from app.evaluation.models import FollowUpObservation, ObserverKind, SurveyResponse
from app.extensions import db
from app.notifications.models import EmailLog
from app.privacy import services as privacy
from tests import factories
from tests.evaluation.helpers import session_with_people, set_today

THREE_MONTHS = date(2026, 6, 13)  # the sessions end on 13 March 2026
CHIEF = "chief.inspector@example.org"
ANSWERS = {"q_applied": "4", "q_performance": "5", "q_shared": "3", "q_support": "2"}


def _supervised(count: int = 1):
    training_session, enrolments = session_with_people(count)
    for number, enrolment in enumerate(enrolments):
        enrolment.participant.supervisor_name = f"Chief Inspector {number}"
        enrolment.participant.supervisor_email = (
            CHIEF if number == 0 else f"chief{number}@example.org"
        )
    db.session.commit()
    return training_session, enrolments


def _emails_to(address: str) -> int:
    return db.session.scalar(select(func.count(EmailLog.id)).where(EmailLog.to_address == address))


def _run_day(monkeypatch, offset: int) -> None:
    set_today(monkeypatch, THREE_MONTHS + timedelta(days=offset))
    services.schedule_messages()
    db.session.commit()


def _link(outbox) -> str:
    (message,) = [m for m in outbox.refresh() if m["To"] == CHIEF]
    return re.search(r"http://\S+/evaluation/follow-ups/\S+", message.get_content()).group(0)


def _path(url: str) -> str:
    return url[url.index("/evaluation/") :]


def test_the_supervisor_is_asked_once_then_reminded_twice_then_no_more(app, monkeypatch, outbox):
    _, (enrolment,) = _supervised()
    for offset, expected in ((0, 1), (0, 1), (6, 1), (7, 2), (21, 3), (22, 3), (29, 3)):
        _run_day(monkeypatch, offset)
        assert _emails_to(CHIEF) == expected, offset
    message = next(m for m in outbox.refresh() if m["To"] == CHIEF)
    body = message.get_content()
    training_session = enrolment.training_session
    subject = message["Subject"]  # kept in the email log, which erasing the officer does not reach
    assert enrolment.participant.full_name not in subject
    assert training_session.course.title in subject and training_session.code in subject
    assert enrolment.participant.full_name in body and "not anonymous" in body


def test_a_supervisor_who_answered_gets_no_reminder(app, monkeypatch, outbox):
    _supervised()
    _run_day(monkeypatch, 0)
    anonymous = app.test_client()
    assert anonymous.post(_path(_link(outbox)), data=ANSWERS).status_code == 302
    _run_day(monkeypatch, 7)
    _run_day(monkeypatch, 21)
    assert _emails_to(CHIEF) == 1


def test_the_link_works_without_login_once_and_is_kept_apart(app, monkeypatch, outbox):
    _, (enrolment,) = _supervised()
    _run_day(monkeypatch, 0)
    url = _path(_link(outbox))
    anonymous = app.test_client()
    page = anonymous.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert enrolment.participant.full_name in html and "not anonymous" in html
    assert 'name="q_performance"' in html
    assert anonymous.post(url, data=ANSWERS).status_code == 302
    again = anonymous.get(url).get_data(as_text=True)
    assert "You have answered this follow-up about this officer" in again
    assert 'name="q_performance"' not in again
    anonymous.post(url, data={**ANSWERS, "q_applied": "1"})
    (observation,) = db.session.scalars(select(FollowUpObservation)).all()
    assert observation.kind == ObserverKind.SUPERVISOR
    assert (observation.enrolment_id, observation.observer_id) == (enrolment.id, None)
    assert (observation.observer_name, observation.observer_email) == ("Chief Inspector 0", CHIEF)
    assert observation.answers["applied"] == "4"
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 0  # not the officer's


def test_a_wrong_stale_or_expired_link_is_not_found(app, monkeypatch, outbox):
    _, (enrolment,) = _supervised()
    _run_day(monkeypatch, 0)
    url = _path(_link(outbox))
    anonymous = app.test_client()
    assert anonymous.get(url[:-3] + "xyz").status_code == 404  # forged
    assert anonymous.get("/evaluation/follow-ups/nothing").status_code == 404
    set_today(monkeypatch, THREE_MONTHS + timedelta(days=services.SURVEY_OPEN_DAYS + 1))
    assert anonymous.get(url).status_code == 404  # the follow-up has closed
    set_today(monkeypatch, THREE_MONTHS)
    enrolment.participant.supervisor_email = "new.chief@example.org"
    db.session.commit()
    assert anonymous.get(url).status_code == 404  # another supervisor now: the old link is void
    assert db.session.scalar(select(func.count(FollowUpObservation.id))) == 0


def _answer_all(enrolments, value: str) -> None:
    three = instruments()["follow-up-3m"]
    for enrolment in enrolments:
        request = services.supervisor_request(services.supervisor_token(three, enrolment))
        services.submit_supervisor_observation(request, {"applied": value, "performance": "3"})
    db.session.commit()


def test_results_show_supervisors_apart_and_hide_small_groups(app, client, login, monkeypatch):
    set_today(monkeypatch, THREE_MONTHS)
    _, enrolments = _supervised(5)
    _answer_all(enrolments, "2")
    login(factories.make_user(roles=("manager",)))
    html = client.get("/evaluation/results?survey=follow-up-3m&by=country").get_data(as_text=True)
    focal = html[html.index('id="observer-results"') : html.index('id="supervisor-results"')]
    supervisors = html[html.index('id="supervisor-results"') :]
    assert "No answers yet." in focal  # the supervisors' are not the focal points'
    assert '<tr data-group="KE">' in supervisors and "<td>2.0</td>" in supervisors
    (row,) = services.observations_by(instruments()["follow-up-3m"], "country", "supervisor")
    assert (row.answers, row.officers, row.means["applied"]) == (5, 5, 2.0)


def test_fewer_than_five_officers_described_by_supervisors_are_hidden(app, monkeypatch):
    set_today(monkeypatch, THREE_MONTHS)
    _, enrolments = _supervised(4)
    _answer_all(enrolments, "5")
    (row,) = services.observations_by(instruments()["follow-up-3m"], "course", "supervisor")
    assert row.suppressed and row.means["applied"] is None


def test_export_and_erasure_cover_the_supervisor(app, monkeypatch):
    set_today(monkeypatch, THREE_MONTHS)
    _, (enrolment,) = _supervised()
    _answer_all([enrolment], "4")
    participant = enrolment.participant
    records = privacy.records_of(privacy.Person.of_participant(participant))
    (observation,) = records.tables["follow_up_observations"]
    assert observation.enrolment_id == enrolment.id
    admin = factories.make_user(roles=("admin",))
    privacy.erase(participant, admin, "asked to be forgotten")
    db.session.commit()
    assert (participant.supervisor_name, participant.supervisor_email) == (None, None)
    assert db.session.scalar(select(func.count(FollowUpObservation.id))) == 0
    token = services.supervisor_token(instruments()["follow-up-3m"], enrolment)
    assert services.supervisor_request(token) is None  # no supervisor left to ask


def test_the_link_does_not_let_its_holder_confirm_a_guessed_address(app, monkeypatch, outbox):
    _, (enrolment,) = _supervised()
    _run_day(monkeypatch, 0)
    token = _link(outbox).rsplit("/", 1)[1]
    payload = URLSafeSerializer("any key").loads_unsafe(token)[1]
    guesses = {CHIEF, CHIEF.upper(), f" {CHIEF}"}
    digests = {
        hashlib.sha256(guess.encode()).hexdigest()[:length]
        for guess in guesses
        for length in (16, 32, 64)
    }
    assert not {str(part) for part in payload} & digests  # the address cannot be tested offline
    assert enrolment.participant.supervisor_email not in str(payload)


def test_two_answers_sent_at_the_same_moment_keep_one_and_say_so(app, monkeypatch, outbox):
    _supervised()
    _run_day(monkeypatch, 0)
    url = _path(_link(outbox))
    first, second = app.test_client(), app.test_client()
    first.get(url)
    second.get(url)
    assert first.post(url, data=ANSWERS).status_code == 302
    # The second arrives while the first is being saved: it saw no answer when it looked.
    monkeypatch.setattr(services, "supervisor_observation_of", lambda *_args: None)
    response = second.post(url, data={**ANSWERS, "q_applied": "1"}, follow_redirects=True)
    assert response.status_code == 200
    assert "You have already answered this survey. Thank you." in response.get_data(as_text=True)
    (observation,) = db.session.scalars(select(FollowUpObservation)).all()
    assert observation.answers["applied"] == "4"


def _two_records_in_one_session(monkeypatch):
    set_today(monkeypatch, THREE_MONTHS)
    _, (kept, dropped) = _supervised(2)
    return kept, dropped


def _merge(kept, dropped) -> None:
    from app.enrolment.services import merge_participants

    admin = factories.make_user(roles=("admin",))
    merge_participants(kept.participant, dropped.participant, admin)
    db.session.commit()


def test_a_merge_moves_the_supervisors_answers_to_the_kept_place(app, monkeypatch):
    kept, dropped = _two_records_in_one_session(monkeypatch)
    _answer_all([dropped], "4")
    _merge(kept, dropped)
    (observation,) = db.session.scalars(select(FollowUpObservation)).all()
    assert observation.enrolment_id == kept.id and observation.answers["applied"] == "4"
    assert observation.observer_name == "Chief Inspector 1"


def test_a_merge_keeps_the_kept_places_answers_and_records_the_other(app, monkeypatch):
    from app.audit.models import AuditEntry

    kept, dropped = _two_records_in_one_session(monkeypatch)
    _answer_all([kept], "5")
    _answer_all([dropped], "2")
    dropped_id = db.session.scalar(
        select(FollowUpObservation.id).where(FollowUpObservation.enrolment_id == dropped.id)
    )
    _merge(kept, dropped)
    (observation,) = db.session.scalars(select(FollowUpObservation)).all()
    assert observation.enrolment_id == kept.id and observation.answers["applied"] == "5"
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "follow_up_observation.merged")
    )
    assert entry is not None and entry.target_id == observation.id
    assert entry.details["dropped"] == dropped_id
