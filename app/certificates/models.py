"""Issued certificates: frozen content, the PDF and its hash, verification and revocation."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.shared.models import UTCDateTime, utcnow
from app.shared.personal_data import PersonalData, erased_name

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.enrolment.models import Enrolment


class Certificate(db.Model):
    """A certificate whose content is frozen at issue; later edits elsewhere never change it."""

    __tablename__ = "certificates"
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
