"""While a session has a call, a country it invited gets no more places than its seats."""

import pytest

from app.enrolment import services as enrolment_services
from app.nominations import services
from tests import factories
from tests.nominations.helpers import FAR_AHEAD, nominated, scene, vetted

CALL_SEATS_TAKEN = "All 1 seats the call for nominations offers Kenya are taken"


def _enrolled_nominee(s):
    """Return a Kenyan nominee taken from nomination to a place in the session."""
    nomination = vetted(s, nominated(s))
    services.accept(nomination, s.trainer)
    services.confirm(nomination, nomination.participant.user)
    services.enrol(nomination, s.trainer)
    return nomination


def test_undoing_a_withdrawal_past_the_calls_seats_says_the_place_was_taken(app):
    s = scene(capacity=20, country_quota=3, seats={"KE": 1})
    first = _enrolled_nominee(s)
    token = enrolment_services.withdraw_undoably(first.enrolment, s.trainer, "ill")
    services.accept(vetted(s, nominated(s)), s.trainer)  # Kenya's freed seat
    with pytest.raises(enrolment_services.EnrolmentError, match="place was taken meanwhile") as err:
        enrolment_services.undo_withdrawal(first.enrolment, s.trainer, token)
    assert CALL_SEATS_TAKEN in str(err.value)
    assert first.enrolment.status == "withdrawn"


def test_a_kenyan_added_directly_past_the_calls_seats_is_waitlisted(app):
    s = scene(capacity=20, country_quota=3, seats={"KE": 1})
    _enrolled_nominee(s)
    added = enrolment_services.add_directly(
        factories.make_participant(country_code="KE"), s.training_session, s.trainer
    )
    assert (added.status, added.status_reason) == ("waitlisted", CALL_SEATS_TAKEN)


def test_approving_a_kenyans_request_counts_a_seat_promised_to_a_nominee(app):
    s = scene(capacity=20, country_quota=3, seats={"KE": 1})
    services.accept(vetted(s, nominated(s)), s.trainer)
    request = factories.make_enrolment(
        s.training_session, factories.make_participant(country_code="KE"), status="requested"
    )
    enrolment_services.approve(request, s.trainer)
    assert (request.status, request.status_reason) == ("waitlisted", CALL_SEATS_TAKEN)


def test_a_country_not_invited_follows_the_sessions_quota(app):
    s = scene(capacity=20, country_quota=3, seats={"KE": 1})
    added = [
        enrolment_services.add_directly(
            factories.make_participant(country_code="UG"), s.training_session, s.trainer
        )
        for _ in range(4)
    ]
    assert [a.status for a in added] == ["enrolled"] * 3 + ["waitlisted"]
    assert added[-1].status_reason == "Quota of 3 participants from Uganda reached"


def test_a_nominee_takes_their_own_seat(app):
    s = scene(capacity=20, country_quota=3, seats={"KE": 1})
    nomination = _enrolled_nominee(s)
    assert nomination.enrolment.status == "enrolled"


def test_a_freed_call_seat_goes_to_a_waitlisted_kenyan(app):
    s = scene(capacity=20, country_quota=3, seats={"KE": 1})
    nomination = _enrolled_nominee(s)
    waiting = enrolment_services.add_directly(
        factories.make_participant(country_code="KE"), s.training_session, s.trainer
    )
    enrolment_services.withdraw(nomination.enrolment, s.trainer, "ill")
    assert (waiting.status, waiting.status_reason) == ("enrolled", None)


def test_a_kenyan_added_directly_takes_one_of_the_calls_seats(app):
    s = scene(capacity=20, country_quota=3, seats={"KE": 1})
    earlier = factories.make_participant(country_code="KE")
    enrolment_services.add_directly(earlier, s.training_session, s.trainer)
    assert services.seats_left(s.call, "KE") == 0
    nomination = vetted(s, nominated(s))
    with pytest.raises(services.SeatsTakenError, match=CALL_SEATS_TAKEN):
        services.accept(nomination, s.trainer)


def _add_kenyan(s):
    return enrolment_services.add_directly(
        factories.make_participant(country_code="KE"), s.training_session, s.trainer
    )


def test_raising_a_countrys_seats_gives_the_new_seat_to_its_waitlisted_person(app):
    s = scene(capacity=20, country_quota=3, seats={"KE": 1})
    _add_kenyan(s)
    waiting = _add_kenyan(s)
    assert waiting.status == "waitlisted"
    services.update_call(s.call, s.trainer, deadline_local=FAR_AHEAD, countries={"KE": 2})
    assert (waiting.status, waiting.status_reason) == ("enrolled", None)


def test_seats_cannot_drop_below_the_places_a_country_already_holds(app):
    s = scene(capacity=20, country_quota=3, seats={"KE": 2})
    _add_kenyan(s)
    _add_kenyan(s)
    with pytest.raises(services.NominationError, match="Kenya already holds 2 places") as err:
        services.update_call(s.call, s.trainer, deadline_local=FAR_AHEAD, countries={"KE": 1})
    assert "offer at least that many seats" in str(err.value)
    assert services.seats_left(s.call, "KE") == 0  # the call still offers Kenya its 2 seats
