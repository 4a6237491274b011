"""A large history import confirmed in a request and done by a worker, with its progress.

The import itself writes sessions, people and enrolments (the tables of those domains); this
row only records the work asked for and how far it has got, for the progress page.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.shared.models import UTCDateTime, utcnow
from app.shared.personal_data import PersonalData

if TYPE_CHECKING:
    from app.accounts.models import User


class ImportState(StrEnum):
    """Where an import is: being checked, waiting for confirmation, written, over, refused."""

    CHECKING = "checking"
    CHECKED = "checked"
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


# A worker has (or will have) this import in hand; the others wait for nobody or are over.
WORKING = frozenset({ImportState.CHECKING, ImportState.PENDING, ImportState.RUNNING})


class HistoryImport(db.Model):
    """An upload's import run as a job: the kept file's token, counts, errors by row, state."""

    __tablename__ = "history_imports"
    # Row errors quote the file's values (names, emails); erasure blanks them.
    __personal_data__ = PersonalData(
        fields=("filename", "errors"),
        erase={"filename": "erased", "errors": lambda _row: []},
        withheld=("file_token",),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The pending-upload kind the file was kept as ("history").
    kind: Mapped[str] = mapped_column(String(20))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    # Names the file in the pending-upload store until the import is over.
    file_token: Mapped[str] = mapped_column(String(80), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=ImportState.PENDING, index=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    # The first errors as {"row", "column", "message"}; error_count counts them all.
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    # What the import created and matched (ImportReport's counts), once it is done.
    summary: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moved on by every chunk a worker commits.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requested_by: Mapped[User | None] = relationship()

    @property
    def finished(self) -> bool:
        """Return whether a worker has nothing more to do for this import."""
        return self.state in (ImportState.DONE, ImportState.FAILED)

    @property
    def working(self) -> bool:
        """Return whether a worker is checking or writing it, or is about to."""
        return self.state in WORKING

    def __repr__(self) -> str:
        return f"<HistoryImport {self.id} {self.state} {self.done}/{self.total}>"
