"""Level 3 seen by others: the officers' focal points are asked the follow-up about them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.accounts.focal_points import set_focal_point_scope
from app.evaluation import services
from app.evaluation.instruments import instruments
from app.evaluation.models import FollowUpObservation, SurveyResponse
from app.extensions import db
from app.notifications.models import EmailLog
from tests import factories
from tests.evaluation.helpers import session_with_people, set_today

THREE_MONTHS = date(2026, 6, 13)  # the sessions end on 13 March 2026
ANSWERS = {"q_applied": "4", "q_unit_capacity": "5", "q_shared": "3"}


def _focal_point(country: str, email: str):
    user = factories.make_user(roles=("focal_point",), email=email)
    set_focal_point_scope(user, [country])
    return user


def _emails_to(address: str) -> int:
    return db.session.scalar(select(func.count(EmailLog.id)).where(EmailLog.to_address == address))


def test_the_focal_point_is_asked_then_reminded_until_they_answer(app, monkeypatch):
    training_session, _ = session_with_people(5)  # officers serving in KE
    kenya = _focal_point("KE", "fp.kenya@example.org")
    _focal_point("UG", "fp.uganda@example.org")
    db.session.commit()
    three = instruments()["follow-up-3m"]
    for offset, expected in ((0, 1), (7, 2), (8, 2)):
        set_today(monkeypatch, THREE_MONTHS + timedelta(days=offset))
        services.schedule_messages()
        db.session.commit()
        assert _emails_to(kenya.email) == expected, offset
    services.submit_observation(three, training_session, "KE", kenya, {"applied": "4"})
    db.session.commit()
    set_today(monkeypatch, THREE_MONTHS + timedelta(days=21))
    services.schedule_messages()
    db.session.commit()
    assert _emails_to(kenya.email) == 2  # answered: the third email does not go to them
    assert _emails_to("fp.uganda@example.org") == 0  # no officer from Uganda attended


def test_a_focal_points_answers_are_kept_apart_and_shown_by_country(
    app, client, login, monkeypatch
):
    set_today(monkeypatch, THREE_MONTHS)
    training_session, enrolments = session_with_people(5)
    kenya = _focal_point("KE", "fp.kenya@example.org")
    uganda = _focal_point("UG", "fp.uganda@example.org")
    manager = factories.make_user(roles=("manager",))
    db.session.commit()
    url = f"/evaluation/sessions/{training_session.id}/surveys/follow-up-3m/countries/KE"

    login(uganda)
    assert client.get(url).status_code == 403
    assert client.get(url.replace("/KE", "/UG")).status_code == 403  # no officer from UG
    login(kenya)
    page = client.get(url).get_data(as_text=True)
    assert "about the officers from your country" in page
    assert client.post(url, data=ANSWERS).status_code == 302
    assert "You have answered this follow-up" in client.get(url).get_data(as_text=True)
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 0  # not a participant's
    assert db.session.scalar(select(func.count(FollowUpObservation.id))) == 1

    login(manager)
    results = client.get("/evaluation/results?survey=follow-up-3m&by=country")
    html = results.get_data(as_text=True)
    observed = html[html.index('id="observer-results"') :]
    assert '<tr data-group="KE">' in observed and "<td>5.0</td>" in observed
    row = services.observations_by(instruments()["follow-up-3m"], "country")[0]
    assert (row.key, row.answers, row.officers, row.means["applied"]) == ("KE", 1, 5, 4.0)


def test_a_group_describing_fewer_than_five_officers_is_hidden(app, monkeypatch):
    set_today(monkeypatch, THREE_MONTHS)
    training_session, _ = session_with_people(4)
    kenya = _focal_point("KE", "fp.kenya@example.org")
    three = instruments()["follow-up-3m"]
    services.submit_observation(three, training_session, "KE", kenya, {"applied": "2"})
    (row,) = services.observations_by(three, "course")
    assert row.suppressed and row.means["applied"] is None


def test_a_focal_point_limited_to_the_police_answers_only_about_police_officers(app):
    from app.evaluation.permissions import can_observe

    training_session, enrolments = session_with_people(2)  # officers serving in KE
    for enrolment in enrolments:
        enrolment.agency_type = "judiciary"
    police = factories.make_user(roles=("focal_point",), email="fp.police@example.org")
    set_focal_point_scope(police, ["KE"], agency_types=["police"])
    db.session.flush()
    assert not can_observe(police, training_session, "KE")  # only judges of Kenya attended
    enrolments[0].agency_type = "police"
    db.session.flush()
    assert can_observe(police, training_session, "KE")
