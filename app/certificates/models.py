"""Issued certificates (frozen content, PDF, hash, revocation) and the batches that issue them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.shared.models import UTCDateTime, utcnow
from app.shared.personal_data import PersonalData, erased_name

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.enrolment.models import Enrolment
    from app.scheduling.models import TrainingSession

# At most one certificate of an enrolment is live (not revoked): a batch run twice, two workers
# on one batch or two trainers clicking at once can never issue a second one.
_LIVE = text("revoked_at IS NULL")


class Certificate(db.Model):
    """A certificate whose content is frozen at issue; later edits elsewhere never change it."""

    __tablename__ = "certificates"
    __table_args__ = (
        Index(
            "uq_certificates_live_enrolment",
            "enrolment_id",
            unique=True,
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
    )
    # The PDF is exported as a file of its own; erased, it is emptied (it prints the name) and
    # sha256 stays, so the original paper still verifies as revoked.
    __personal_data__ = PersonalData(
        fields=("number", "content", "pdf", "issued_at", "revoked_at", "revocation_reason"),
        erase={
            "content": lambda c: {
                **c.content,
                "name": erased_name(c.enrolment.participant),
                "latin_name": None,
            },
            "pdf": b"",
            "revocation_reason": lambda c: c.revocation_reason and "erased",
        },
        withheld=("pdf",),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    verification_code: Mapped[str] = mapped_column(String(40), unique=True)
    content: Mapped[dict] = mapped_column(JSON)
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_on: Mapped[date | None] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    expiry_reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    enrolment: Mapped[Enrolment] = relationship()
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    replaces: Mapped[Certificate | None] = relationship(
        remote_side=[id], foreign_keys=[replaces_id], back_populates="replaced_by"
    )
    replaced_by: Mapped[list[Certificate]] = relationship(back_populates="replaces")

    def __repr__(self) -> str:
        return f"<Certificate {self.number}>"


class BatchKind(StrEnum):
    """What a batch does: issue the due certificates, reissue the valid ones, or zip them."""

    ISSUE = "issue"
    REISSUE = "reissue"
    ZIP = "zip"


class BatchStatus(StrEnum):
    """Where a batch is: waiting for a worker, being worked on, or finished."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"


class ItemStatus(StrEnum):
    """Where one person's certificate in a batch is."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class CertificateBatch(db.Model):
    """Certificate work asked for in a request and done by a worker, with its progress."""

    __tablename__ = "certificate_batches"
    __personal_data__ = PersonalData(
        holds_none="the reason is a trainer's note on a whole session's certificates"
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    training_session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=BatchStatus.PENDING, index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    notify: Mapped[bool] = mapped_column(Boolean, default=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    # How many times the batch was put on the queue; each try has a job id of its own.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    # The ZIP of a zip batch, kept in the database so that any web machine can serve it.
    result: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moved on by every chunk a worker commits; the sweeper re-queues batches left still.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    training_session: Mapped[TrainingSession] = relationship()
    requested_by: Mapped[User | None] = relationship()
    items: Mapped[list[CertificateBatchItem]] = relationship(
        back_populates="batch", order_by="CertificateBatchItem.id", cascade="all, delete-orphan"
    )

    @property
    def finished(self) -> bool:
        """Return whether the worker is done with this batch."""
        return self.status == BatchStatus.DONE

    def __repr__(self) -> str:
        return f"<CertificateBatch {self.id} {self.kind} {self.status}>"


class CertificateBatchItem(db.Model):
    """One person's certificate in a batch: pending until a worker issues it, once."""

    __tablename__ = "certificate_batch_items"
    __table_args__ = (UniqueConstraint("batch_id", "enrolment_id"),)
    # Why a person's certificate could not be issued quotes their name.
    __personal_data__ = PersonalData(
        fields=("status", "error"), erase={"error": lambda item: item.error and "erased"}
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("certificate_batches.id", ondelete="CASCADE"), index=True
    )
    # A merge deletes the enrolment it folds away; its place in old batches goes with it.
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default=ItemStatus.PENDING)
    # For a reissue, the certificate this item replaces.
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    error: Mapped[str | None] = mapped_column(Text)

    batch: Mapped[CertificateBatch] = relationship(back_populates="items")
    enrolment: Mapped[Enrolment] = relationship()
    replaces: Mapped[Certificate | None] = relationship(foreign_keys=[replaces_id])
    certificate: Mapped[Certificate | None] = relationship(foreign_keys=[certificate_id])
