"""A person's data export, their erasure, and the retention purge (services never commit).

The rows that belong to a person are gathered here; what each row exports and what erasure
writes into it come from the models' own declarations (app.shared.personal_data).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import undefer
from werkzeug.utils import secure_filename

from app.accounts.models import AccountToken, ApiToken, User
from app.accounts.services import holds_staff_role, lock_out
from app.attendance.models import AttendanceMark, AttendanceRecord
from app.audit import services as audit
from app.certificates import services as certificates
from app.certificates.models import Certificate, CertificateBatchItem
from app.credentials.models import Credential
from app.documents import services as documents
from app.enrolment.models import Enrolment, EnrolmentEvent, Participant
from app.evaluation.models import (
    FollowUpObservation,
    SurveyRespondent,
    TestAttempt,
    TrainerReport,
)
from app.extensions import db
from app.nominations.models import Nomination, VettingCheck
from app.notifications.models import EmailLog
from app.scheduling.models import CalendarFeed
from app.shared.pending_uploads import purge_expired_pending_uploads
from app.shared.personal_data import erase_row, erased_name, export_rows
from app.shared.unit_of_work import DomainError

ERASED_REASON = "erased"  # the revocation reason of an erased person's certificates


class PrivacyError(DomainError, ValueError):
    """A privacy rule was broken; the message is shown to the user."""


@dataclass
class Person:
    """Whom an export or an erasure is about: an account, a participant record, or both."""

    user: User | None
    participant: Participant | None

    @classmethod
    def of_user(cls, user: User) -> Person:
        """Return the account together with the participant record linked to it, if any."""
        participant = db.session.scalar(select(Participant).where(Participant.user_id == user.id))
        return cls(user, participant)

    @classmethod
    def of_participant(cls, participant: Participant) -> Person:
        """Return the participant record together with its account, if any."""
        return cls(participant.user, participant)

    @property
    def user_id(self) -> int | None:
        """Return the account's id, if there is an account."""
        return self.user.id if self.user else None

    @property
    def participant_id(self) -> int | None:
        """Return the participant record's id, if there is one."""
        return self.participant.id if self.participant else None


@dataclass
class Records:
    """Every row about one person, by table, in the order the export lists them."""

    tables: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def certificates(self) -> list[Certificate]:
        """Return the person's certificates."""
        return self.tables.get("certificates", [])

    def rows(self):
        """Yield every row, all tables together."""
        for rows in self.tables.values():
            yield from rows


def _all(statement) -> list:
    return list(db.session.scalars(statement))


