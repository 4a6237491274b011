"""The staff pages: open a call from the session page, review nominees, decide; scope on pages."""

from datetime import UTC, date, datetime

from app.extensions import db
from app.nominations import queries, services
from app.nominations.models import NominationStatus as S
from app.shared import clock
from tests import factories
from tests.nominations.helpers import nominated, person, scene, vetted


def test_a_trainer_opens_a_call_from_the_session_page(client, login):
    trainer = factories.make_user(roles=("trainer",))
    training_session = factories.make_training_session(
        trainers=[trainer], country_quota=2, timezone="Pacific/Kiritimati"
    )
    db.session.commit()
    login(trainer)
    page = client.get(f"/training-sessions/{training_session.id}")
    assert "Open a call for nominations" in page.text
    form = client.get(f"/training-sessions/{training_session.id}/nominations")
    assert 'value="KE" selected' in form.text or '<option selected value="KE"' in form.text
    response = client.post(
        f"/training-sessions/{training_session.id}/nominations",
        data={
            "deadline": "2099-03-10T17:00",
            "countries": ["KE", "UG"],
            "working_language": "en",
            "agency_types": ["police"],
            "women_target_percent": "40",
        },
    )
    assert response.status_code == 302
    call = queries.call_for_session(training_session)
    assert call.country_codes == ["KE", "UG"] and call.seats_for("UG") == 2
    assert services.local_deadline(call).isoformat() == "2099-03-10T17:00:00"
    review = client.get(response.headers["Location"])
    assert "10 March 2099, 17:00 (Pacific/Kiritimati)" in review.text
    assert "Uganda" in review.text and "target: 40%" in review.text


def test_seats_are_changed_per_country_on_the_call_page(client, login):
    s = scene(seats={"KE": 2, "UG": 2})
    db.session.commit()
    login(s.trainer)
    page = client.get(f"/training-sessions/{s.training_session.id}/nominations")
    assert 'name="seats-UG"' in page.text
    client.post(
        f"/training-sessions/{s.training_session.id}/nominations",
        data={
            "deadline": "2099-01-01T17:00",
            "countries": ["KE", "UG"],
            "working_language": "en",
            "seats-UG": "5",
        },
    )
    db.session.expire_all()
    assert (s.call.seats_for("KE"), s.call.seats_for("UG")) == (2, 5)


def test_the_review_page_shows_criteria_and_takes_decisions(client, login):
    s = scene(seats={"KE": 1}, min_years_of_service=5)
    keen = services.nominate(s.call, person("Keen Officer"), s.kenya, years_of_service=8)
    junior = services.nominate(s.call, person("Junior Officer"), s.kenya, years_of_service=1)
    vetted(s, keen)
    services.accept(keen, s.trainer)
    vetted(s, junior)
    db.session.commit()
    login(s.trainer)
    page = client.get(f"/nominations/calls/{s.call.id}/review")
    assert "Keen Officer" in page.text and "Junior Officer" in page.text
    assert "✗" in page.text and "At least 5 years of service" in page.text
    # Kenya's one seat is taken: accepting the second is refused with the reason shown.
    response = client.post(
        f"/nominations/{junior.id}/move", data={"target": "accepted"}, follow_redirects=True
    )
    assert "All 1 seats offered to Kenya are taken" in response.text
    response = client.post(
        f"/nominations/{junior.id}/move",
        data={"target": "declined", "reason": "Too few years of service"},
        follow_redirects=True,
    )
    db.session.expire_all()
    assert junior.status == S.DECLINED and junior.decision_reason == "Too few years of service"


def test_a_vetting_check_is_recorded_from_the_review_page(client, login):
    s = scene()
    nomination = nominated(s)
    services.endorse(nomination, s.kenya)
    services.start_review(nomination, s.trainer)
    services.start_vetting(nomination, s.trainer)
    db.session.commit()
    login(s.trainer)
    client.post(
        f"/nominations/{nomination.id}/vetting",
        data={"outcome": "cleared", "checked_on": "2026-01-05", "external_reference": "EMB-114"},
    )
    db.session.expire_all()
    (check,) = nomination.vetting_checks
    assert (check.outcome, check.checked_on, check.external_reference) == (
        "cleared",
        date(2026, 1, 5),
        "EMB-114",
    )
    assert "EMB-114" in client.get(f"/nominations/calls/{s.call.id}/review").text


def test_the_vetting_date_defaults_to_today_in_the_sessions_zone(client, login, monkeypatch):
    s = scene(timezone="Pacific/Auckland")
    nomination = nominated(s)
    services.endorse(nomination, s.kenya)
    services.start_review(nomination, s.trainer)
    services.start_vetting(nomination, s.trainer)
    db.session.commit()
    login(s.trainer)
    # 20:00 on 1 March in UTC is already 2 March in Auckland.
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 3, 1, 20, 0, tzinfo=UTC))
    page = client.get(f"/nominations/calls/{s.call.id}/review").text
    assert 'name="checked_on" value="2026-03-02"' in page


def test_a_focal_point_reads_only_their_countrys_nominees(client, login):
    s = scene()
    kenyan = services.nominate(s.call, person("Kenyan Nominee"), s.kenya)
    services.nominate(s.call, person("Ugandan Nominee", country_code="UG"), s.uganda)
    db.session.commit()
    login(s.uganda)
    page = client.get(f"/nominations/calls/{s.call.id}")
    assert "Ugandan Nominee" in page.text and "Kenyan Nominee" not in page.text
    assert (
        client.post(f"/nominations/{kenyan.id}/move", data={"target": "endorsed"}).status_code
        == 404
    )
    assert client.get(f"/nominations/calls/{s.call.id}/review").status_code == 403


def test_the_nominee_sees_their_own_nominations(client, login):
    s = scene()
    nomination = nominated(s)
    db.session.commit()
    login(nomination.participant.user)
    page = client.get("/my/nominations")
    assert s.training_session.code in page.text and "Nominated" in page.text
