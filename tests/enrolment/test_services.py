from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.attendance.models import AttendanceRecord
from app.certificates.models import Certificate
from app.enrolment import services
from app.enrolment.models import Enrolment, EnrolmentEvent, Participant
from app.enrolment.services import EnrolmentError
from app.extensions import db
from app.shared import clock
from app.shared.models import utcnow
from tests import factories
from tests.enrolment.helpers import enrol, participant_with_account, scene

pytestmark = pytest.mark.usefixtures("app")


def test_request_then_approve_records_every_change_with_its_actor():
    s = scene()
    person = participant_with_account()
    enrolment = services.request_place(person, s.training_session, person.user)
    assert enrolment.status == "requested"
    services.approve(enrolment, s.trainer)
    assert enrolment.status == "enrolled"
    lines = [(e.from_status, e.to_status, e.actor_id) for e in enrolment.events]
    assert lines == [(None, "requested", person.user.id), ("requested", "enrolled", s.trainer.id)]
    assert all(line.at is not None for line in enrolment.events)


def test_decline_keeps_the_reason_and_refuses_a_new_request():
    s = scene()
    person = participant_with_account()
    enrolment = services.request_place(person, s.training_session, person.user)
    services.decline(enrolment, s.trainer, "Not a law-enforcement officer")
    assert enrolment.status == "declined"
    assert enrolment.status_reason == "Not a law-enforcement officer"
    assert enrolment.events[-1].note == "Not a law-enforcement officer"
    with pytest.raises(EnrolmentError, match="declined"):
        services.request_place(person, s.training_session, person.user)


def test_request_refused_unless_open_and_before_the_deadline():
    s = scene(status="draft")
    person = participant_with_account()
    with pytest.raises(EnrolmentError, match="not open"):
        services.request_place(person, s.training_session, person.user)
    s.training_session.status = "open"
    s.training_session.enrolment_deadline = utcnow().date() - timedelta(days=1)
    with pytest.raises(EnrolmentError, match="deadline"):
        services.request_place(person, s.training_session, person.user)
    s.training_session.enrolment_deadline = utcnow().date()
    assert services.request_place(person, s.training_session, person.user).status == "requested"
    with pytest.raises(EnrolmentError, match="already"):
        services.request_place(person, s.training_session, person.user)


def test_capacity_is_never_exceeded_and_the_rest_wait_in_order():
    s = scene(capacity=2)
    people = [factories.make_participant(f"Person {n}") for n in range(4)]
    enrolments = enrol(s.training_session, s.trainer, *people)
    assert [e.status for e in enrolments] == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    assert enrolments[2].status_reason == "Session full (2 places)"
    assert enrolments[2].waitlisted_at <= enrolments[3].waitlisted_at
    assert services.waitlist_positions(s.training_session) == {
        enrolments[2].id: 1,
        enrolments[3].id: 2,
    }


def test_withdrawal_promotes_the_first_on_the_waitlist():
    s = scene(capacity=1)
    first, second, third = (factories.make_participant(f"Person {n}") for n in range(3))
    a, b, c = enrol(s.training_session, s.trainer, first, second, third)
    services.withdraw(a, s.trainer, "Posted abroad")
    assert (a.status, b.status, c.status) == ("withdrawn", "enrolled", "waitlisted")
    assert b.events[-1].note == "Promoted from the waitlist"
    assert b.events[-1].actor_id == s.trainer.id
    assert b.waitlisted_at is None and b.status_reason is None


def test_declining_an_enrolled_person_promotes_the_next():
    s = scene(capacity=1)
    a, b = enrol(
        s.training_session, s.trainer, factories.make_participant(), factories.make_participant()
    )
    services.decline(a, s.trainer)
    assert b.status == "enrolled"


def test_withdrawing_a_waitlisted_person_promotes_nobody():
    s = scene(capacity=1)
    a, b, c = enrol(s.training_session, s.trainer, *(factories.make_participant() for _ in "abc"))
    services.withdraw(b, s.trainer)
    assert (a.status, b.status, c.status) == ("enrolled", "withdrawn", "waitlisted")


