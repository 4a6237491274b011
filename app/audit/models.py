"""The audit trail: one append-only row per thing someone did that a reviewer may ask about."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, relationship

from app.extensions import db
from app.shared.models import UTCDateTime, utcnow
from app.shared.personal_data import PersonalData

if TYPE_CHECKING:
    from app.accounts.models import User

# The key of `details` that holds personal text (a typed email, a file name); erasure drops it.
PERSONAL = "personal"
# Set on a session's `info` while erase_personal_data() is the one allowed writer of entries.
ERASING = "audit_erasing"


class AuditError(RuntimeError):
    """Raised when code tries to change an audit entry."""


class AuditEntry(db.Model):
    """Who did what to which record, and when; never edited once written.

    The session, participant and subject columns are plain ids, not foreign keys, so that an
    entry outlives a deleted session or a participant merged away.
    """

    __tablename__ = "audit_entries"
    __personal_data__ = PersonalData(
        fields=("actor_label", "ip_address", "details"),
        export_method="as_dict",
        erased_by="app.audit.services.erase_personal_data",
    )
    __table_args__ = (Index("ix_audit_entries_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor_label: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None]
    training_session_id: Mapped[int | None] = mapped_column(index=True)
    participant_id: Mapped[int | None] = mapped_column(index=True)
    subject_user_id: Mapped[int | None] = mapped_column(index=True)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship(passive_deletes=True)

    def as_dict(self) -> dict[str, Any]:
        """Return the entry as plain data, for the CSV export and a person's data export."""
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor": self.actor_label,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "training_session_id": self.training_session_id,
            "participant_id": self.participant_id,
            "subject_user_id": self.subject_user_id,
            "ip_address": self.ip_address,
            "details": self.details,
        }

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action}>"


@event.listens_for(Session, "before_flush")
def _refuse_edits(session: Session, _context, _instances) -> None:
    """Stop any flush that changes or deletes a written entry, outside erasure."""
    if session.info.get(ERASING):
        return
    for entry in session.deleted:
        if isinstance(entry, AuditEntry):
            raise AuditError("Audit entries are never deleted one by one.")
    for entry in session.dirty:
        if isinstance(entry, AuditEntry) and session.is_modified(entry):
            raise AuditError("Audit entries are never edited.")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_updates(state: ORMExecuteState) -> None:
    """Stop ORM-enabled UPDATE statements on the audit table, outside erasure."""
    if (
        state.is_update
        and state.bind_mapper is AuditEntry.__mapper__
        and not state.session.info.get(ERASING)
    ):
        raise AuditError("Audit entries are never edited.")
