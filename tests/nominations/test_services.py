"""Calls, nominating and replacing, the deadline in the session's zone, seats, vetting."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.enrolment import services as enrolment_services
from app.extensions import db
from app.nominations import queries, services
from app.nominations.models import NominationStatus as S
from app.nominations.services import NominationError, SeatsTakenError
from app.notifications.models import EmailLog
from app.shared import clock
from tests import factories
from tests.nominations.helpers import focal_point, nominated, person, scene, vetted


def _emails_to(address: str) -> list[EmailLog]:
    return list(db.session.scalars(select(EmailLog).where(EmailLog.to_address == address)))


def test_a_call_invites_the_host_sub_region_with_the_quota_as_seats(app):
    trainer = factories.make_user(roles=("trainer",))
    training_session = factories.make_training_session(country_quota=4, trainers=[trainer])
    call = services.open_call(training_session, trainer, deadline_local=datetime(2099, 1, 1, 9))
    assert {"KE", "UG", "TZ", "RW", "ET"} <= set(call.country_codes)
    assert "FR" not in call.country_codes
    assert {invited.seats for invited in call.countries} == {4}
    assert call.working_language == training_session.language


def test_the_default_countries_are_the_host_sub_regions_member_countries(app):
    invited = services.default_invited_countries(
        factories.make_training_session(host_country="KE")
    )
    assert {"KE", "UG", "TZ", "RW", "ET", "SO"} <= set(invited)
    assert not {"IO", "TF", "RE", "YT"} & set(invited)  # territories, not member countries


def test_opening_a_call_emails_each_invited_focal_point_in_their_language(app, outbox):
    french = focal_point("RW", name="Rwanda Focal")
    french.language = "fr"
    s = scene(seats={"KE": 2, "RW": None})
    assert [log.subject for log in _emails_to(s.kenya.email)] == [
        f"Call for nominations: {s.training_session.code}"
    ]
    assert _emails_to(s.uganda.email) == []  # Uganda is not invited this time
    assert s.call.seats_for("RW") == 3  # the quota stands in for a seat count not given
    db.session.commit()
    bodies = {mail["To"]: mail.get_body().get_content() for mail in outbox.refresh()}
    assert "Bonjour Rwanda Focal," in bodies[french.email]
    assert "Dear Kenya Focal," in bodies[s.kenya.email]
    assert f"/nominations/calls/{s.call.id}" in bodies[s.kenya.email]


def test_a_new_invited_country_is_emailed_when_the_call_changes(app):
    s = scene(seats={"KE": 2})
    tanzania = focal_point("TZ")
    services.update_call(
        s.call, s.trainer, deadline_local=datetime(2099, 1, 1, 9), countries={"KE": 2, "TZ": 1}
    )
    assert len(_emails_to(tanzania.email)) == 1
    assert len(_emails_to(s.kenya.email)) == 1  # already invited: not emailed again


def test_the_deadline_is_judged_in_the_sessions_zone(app, monkeypatch):
    # Kiritimati is UTC+14: 17:00 local on 10 March is 03:00 UTC that same day.
    s = scene(deadline=datetime(2026, 3, 10, 17, 0), timezone="Pacific/Kiritimati")
    assert s.call.deadline_at == datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
    assert services.local_deadline(s.call) == datetime(2026, 3, 10, 17, 0)
    just_before = datetime(2026, 3, 10, 2, 59, tzinfo=UTC)
    monkeypatch.setattr(clock, "now", lambda: just_before)
    nomination = services.nominate(s.call, person(), s.kenya)
    # Still 10 March in London, and hours before 17:00 UTC: but the deadline passed in Kiritimati.
    monkeypatch.setattr(clock, "now", lambda: just_before + timedelta(minutes=1))
    with pytest.raises(NominationError, match="deadline"):
        services.nominate(s.call, person(), s.kenya)
    with pytest.raises(NominationError, match="deadline"):
        services.replace_nominee(nomination, person(), s.kenya)


def test_nominees_line_up_in_priority_and_a_replacement_takes_the_place(app):
    s = scene()
    first, second = nominated(s), nominated(s)
    assert (first.priority, second.priority) == (1, 2)
    newcomer = person("Newcomer")
    replacement = services.replace_nominee(first, newcomer, s.kenya, justification="Better fit")
    assert first.status == S.REPLACED
    assert replacement.replaces is first and replacement.priority == 1
    assert [n.participant.full_name for n in queries.nominations_of(s.call, current=True)] == [
        "Newcomer",
        second.participant.full_name,
    ]
    services.set_priority(second, 1, s.kenya)
    assert (second.priority, replacement.priority) == (1, 2)


def test_a_new_person_is_nominated_through_the_directory_rules(app):
    s = scene()
    nomination = services.nominate_new_person(
        s.call,
        {"full_name": "Wanjiru Kamau", "country_code": "KE", "email": "w@example.org"},
        s.kenya,
        years_of_service=7,
    )
    assert nomination.participant.full_name == "Wanjiru Kamau"
    with pytest.raises(NominationError, match="cannot be used for a new person"):
        services.nominate_new_person(
            s.call, {"full_name": "W K", "country_code": "KE", "email": "W@example.org"}, s.kenya
        )


def test_only_invited_countries_and_one_nomination_per_person(app):
    s = scene(seats={"KE": 2})
    with pytest.raises(NominationError, match="Uganda is not invited"):
        services.nominate(s.call, person(country_code="UG"), s.uganda)
    someone = person()
    services.nominate(s.call, someone, s.kenya)
    with pytest.raises(NominationError, match="already nominated"):
        services.nominate(s.call, someone, s.kenya)


def test_accepting_past_the_countrys_seats_is_refused_with_a_clear_message(app):
    s = scene(seats={"KE": 1, "UG": 2})
    first, second = vetted(s, nominated(s)), vetted(s, nominated(s))
    services.accept(first, s.trainer)
    with pytest.raises(SeatsTakenError, match="All 1 seats offered to Kenya are taken"):
        services.accept(second, s.trainer)
    services.waitlist(second, s.trainer)
    services.withdraw(first, first.participant.user, services.Actor.PARTICIPANT)
    services.accept(second, s.trainer)  # the freed seat goes to the waitlisted nominee
    assert second.status == S.ACCEPTED


def test_accepting_past_the_sessions_capacity_is_refused(app):
    s = scene(capacity=2, seats={"KE": 3, "UG": 3})
    factories.make_enrolment(s.training_session, factories.make_participant())
    services.accept(vetted(s, nominated(s)), s.trainer)
    with pytest.raises(SeatsTakenError, match="Session full"):
        services.accept(vetted(s, nominated(s, "UG")), s.trainer)


def test_accepting_needs_a_vetting_check_that_cleared(app):
    s = scene()
    nomination = vetted(s, nominated(s), outcome="not_cleared")
    with pytest.raises(NominationError, match="cleared"):
        services.accept(nomination, s.trainer)
    services.waitlist(nomination, s.trainer)
    with pytest.raises(NominationError, match="cleared"):
        services.accept(nomination, s.trainer)  # the waitlist is no way around the vetting
    other = vetted(s, nominated(s), outcome="not_cleared")
    services.record_vetting(other, s.trainer, outcome="cleared", checked_on=date(2026, 1, 6))
    services.accept(other, s.trainer)  # the latest check counts
    assert other.status == S.ACCEPTED


def test_a_vetting_check_keeps_no_details_and_no_future_dates(app):
    s = scene()
    nomination = vetted(s, nominated(s))
    (check,) = nomination.vetting_checks
    assert {c.name for c in check.__table__.columns} == {
        "id", "nomination_id", "outcome", "checked_on", "external_reference",
        "recorded_by_id", "recorded_at",
    }  # fmt: skip
    with pytest.raises(NominationError, match="future"):
        services.record_vetting(
            nomination, s.trainer, outcome="cleared", checked_on=date(2099, 1, 1)
        )


def test_a_decline_needs_a_reason_and_the_focal_point_reads_it(app, outbox):
    s = scene()
    nomination = nominated(s)
    services.endorse(nomination, s.kenya)
    services.start_review(nomination, s.trainer)
    with pytest.raises(NominationError, match="reason"):
        services.decline(nomination, s.trainer, "  ")
    services.decline(nomination, s.trainer, "Fewer than five years of service")
    db.session.commit()
    last = outbox.refresh()[-1]
    assert last["To"] == s.kenya.email
    assert last["Subject"].endswith(nomination.participant.full_name)
    body = last.get_body().get_content()
    assert "now: Declined" in body and "Reason: Fewer than five years of service" in body


def test_the_full_path_enrols_through_enrolment_and_tells_the_right_people(app):
    s = scene()
    deputy = factories.make_user(roles=("focal_point",), name="Kenya Deputy")
    from app.accounts.focal_points import set_focal_point_scope

    set_focal_point_scope(deputy, deputy_of=s.kenya)
    nomination = vetted(s, nominated(s))
    services.accept(nomination, s.trainer)
    participant = nomination.participant
    assert len(_emails_to(participant.email)) == 1  # told once accepted, not before
    services.confirm(nomination, participant.user)
    services.enrol(nomination, s.trainer)
    assert nomination.status == S.ENROLLED
    assert nomination.enrolment.status == "enrolled"
    assert nomination.enrolment.training_session_id == s.training_session.id
    # Every move is in the audit trail, naming the session and the person.
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.target_type == "Nomination", AuditEntry.target_id == nomination.id)
        .order_by(AuditEntry.id)
    ).all()
    assert [a for a in actions if a != "nomination.vetting_recorded"] == [
        f"nomination.{status}"
        for status in ("nominated", "endorsed", "under_review", "vetting", "accepted",
                       "confirmed", "enrolled")
    ]  # fmt: skip
    # The deputy hears of each move, the principal of each move they did not make themself.
    assert len([m for m in _emails_to(deputy.email) if "Nomination for" in m.subject]) == 7
    assert len([m for m in _emails_to(s.kenya.email) if "Nomination for" in m.subject]) == 5


def test_a_seat_promised_to_an_accepted_nominee_is_not_given_to_a_direct_add(app):
    s = scene(capacity=1)
    nomination = vetted(s, nominated(s))
    services.accept(nomination, s.trainer)  # holds the session's last place
    added = enrolment_services.add_directly(
        factories.make_participant(country_code="UG"), s.training_session, s.trainer
    )
    assert (added.status, added.status_reason) == ("waitlisted", "Session full (1 places)")
    services.confirm(nomination, nomination.participant.user)
    services.enrol(nomination, s.trainer)  # the nominee's own promise does not block them
    assert nomination.enrolment.status == "enrolled"
    assert added.status == "waitlisted"


def test_approving_a_request_respects_the_countrys_quota_held_by_nominees(app):
    s = scene(country_quota=1)
    services.accept(vetted(s, nominated(s)), s.trainer)
    request = factories.make_enrolment(
        s.training_session, factories.make_participant(country_code="KE"), status="requested"
    )
    enrolment_services.approve(request, s.trainer)
    assert request.status_reason == "Quota of 1 participants from Kenya reached"


def test_undoing_a_withdrawal_says_a_nominee_took_the_place_meanwhile(app):
    s = scene(capacity=1, country_quota=1, seats={"KE": 1})
    first = vetted(s, nominated(s))
    services.accept(first, s.trainer)
    services.confirm(first, first.participant.user)
    services.enrol(first, s.trainer)
    token = enrolment_services.withdraw_undoably(first.enrolment, s.trainer, "ill")
    second = vetted(s, nominated(s))
    services.accept(second, s.trainer)  # the freed Kenyan seat
    with pytest.raises(enrolment_services.EnrolmentError, match="place was taken meanwhile"):
        enrolment_services.undo_withdrawal(first.enrolment, s.trainer, token)
    assert first.enrolment.status == "withdrawn"
    assert queries.country_tallies(s.call)[0].accepted == 1


def test_only_the_nominee_confirms(app):
    s = scene()
    nomination = vetted(s, nominated(s))
    services.accept(nomination, s.trainer)
    with pytest.raises(NominationError, match="cannot make this change"):
        services.confirm(nomination, s.kenya)


def test_tallies_criteria_and_the_gender_balance(app):
    s = scene(
        seats={"KE": 2, "UG": 2},
        agency_types=["police"],
        min_years_of_service=5,
        other_criteria="Investigates online abuse",
        women_target_percent=50,
    )
    woman = services.nominate(
        s.call, person(gender="female"), s.kenya, years_of_service=6, meets_other_criteria=True
    )
    man = services.nominate(
        s.call, person(gender="male", agency_type="judiciary"), s.kenya, years_of_service=2
    )
    for nomination in (woman, man):
        vetted(s, nomination)
        services.accept(nomination, s.trainer)
    tallies = {t.country_code: t for t in queries.country_tallies(s.call)}
    assert (tallies["KE"].seats, tallies["KE"].nominated, tallies["KE"].accepted) == (2, 2, 2)
    assert (tallies["UG"].nominated, tallies["UG"].accepted) == (0, 0)
    assert [(c.label, c.met) for c in queries.criteria_for(man)] == [
        ("Agency: Police", False),
        ("At least 5 years of service", False),
        ("Works in English", None),
        ("Other criteria of the call", None),
    ]
    balance = queries.gender_balance(s.call)
    assert (balance.accepted, balance.women, balance.share, balance.below_target) == (
        2, 1, 0.5, False
    )  # fmt: skip


def test_a_focal_point_sees_only_nominees_of_their_scope(app):
    s = scene()
    kenyan, ugandan = nominated(s), nominated(s, "UG")
    assert queries.nominations_for_focal_point(s.kenya, s.call) == [kenyan]
    assert queries.nominations_for_focal_point(s.uganda, s.call) == [ugandan]
    assert queries.calls_for_focal_point(s.uganda) == [s.call]
    assert queries.calls_for_focal_point(focal_point("FR")) == []


def test_a_country_with_nominees_stays_invited_and_keeps_its_accepted_seats(app):
    s = scene()
    services.accept(vetted(s, nominated(s)), s.trainer)
    later = datetime(2099, 1, 1, 9)
    with pytest.raises(NominationError, match="stays invited"):
        services.update_call(s.call, s.trainer, deadline_local=later, countries={"UG": 2})
    with pytest.raises(NominationError, match="at least that many"):
        services.update_call(s.call, s.trainer, deadline_local=later, countries={"KE": 0})


def test_a_cancelled_session_takes_no_new_call_changes_or_nominees(app):
    s = scene()
    s.training_session.status = "cancelled"
    with pytest.raises(NominationError, match="completed or cancelled"):
        services.nominate(s.call, person(), s.kenya)
    with pytest.raises(NominationError, match="completed or cancelled"):
        services.update_call(
            s.call, s.trainer, deadline_local=datetime(2099, 1, 1, 9), countries={"KE": 2}
        )


def test_a_focal_point_limited_to_an_agency_hears_only_of_its_people(app):
    s = scene()
    police_only = focal_point("KE", agency_types=["police"])
    services.nominate(s.call, person(agency_type="judiciary"), s.kenya)
    services.nominate(s.call, person(agency_type="police"), s.kenya)
    subjects = [m.subject for m in _emails_to(police_only.email)]
    assert len([subject for subject in subjects if subject.startswith("Nomination for")]) == 1


def test_only_a_focal_point_whose_scope_covers_the_person_nominates_them(app):
    s = scene()
    police_only = focal_point("KE", agency_types=["police"])
    for actor, someone in (
        (s.uganda, person()),  # a Kenyan, by Uganda's focal point
        (s.trainer, person()),  # staff do not nominate
        (police_only, person(agency_type="judiciary")),
    ):
        with pytest.raises(NominationError, match="only people of the countries"):
            services.nominate(s.call, someone, actor)
    assert (
        services.nominate(s.call, person(agency_type="police"), police_only).status == S.NOMINATED
    )


def test_a_move_is_made_only_by_someone_who_may_act_so_on_this_nominee(app):
    s = scene()
    nomination = nominated(s)
    other_trainer = factories.make_user(roles=("trainer",))
    with pytest.raises(NominationError, match="cannot make this change"):
        services.endorse(nomination, s.uganda)  # another country's focal point
    services.endorse(nomination, s.kenya)
    with pytest.raises(NominationError, match="cannot make this change"):
        services.start_review(nomination, other_trainer)  # not this session's trainer
    with pytest.raises(NominationError, match="cannot make this change"):
        services.withdraw(nomination, person().user, services.Actor.PARTICIPANT)


def test_accepting_checks_the_actor_before_giving_the_nominee_an_account(app):
    s = scene()
    nomination = vetted(
        s, services.nominate(s.call, factories.make_participant(country_code="KE"), s.kenya)
    )
    with pytest.raises(NominationError, match="cannot make this change"):
        services.accept(nomination, s.kenya)  # a focal point does not accept
    assert nomination.participant.user is None