def test_country_quota_sends_to_the_waitlist_with_the_reason():
    s = scene(capacity=10, country_quota=2)
    kenyans = [factories.make_participant(f"Kenyan {n}", country_code="KE") for n in range(3)]
    ugandan = factories.make_participant("Ugandan", country_code="UG")
    enrolments = enrol(s.training_session, s.trainer, *kenyans, ugandan)
    assert [e.status for e in enrolments] == ["enrolled", "enrolled", "waitlisted", "enrolled"]
    assert enrolments[2].status_reason == "Quota of 2 participants from Kenya reached"


def test_promotion_skips_people_who_do_not_fit_their_country_quota():
    s = scene(capacity=2, country_quota=1)
    ke1, ke2 = (factories.make_participant(f"KE {n}", country_code="KE") for n in range(2))
    ug1, ug2 = (factories.make_participant(f"UG {n}", country_code="UG") for n in range(2))
    a, b, c, d = enrol(s.training_session, s.trainer, ke1, ke2, ug1, ug2)
    assert [e.status for e in (a, b, c, d)] == ["enrolled", "waitlisted", "enrolled", "waitlisted"]
    services.withdraw(c, s.trainer)
    # ke2 waits longer but Kenya's quota is still full; ug2 fits and is promoted.
    assert (b.status, d.status) == ("waitlisted", "enrolled")


def test_approving_beyond_capacity_waitlists_with_the_reason():
    s = scene(capacity=1)
    enrol(s.training_session, s.trainer, factories.make_participant())
    person = participant_with_account()
    enrolment = services.request_place(person, s.training_session, person.user)
    services.approve(enrolment, s.trainer)
    assert enrolment.status == "waitlisted" and "full" in enrolment.status_reason
    with pytest.raises(EnrolmentError):
        services.approve(enrolment, s.trainer)


def test_add_directly_refuses_people_already_holding_a_place_and_closed_sessions():
    s = scene()
    person = factories.make_participant()
    enrol(s.training_session, s.trainer, person)
    with pytest.raises(EnrolmentError, match="already"):
        services.add_directly(person, s.training_session, s.trainer)
    s.training_session.status = "completed"
    with pytest.raises(EnrolmentError, match="completed"):
        services.add_directly(factories.make_participant(), s.training_session, s.trainer)


def test_withdrawn_person_can_be_added_again():
    s = scene()
    person = factories.make_participant()
    (enrolment,) = enrol(s.training_session, s.trainer, person)
    services.withdraw(enrolment, s.trainer)
    again = services.add_directly(person, s.training_session, s.trainer)
    assert again.id == enrolment.id and again.status == "enrolled"
    assert [e.to_status for e in again.events] == ["enrolled", "withdrawn", "enrolled"]


def test_participant_withdraws_only_before_the_session_starts():
    s = scene()
    person = participant_with_account()
    enrolment = services.request_place(person, s.training_session, person.user)
    services.withdraw_own(enrolment, person.user)
    assert enrolment.status == "withdrawn"
    services.request_place(person, s.training_session, person.user)
    s.training_session.status = "in_progress"
    with pytest.raises(EnrolmentError, match="started"):
        services.withdraw_own(enrolment, person.user)


def test_enrolment_keeps_the_country_and_organisation_of_the_time():
    s = scene()
    person = factories.make_participant(country_code="KE", organisation="Kenya Police")
    (enrolment,) = enrol(s.training_session, s.trainer, person)
    services.update_participant(
        person, {"country_code": "TZ", "organisation": "Tanzania Police", "agency_type": "police"}
    )
    db.session.flush()
    db.session.expire_all()
    assert person.country_code == "TZ"
    assert (enrolment.country_code, enrolment.organisation) == ("KE", "Kenya Police")


def test_probable_duplicates_by_normalised_name_and_country_or_email():
    original = factories.make_participant("José Pérez", country_code="MX", email="jp@example.org")
    by_name = services.find_duplicates("PEREZ, Jose", "MX", None)
    assert [(d.participant, d.reason) for d in by_name] == [(original, "name")]
    assert services.find_duplicates("José Pérez", "CO", None) == []
    by_email = services.find_duplicates("Someone Else", "CO", "JP@Example.org")
    assert [(d.participant, d.reason) for d in by_email] == [(original, "email")]
    with pytest.raises(EnrolmentError, match="already the email"):
        services.create_participant(
            {"full_name": "Other", "country_code": "CO", "email": "JP@example.org"}
        )
    # A same-name person in the same country may still be saved (views warn first).
    services.create_participant({"full_name": "Jose Perez", "country_code": "MX"})


