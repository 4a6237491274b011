"""A file asked for in a request and rendered by a worker: its kind, parameters, state, bytes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.extensions import db
from app.shared.models import UTCDateTime, utcnow
from app.shared.personal_data import PersonalData

if TYPE_CHECKING:
    from app.accounts.models import User


class DocumentState(StrEnum):
    """Where a document is: waiting for a worker, being rendered, ready, or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class RenderedDocument(db.Model):
    """A PDF rendered by a worker, kept in the database so that any web machine serves it."""

    __tablename__ = "rendered_documents"
    # A sign-in sheet's bytes print every enrolled person's name; erasure drops the file (it is
    # rendered again from current data when asked for) and the export leaves the bytes out.
    __personal_data__ = PersonalData(fields=("pdf",), withheld=("pdf",), erase={"pdf": None})

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    # What the renderer needs (ids, filter values), never objects: a worker elsewhere reads it.
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    requested_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(20), default=DocumentState.QUEUED)
    error: Mapped[str | None] = mapped_column(Text)
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    filename: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requested_by: Mapped[User] = relationship()

    @property
    def finished(self) -> bool:
        """Return whether the worker is done with it, one way or the other."""
        return self.state in (DocumentState.DONE, DocumentState.FAILED)

    def __repr__(self) -> str:
        return f"<RenderedDocument {self.id} {self.kind} {self.state}>"
