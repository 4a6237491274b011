"""A focal point's pages: their calls, nominees and people only (Kenya, Uganda and a deputy)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from app.enrolment.models import Participant
from app.extensions import db
from app.nominations import services
from app.nominations.models import Nomination
from app.nominations.models import NominationStatus as S
from tests import factories
from tests.nominations.helpers import focal_point, nominated, person, scene, vetted


def _world(**call_fields):
    s = scene(**call_fields)
    s.deputy = focal_point(name="Kenya Deputy", deputy_of=s.kenya)
    s.kenyan = nominated(s, "KE", full_name="Wanjiru Kamau")
    s.ugandan = nominated(s, "UG", full_name="Nakato Okello")
    db.session.commit()
    return s


def _names(page: str) -> list[str]:
    return re.findall(r'class="person-name">([^<]+)<', page)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_each_focal_point_lists_the_call_with_their_own_countrys_figures(client, login):
    s = _world()
    for user, country, other in ((s.kenya, "Kenya", "Uganda"), (s.deputy, "Kenya", "Uganda")):
        login(user)
        page = _page(client, "/nominations/my-calls")
        assert f"{country}: 1 nominated for 2 seats" in page
        assert f"{other}:" not in page
        assert "closes in" in page
    login(s.uganda)
    assert "Uganda: 1 nominated for 2 seats" in _page(client, "/nominations/my-calls")


def test_the_call_page_shows_only_the_focal_points_own_nominees(client, login):
    s = _world()
    url = f"/nominations/calls/{s.call.id}"
    login(s.kenya)
    assert _names(_page(client, url)) == ["Wanjiru Kamau"]
    login(s.deputy)
    assert _names(_page(client, url)) == ["Wanjiru Kamau"]
    login(s.uganda)
    assert _names(_page(client, url)) == ["Nakato Okello"]


def test_an_uninvited_countrys_focal_point_is_refused_the_call(client, login):
    s = _world()
    login(focal_point("TZ", name="Tanzania Focal"))
    assert client.get(f"/nominations/calls/{s.call.id}").status_code == 403
    assert client.get(f"/nominations/calls/{s.call.id}/nominate").status_code == 403
    assert "Kenya" not in _page(client, "/nominations/my-calls")


def test_the_search_finds_only_the_focal_points_people_not_yet_nominated(client, login):
    s = _world()
    factories.make_participant("Achieng Otieno", country_code="KE", email="ao@example.org")
    factories.make_participant("Achieng Auma", country_code="UG", email="aa@example.org")
    db.session.commit()
    login(s.kenya)
    page = _page(client, f"/nominations/calls/{s.call.id}/nominate?q=achieng")
    assert _names(page) == ["Achieng Otieno"]
    # Folded like the directory: no accents, any case, the words in any order.
    assert _names(_page(client, f"/nominations/calls/{s.call.id}/nominate?q=OTIENO ACHIÉNG")) == [
        "Achieng Otieno"
    ]
    # The Kenyan already nominated is not offered twice.
    assert _names(_page(client, f"/nominations/calls/{s.call.id}/nominate?q=wanjiru")) == []


def test_another_countrys_person_and_nominee_do_not_exist_for_a_focal_point(client, login):
    s = _world()
    call = f"/nominations/calls/{s.call.id}"
    stranger = factories.make_participant("Okot Odhiambo", country_code="UG")
    db.session.commit()
    for user in (s.kenya, s.deputy):
        login(user)
        assert client.get(f"{call}/nominate?participant_id={stranger.id}").status_code == 404
        assert client.get(f"{call}/nominate?replacing={s.ugandan.id}").status_code == 404
        for action, target in (("focal-move", "withdrawn"), ("priority", "up")):
            response = client.post(
                f"/nominations/{s.ugandan.id}/{action}", data={"target": target}
            )
            assert response.status_code == 404
    assert db.session.get(Nomination, s.ugandan.id).status == S.NOMINATED


def test_a_deputy_endorses_and_the_button_goes_once_the_table_says_no(client, login):
    s = _world()
    login(s.deputy)
    url = f"/nominations/calls/{s.call.id}"
    assert ">Endorse<" in _page(client, url)
    response = client.post(f"/nominations/{s.kenyan.id}/focal-move", data={"target": "endorsed"})
    assert response.status_code == 302
    page = _page(client, url)
    assert "Endorsed by the focal point" in page
    assert ">Endorse<" not in page
    assert ">Withdraw<" in page  # endorsed → withdrawn is still the focal point's


def test_a_focal_point_nominates_an_officer_of_the_directory_with_the_criteria(client, login):
    s = _world(min_years_of_service=5, working_language="en")
    officer = factories.make_participant("Achieng Otieno", country_code="KE")
    db.session.commit()
    login(s.kenya)
    url = f"/nominations/calls/{s.call.id}/nominate"
    form = _page(client, f"{url}?participant_id={officer.id}")
    assert "Years of service" in form and "Works in the language of delivery" in form
    assert "Meets the call" not in form  # the call has no other criteria
    refused = client.post(url, data={"participant_id": officer.id, "justification": ""})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "Give the years of service." in page and "Answer yes or no." in page
    assert "Say in a line or two why you nominate this officer." in page
    client.post(
        url,
        data={
            "participant_id": officer.id,
            "years_of_service": "7",
            "speaks_working_language": "yes",
            "justification": "Leads the cyber unit.",
        },
    )
    nomination = db.session.scalar(select(Nomination).where(Nomination.participant == officer))
    assert (nomination.years_of_service, nomination.speaks_working_language) == (7, True)
    assert nomination.priority == 2


def test_a_new_officer_is_added_and_nominated_or_nothing_is_written(client, login):
    s = _world()
    login(s.kenya)
    url = f"/nominations/calls/{s.call.id}/nominate/new"
    people = db.session.scalar(select(func.count(Participant.id)))
    data = {
        "full_name": "Baraka Mwangi",
        "email": "wanjiru@example.org",
        "country_code": "UG",
        "agency_type": "police",
        "speaks_working_language": "yes",  # the call's working language is the session's
        "justification": "New in the unit.",
    }
    page = client.post(url, data=data).get_data(as_text=True)
    assert "Not a valid choice" in page  # Uganda is not Kenya's focal point's to fill
    data["country_code"] = "KE"
    s.kenyan.participant.email = "wanjiru@example.org"
    db.session.commit()
    page = client.post(url, data=data).get_data(as_text=True)
    assert "cannot be used for a new person" in page  # and no half-written person
    assert db.session.scalar(select(func.count(Participant.id))) == people
    # One of Kenya's people: the focal point is offered that record instead.
    assert f"participant_id={s.kenyan.participant.id}" in page
    assert "Wanjiru Kamau" in page
    data["email"] = "baraka@example.org"
    assert client.post(url, data=data).status_code == 302
    baraka = db.session.scalar(select(Participant).where(Participant.email == "baraka@example.org"))
    assert baraka.country_code == "KE"
    assert db.session.scalar(select(Nomination).where(Nomination.participant == baraka))


def test_the_focal_point_reorders_and_replaces_without_javascript(client, login):
    s = _world()
    second = services.nominate(s.call, person("Achieng Otieno"), s.kenya)
    stand_in = factories.make_participant("Baraka Mwangi", country_code="KE")
    db.session.commit()
    login(s.kenya)
    client.post(f"/nominations/{second.id}/priority", data={"target": "up"})
    url = f"/nominations/calls/{s.call.id}"
    assert _names(_page(client, url)) == ["Achieng Otieno", "Wanjiru Kamau"]
    client.post(
        f"{url}/nominate",
        data={
            "participant_id": stand_in.id,
            "replacing": s.kenyan.id,
            "speaks_working_language": "yes",
            "justification": "Ready.",
        },
    )
    assert db.session.get(Nomination, s.kenyan.id).status == S.REPLACED
    page = _page(client, url)
    assert "Replaces Wanjiru Kamau" in page
    assert _names(page)[:2] == ["Achieng Otieno", "Baraka Mwangi"]


def test_after_the_deadline_the_focal_point_can_no_longer_nominate(client, login):
    s = _world()
    s.call.deadline_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.commit()
    login(s.kenya)
    page = _page(client, f"/nominations/calls/{s.call.id}")
    assert "Nominate an officer" not in page and ">Replace<" not in page and "closed" in page
    assert "No call is open to your countries." in _page(client, "/home")


def test_the_vetting_outcome_reads_only_cleared_or_not(client, login):
    s = _world()
    vetted(s, s.kenyan, outcome="not_cleared")
    db.session.commit()
    login(s.kenya)
    page = _page(client, f"/nominations/calls/{s.call.id}")
    assert "Vetting: Not cleared" in page
    assert "R1" not in page  # the check's reference is the programme's, not the focal point's


def test_the_nominee_confirms_an_accepted_place_from_their_home(client, login):
    s = _world()
    vetted(s, s.kenyan)
    services.accept(s.kenyan, s.trainer)
    db.session.commit()
    login(s.kenyan.participant.user)
    assert "A place is offered to you" in _page(client, "/home")
    response = client.post(
        f"/my/nominations/{s.kenyan.id}/answer", data={"target": "confirmed", "back": "home"}
    )
    assert response.headers["Location"].endswith("/home")
    assert db.session.get(Nomination, s.kenyan.id).status == S.CONFIRMED
    assert "A place is offered to you" not in _page(client, "/home")


def test_a_nominee_may_decline_the_place_but_not_answer_anothers(client, login):
    s = _world()
    vetted(s, s.kenyan)
    services.accept(s.kenyan, s.trainer)
    db.session.commit()
    login(s.ugandan.participant.user)
    answer = f"/my/nominations/{s.kenyan.id}/answer"
    assert client.post(answer, data={"target": "confirmed"}).status_code == 404
    login(s.kenyan.participant.user)
    client.post(answer, data={"target": "withdrawn"})
    assert db.session.get(Nomination, s.kenyan.id).status == S.WITHDRAWN


def test_the_emailed_page_of_an_accepted_nominee_offers_the_answer(client, login):
    s = _world()
    vetted(s, s.kenyan)
    services.accept(s.kenyan, s.trainer)
    db.session.commit()
    login(s.kenyan.participant.user)
    page = _page(client, "/my/nominations")
    assert "Confirm my place" in page and "Decline the place" in page
    client.post(f"/my/nominations/{s.kenyan.id}/answer", data={"target": "confirmed"})
    assert "Confirm my place" not in _page(client, "/my/nominations")


def test_a_new_person_form_does_not_say_who_has_an_email_of_another_country(client, login):
    s = _world()
    login(s.kenya)
    data = {
        "full_name": "Baraka Mwangi",
        "email": s.ugandan.participant.email.upper(),
        "country_code": "KE",
        "agency_type": "police",
        "speaks_working_language": "yes",
        "justification": "New in the unit.",
    }
    response = client.post(f"/nominations/calls/{s.call.id}/nominate/new", data=data)
    page = response.get_data(as_text=True)
    assert "This email address cannot be used for a new person" in page
    assert "Nakato Okello" not in page
    assert "already the email" not in page
    assert "participant_id=" not in page