def test_duplicates_are_found_in_non_latin_scripts():
    original = factories.make_participant("محمد  عبد الله", country_code="EG")
    assert services.find_duplicates("عبد الله محمد", "EG", None)[0].participant == original
    thai = factories.make_participant("สมชาย ใจดี", country_code="TH")
    assert services.find_duplicates("สมชาย  ใจดี", "TH", None)[0].participant == thai


def test_participant_fields_are_checked():
    with pytest.raises(EnrolmentError, match="country"):
        services.create_participant({"full_name": "X", "country_code": "ZZ"})
    with pytest.raises(EnrolmentError, match="agency"):
        services.create_participant({"full_name": "X", "country_code": "KE", "agency_type": "spy"})
    with pytest.raises(EnrolmentError, match="full name"):
        services.create_participant({"full_name": "  ", "country_code": "KE"})


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_merge_moves_enrolments_attendance_certificates_and_the_account():
    s = scene()
    other_session = factories.make_training_session(trainers=[s.trainer])
    keep = factories.make_participant("Somchai Jaidee", country_code="TH", organisation="")
    user = factories.make_user(roles=("participant",))
    remove = factories.make_participant(
        "สมชาย ใจดี",
        country_code="TH",
        email=user.email,
        user=user,
        organisation="Royal Thai Police",
        job_title="Police Major",
    )
    # Both records are in the same session: the removed record's enrolment is the better one.
    kept_request = services.add_directly(keep, s.training_session, s.trainer)
    services.withdraw(kept_request, s.trainer)
    factories.make_attendance(kept_request, s.training_session.start_date, "present")
    better = services.add_directly(remove, s.training_session, s.trainer)
    day2 = s.training_session.start_date + timedelta(days=1)
    factories.make_attendance(better, s.training_session.start_date, "late")
    factories.make_attendance(better, day2, "present")
    moved = services.add_directly(remove, other_session, s.trainer)
    certificate = Certificate(
        enrolment=moved,
        number="C-1",
        verification_code="code-1",
        content={},
        pdf=b"%PDF",
        sha256="0" * 64,
    )
    db.session.add(certificate)
    db.session.flush()
    attendance_before = _count(AttendanceRecord)

    result = services.merge_participants(keep, remove, s.trainer)
    db.session.commit()
    db.session.expire_all()

    assert db.session.get(Participant, remove.id) is None
    enrolments = {e.training_session_id: e for e in keep.enrolments}
    assert set(enrolments) == {s.training_session.id, other_session.id}
    assert enrolments[s.training_session.id].id == better.id
    assert enrolments[s.training_session.id].status == "enrolled"
    days = {r.day: r.status for r in enrolments[s.training_session.id].attendance_records}
    assert days == {s.training_session.start_date: "late", day2: "present"}
    # The worse enrolment's record for the same day was dropped; none was lost otherwise.
    assert _count(AttendanceRecord) == attendance_before - 1
    assert db.session.get(Certificate, certificate.id).enrolment_id == moved.id
    assert moved.participant_id == keep.id
    assert keep.user_id == user.id and keep.email == user.email
    assert keep.organisation == "Royal Thai Police" and keep.job_title == "Police Major"
    assert keep.full_name == "Somchai Jaidee"
    assert result.moved == 1 and result.combined == 1 and result.account_moved
    notes = [e.note or "" for e in enrolments[other_session.id].events]
    assert any("Merged from person" in note for note in notes)
    # The history of the dropped enrolment is kept on the surviving one.
    statuses = [e.to_status for e in enrolments[s.training_session.id].events]
    assert "withdrawn" in statuses


def test_merge_refuses_the_same_record_and_changes_nothing():
    person = factories.make_participant()
    with pytest.raises(EnrolmentError):
        services.merge_participants(person, person, factories.make_user(roles=("trainer",)))
    assert db.session.get(Participant, person.id) is not None


