"""Merging two records of one person keeps their nominations, one per call."""

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.enrolment.services import add_directly, merge_participants
from app.extensions import db
from app.nominations import services
from app.nominations.models import Nomination, NominationStatus
from app.nominations.transitions import Actor
from tests.nominations.helpers import person, scene, vetted


def _nominations_of(participant) -> list[Nomination]:
    return list(
        db.session.scalars(select(Nomination).where(Nomination.participant_id == participant.id))
    )


def test_a_nomination_of_the_removed_record_moves_to_the_kept_one(app):
    s = scene()
    keep, remove = person("Amani Keep"), person("Amani Removed")
    nomination = services.nominate(s.call, remove, s.kenya)
    merge_participants(keep, remove, s.trainer)
    db.session.commit()
    assert _nominations_of(keep) == [nomination]
    assert nomination.status == NominationStatus.NOMINATED


def test_two_nominations_to_one_call_leave_the_more_advanced_one(app):
    s = scene()
    keep, remove = person("Baraka Keep"), person("Baraka Removed")
    behind = services.nominate(s.call, keep, s.kenya)
    ahead = vetted(s, services.nominate(s.call, remove, s.kenya))
    ahead_id, behind_id = ahead.id, behind.id
    merge_participants(keep, remove, s.trainer)
    db.session.commit()
    (left,) = _nominations_of(keep)
    assert left.id == ahead_id and left.status == NominationStatus.VETTING
    assert [check.external_reference for check in left.vetting_checks] == ["R1"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "nomination.merged"))
    assert entry is not None and entry.details["merged_from"] == behind_id
    assert entry.details["status"] == NominationStatus.NOMINATED


def test_a_withdrawn_nomination_gives_way_to_one_still_in_the_running(app):
    s = scene()
    keep, remove = person("Chiku Keep"), person("Chiku Removed")
    services.withdraw(services.nominate(s.call, keep, s.kenya), s.kenya, Actor.FOCAL_POINT)
    running = services.nominate(s.call, remove, s.kenya)
    merge_participants(keep, remove, s.trainer)
    db.session.commit()
    (left,) = _nominations_of(keep)
    assert left.id == running.id and left.status == NominationStatus.NOMINATED


def test_an_enrolled_nominee_merged_into_a_record_of_the_same_session_keeps_its_place(app):
    s = scene()
    keep, remove = person("Dalia Keep"), person("Dalia Removed")
    nomination = vetted(s, services.nominate(s.call, remove, s.kenya))
    services.accept(nomination, s.trainer)
    services.confirm(nomination, remove.user)
    services.enrol(nomination, s.trainer)
    add_directly(keep, s.training_session, s.trainer)  # the same place, on the other record
    merge_participants(keep, remove, s.trainer)
    db.session.commit()
    (left,) = _nominations_of(keep)
    assert left.status == NominationStatus.ENROLLED
    assert left.enrolment is not None and left.enrolment.participant_id == keep.id