def records_of(person: Person) -> Records:
    """Gather every row about the person: account, links, trainings, nominations, follow-ups.

    tests/privacy/test_declarations.py fails when a table declaring personal data is missing.
    """
    records = Records()
    if person.user is not None:
        user = person.user
        records.tables["users"] = [user]
        records.tables["user_roles"] = list(user.role_links)
        records.tables["account_tokens"] = _all(
            select(AccountToken).where(AccountToken.user_id == user.id).order_by(AccountToken.id)
        )
        records.tables["api_tokens"] = _all(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
        )
        records.tables["calendar_feeds"] = _all(
            select(CalendarFeed).where(CalendarFeed.user_id == user.id).order_by(CalendarFeed.id)
        )
        records.tables["trainer_reports"] = _all(
            select(TrainerReport)
            .where(TrainerReport.author_id == user.id)
            .order_by(TrainerReport.id)
        )
        records.tables["focal_point_countries"] = list(user.focal_country_links)
        records.tables["focal_point_agency_types"] = list(user.focal_agency_links)
        records.tables["focal_point_deputies"] = [user.deputy_link] if user.deputy_link else []
        # A focal point's follow-up answers are their own account of their officers.
        records.tables["follow_up_observations"] = _all(
            select(FollowUpObservation)
            .where(FollowUpObservation.observer_id == user.id)
            .order_by(FollowUpObservation.id)
        )
    addresses = {
        a
        for a in (
            person.user and person.user.email,
            person.participant and person.participant.email,
        )
        if a
    }
    if addresses:
        records.tables["email_log"] = _all(
            select(EmailLog).where(EmailLog.to_address.in_(addresses)).order_by(EmailLog.id)
        )
    if person.participant is not None:
        enrolments = _all(
            select(Enrolment)
            .where(Enrolment.participant_id == person.participant.id)
            .order_by(Enrolment.id)
        )
        ids = [enrolment.id for enrolment in enrolments]
        records.tables["participants"] = [person.participant]
        records.tables["enrolments"] = enrolments
        records.tables["enrolment_events"] = _all(
            select(EnrolmentEvent)
            .where(EnrolmentEvent.enrolment_id.in_(ids))
            .order_by(EnrolmentEvent.id)
        )
        records.tables["attendance_records"] = _all(
            select(AttendanceRecord)
            .where(AttendanceRecord.enrolment_id.in_(ids))
            .order_by(AttendanceRecord.enrolment_id, AttendanceRecord.day)
        )
        records.tables["attendance_marks"] = _all(
            select(AttendanceMark)
            .join(AttendanceRecord, AttendanceMark.attendance_record_id == AttendanceRecord.id)
            .where(AttendanceRecord.enrolment_id.in_(ids))
            .order_by(AttendanceMark.id)
        )
        records.tables["certificates"] = _all(
            select(Certificate)
            .options(undefer(Certificate.pdf))
            .where(Certificate.enrolment_id.in_(ids))
            .order_by(Certificate.id)
        )
        records.tables["certificate_batch_items"] = _all(
            select(CertificateBatchItem)
            .where(CertificateBatchItem.enrolment_id.in_(ids))
            .order_by(CertificateBatchItem.id)
        )
        records.tables["credentials"] = _all(
            select(Credential)
            .options(undefer(Credential.document))
            .where(Credential.certificate_id.in_([c.id for c in records.certificates]))
            .order_by(Credential.id)
        )
        nominations = _all(
            select(Nomination)
            .where(Nomination.participant_id == person.participant.id)
            .order_by(Nomination.id)
        )
        records.tables["nominations"] = nominations
        # A supervisor's named follow-up answers are about this person's places.
        records.tables.setdefault("follow_up_observations", []).extend(
            _all(
                select(FollowUpObservation)
                .where(FollowUpObservation.enrolment_id.in_(ids))
                .order_by(FollowUpObservation.id)
            )
        )
        records.tables["vetting_checks"] = _all(
            select(VettingCheck)
            .where(VettingCheck.nomination_id.in_([n.id for n in nominations]))
            .order_by(VettingCheck.id)
        )
        # Knowledge-test scores are the person's; of surveys, only the fact of having answered
        # is (the answers themselves are anonymous and joined to nobody).
        records.tables["test_attempts"] = _all(
            select(TestAttempt).where(TestAttempt.enrolment_id.in_(ids)).order_by(TestAttempt.id)
        )
        records.tables["survey_respondents"] = _all(
            select(SurveyRespondent)
            .where(SurveyRespondent.enrolment_id.in_(ids))
            .order_by(SurveyRespondent.enrolment_id, SurveyRespondent.instrument)
        )
    return records


# --- export ------------------------------------------------------------------------------


def _readme(person: Person, now: datetime, files: list[str]) -> str:
    lines = [
        _("Your data, as held by %(issuer)s.", issuer=current_app.config["ISSUER_NAME"]),
        _("Exported on %(when)s (UTC).", when=now.strftime("%Y-%m-%d %H:%M")),
        "",
        _("Each JSON file lists the rows of one table; certificates/ holds the PDFs issued."),
        "",
        *files,
    ]
    return "\n".join(lines) + "\n"


def export_zip(person: Person, now: datetime) -> bytes:
    """Return a ZIP of JSON files (one a table) and the person's certificate PDFs."""
    records = records_of(person)
    files: dict[str, bytes] = {}
    for table, rows in records.tables.items():
        files[f"{table}.json"] = _json(export_rows(rows))
    entries = audit.entries_about(user_id=person.user_id, participant_id=person.participant_id)
    files["audit_entries.json"] = _json(export_rows(entries))
    for certificate in records.certificates:
        if certificate.pdf:  # an erased certificate's PDF is gone
            files[f"certificates/{secure_filename(certificate.number)}.pdf"] = certificate.pdf
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(person, now, sorted(files)))
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def record_export(person: Person, actor: User) -> None:
    """Write who downloaded whose data to the audit trail."""
    audit.record(
        "export.personal_data",
        actor=actor,
        participant=person.participant_id,
        subject_user=person.user_id,
    )