def test_merge_takes_the_supervisor_as_a_pair_from_the_removed_record():
    trainer = factories.make_user(roles=("trainer",))
    keep = factories.make_participant("Kept")
    remove = factories.make_participant("Removed")
    remove.supervisor_name, remove.supervisor_email = "Cmdr Wanjiru", "wanjiru@police.example"
    result = services.merge_participants(keep, remove, trainer)
    wanjiru = ("Cmdr Wanjiru", "wanjiru@police.example")
    assert (keep.supervisor_name, keep.supervisor_email) == wanjiru
    assert "supervisor_email" in result.filled
    # A record that already names a supervisor keeps its own, name and email together.
    other = factories.make_participant("Other")
    other.supervisor_name, other.supervisor_email = "Insp. Otieno", "otieno@police.example"
    services.merge_participants(keep, other, trainer)
    assert (keep.supervisor_name, keep.supervisor_email) == wanjiru


def test_merge_of_two_enrolled_records_frees_a_place_for_the_waitlist():
    s = scene(capacity=2)
    keep, remove, waiting = (factories.make_participant(f"P {n}") for n in range(3))
    a, b, c = enrol(s.training_session, s.trainer, keep, remove, waiting)
    assert c.status == "waitlisted"
    services.merge_participants(keep, remove, s.trainer)
    db.session.expire_all()
    assert db.session.get(Enrolment, c.id).status == "enrolled"
    assert _count(Enrolment) == 2


def test_emails_are_sent_only_after_commit(outbox):
    s = scene()
    person = participant_with_account()
    db.session.commit()
    services.request_place(person, s.training_session, person.user)
    assert outbox.refresh() == []
    db.session.rollback()
    db.session.commit()
    assert outbox.refresh() == []
    person = participant_with_account("Lina Haddad")
    services.request_place(person, s.training_session, person.user)
    db.session.commit()
    assert [m["To"] for m in outbox.refresh()] == [person.email]


def test_no_email_for_people_without_an_address(outbox):
    s = scene(capacity=1)
    a, b = enrol(
        s.training_session, s.trainer, factories.make_participant(), factories.make_participant()
    )
    services.withdraw(a, s.trainer)
    db.session.commit()
    assert b.status == "enrolled" and outbox.refresh() == []


def test_counts_by_status_and_country():
    s = scene(capacity=2)
    enrol(
        s.training_session,
        s.trainer,
        factories.make_participant(country_code="KE"),
        factories.make_participant(country_code="UG"),
        factories.make_participant(country_code="UG"),
    )
    summary = services.counts(s.training_session)
    assert summary["by_status"]["enrolled"] == 2 and summary["by_status"]["waitlisted"] == 1
    assert sorted(summary["by_country"]) == [("KE", 1), ("UG", 1)]


def test_every_event_is_stored():
    s = scene(capacity=1)
    enrol(s.training_session, s.trainer, factories.make_participant(), factories.make_participant())
    assert _count(EnrolmentEvent) == 2


def test_merge_keeps_the_kept_records_better_enrolment_and_takes_the_others_attendance():
    s = scene()
    keep = factories.make_participant("Wichai Somboon", country_code="TH")
    remove = factories.make_participant("วิชัย สมบูรณ์", country_code="TH")
    better = services.add_directly(keep, s.training_session, s.trainer)
    worse = services.add_directly(remove, s.training_session, s.trainer)
    services.withdraw(worse, s.trainer)
    day2 = s.training_session.start_date + timedelta(days=1)
    factories.make_attendance(worse, day2, "present")
    services.merge_participants(keep, remove, s.trainer)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Enrolment, worse.id) is None
    assert [e.id for e in keep.enrolments] == [better.id]
    assert [(r.day, r.status) for r in better.attendance_records] == [(day2, "present")]
    assert db.session.get(Participant, remove.id) is None


def test_merge_with_two_accounts_keeps_one_and_deactivates_the_other():
    keep = participant_with_account("Grace Wanjiru")
    remove = participant_with_account("GRACE  WANJIRU")
    other_user = remove.user
    services.merge_participants(keep, remove, factories.make_user(roles=("trainer",)))
    db.session.commit()
    assert keep.user is not None and keep.user.id != other_user.id
    assert other_user.active is False


def test_raising_capacity_fills_the_new_places_from_the_waitlist(app):
    from app.enrolment.models import EnrolmentStatus
    from app.scheduling.services import SessionDetails, update_training_session

    trainer = factories.make_user(roles=("trainer",))
    training_session = factories.make_training_session(capacity=1, trainers=[trainer])
    services.add_directly(factories.make_participant(), training_session, trainer)
    waiting = services.add_directly(factories.make_participant(), training_session, trainer)
    assert waiting.status == EnrolmentStatus.WAITLISTED
    details = SessionDetails(
        host_country=training_session.host_country,
        city=training_session.city,
        start_date=training_session.start_date,
        end_date=training_session.end_date,
        capacity=2,
        trainers=[trainer],
    )
    update_training_session(training_session, details, trainer)
    assert waiting.status == EnrolmentStatus.ENROLLED


def test_merging_two_certified_records_of_one_session_keeps_one_live_certificate():
    s = scene()
    keep = factories.make_participant("Somchai Jaidee", country_code="TH")
    remove = factories.make_participant("สมชาย ใจดี", country_code="TH")
    certificates = []
    for n, person in enumerate((keep, remove), start=1):
        enrolment = services.add_directly(person, s.training_session, s.trainer)
        certificates.append(
            Certificate(
                enrolment=enrolment,
                number=f"C-{n}",
                verification_code=f"code-{n}",
                content={},
                pdf=b"%PDF",
                sha256=f"{n}" * 64,
            )
        )
    db.session.add_all(certificates)
    db.session.flush()
    services.merge_participants(keep, remove, s.trainer)
    db.session.commit()
    db.session.expire_all()
    live = [c for c in certificates if db.session.get(Certificate, c.id).revoked_at is None]
    assert [c.number for c in live] == ["C-1"]
    revoked = db.session.get(Certificate, certificates[1].id)
    assert "merged" in revoked.revocation_reason


def test_the_page_predicates_answer_as_the_services_rule():
    s = scene()
    person = participant_with_account()
    assert not services.blocks_new_request(None)
    enrolment = services.request_place(person, s.training_session, person.user)
    assert services.blocks_new_request(enrolment) and services.can_withdraw_own(enrolment)
    assert services.reason_heading(enrolment) is None
    services.decline(enrolment, s.trainer, "Not eligible")
    assert services.blocks_new_request(enrolment) and not services.can_withdraw_own(enrolment)
    assert services.reason_heading(enrolment) == "Reason"
    other = participant_with_account("Lina Haddad")
    withdrawn = services.add_directly(other, s.training_session, s.trainer)
    services.withdraw(withdrawn, s.trainer)
    assert not services.blocks_new_request(withdrawn)
    placed = services.add_directly(factories.make_participant(), s.training_session, s.trainer)
    s.training_session.status = "in_progress"
    assert not services.can_withdraw_own(placed)


def test_the_deadline_passes_the_day_after_it_in_the_sessions_time_zone(monkeypatch):
    # Noon in London on 10 March is already 02:00 on 11 March in Kiritimati (UTC+14).
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 3, 10, 12, tzinfo=UTC))
    s = scene(timezone="Pacific/Kiritimati")
    s.training_session.enrolment_deadline = date(2026, 3, 11)
    assert not services.deadline_passed(s.training_session)
    s.training_session.enrolment_deadline = date(2026, 3, 10)
    assert services.deadline_passed(s.training_session)
    person = participant_with_account()
    with pytest.raises(EnrolmentError, match="deadline"):
        services.request_place(person, s.training_session, person.user)


def test_of_two_equal_enrolments_the_merge_keeps_the_one_with_attendance():
    s = scene()
    keep = factories.make_participant("Wichai Somboon", country_code="TH")
    remove = factories.make_participant("วิชัย สมบูรณ์", country_code="TH")
    bare, attended = enrol(s.training_session, s.trainer, keep, remove)
    factories.make_attendance(attended, s.training_session.start_date, "present")
    services.merge_participants(keep, remove, s.trainer)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Enrolment, bare.id) is None
    assert [e.id for e in keep.enrolments] == [attended.id]