# --- erasure -----------------------------------------------------------------------------


def is_erased(participant: Participant) -> bool:
    """Return whether the record has already been erased."""
    return participant.full_name == erased_name(participant)


@dataclass
class ErasurePlan:
    """What an erasure will change, shown before the administrator confirms it."""

    enrolments: int
    certificates_to_revoke: int
    has_account: bool
    audit_entries: int


def plan_erasure(participant: Participant) -> ErasurePlan:
    """Count what erasing this person touches."""
    person = Person.of_participant(participant)
    records = records_of(person)
    entries = audit.entries_about(user_id=person.user_id, participant_id=person.participant_id)
    return ErasurePlan(
        enrolments=len(records.tables.get("enrolments", [])),
        certificates_to_revoke=sum(1 for c in records.certificates if c.revoked_at is None),
        has_account=person.user is not None,
        audit_entries=len(entries),
    )


def _check_erasable(participant: Participant, actor: User, reason: str) -> None:
    if not reason:
        raise PrivacyError(_("Give the reason for erasing this person; it is kept in the trail."))
    user = participant.user
    if user is not None and user.id == actor.id:
        raise PrivacyError(_("You cannot erase your own record."))
    if user is not None and holds_staff_role(user):
        raise PrivacyError(
            _("This person's account works for the programme; remove its staff roles first.")
        )


def erase(participant: Participant, actor: User, reason: str) -> int:
    """Remove a person's name, addresses and free text everywhere; keep the facts counted.

    Supervisors' follow-up answers about the person's places are deleted, not blanked: they
    describe the person, so they leave the results with the person.

    Certificates are revoked (reason "erased") through the certificates' own service, the
    account is signed out everywhere and deactivated, and the audit trail blanks its personal
    fields through its own service. The entry recording the erasure keeps the reason, not the
    name. Return how many rows were changed.
    """
    reason = (reason or "").strip()
    _check_erasable(participant, actor, reason)
    person = Person.of_participant(participant)
    records = records_of(person)
    for certificate in records.certificates:
        if certificate.revoked_at is None:
            certificates.revoke(certificate, actor, ERASED_REASON)
    if person.user is not None:
        lock_out(person.user)
        person.user.active = False
    changed = documents.discard_documents_naming_people()
    for row in records.rows():
        if isinstance(row, FollowUpObservation) and row.enrolment_id is not None:
            db.session.delete(row)  # a supervisor's answers describe the person: they go whole
            changed += 1
        else:
            changed += erase_row(row)
    changed += audit.erase_personal_data(
        user_id=person.user_id, participant_id=person.participant_id
    )
    db.session.flush()
    audit.record(
        "privacy.erasure",
        actor=actor,
        participant=person.participant_id,
        subject_user=person.user_id,
        details={"reason": reason, "rows": changed},
    )
    return changed


# --- retention ---------------------------------------------------------------------------


@dataclass
class PurgeResult:
    """What one run of the retention purge deleted."""

    audit_entries: int
    pending_uploads: int
    documents: int
    cutoff: datetime


def purge(now: datetime) -> PurgeResult:
    """Delete audit entries older than the retention and expired pending uploads."""
    cutoff = now - timedelta(days=current_app.config["AUDIT_RETENTION_DAYS"])
    deleted = audit.purge_before(cutoff)
    uploads = purge_expired_pending_uploads(now)
    rendered = documents.purge_documents(
        now - timedelta(hours=current_app.config["DOCUMENT_RETENTION_HOURS"])
    )
    audit.record(
        "privacy.purge",
        actor=None,
        details={
            "audit_entries": deleted,
            "pending_uploads": uploads,
            "documents": rendered,
            "cutoff": cutoff.isoformat(),
        },
    )
    return PurgeResult(deleted, uploads, rendered, cutoff)
