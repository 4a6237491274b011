"""The one import pipeline: a file's header and rows, one row error, a previewed file kept.

Participant lists, paper roll calls and past trainings all read their file here (through
spreadsheets.read_rows and its limits), report each bad value as a RowError naming the row
and the column, and keep the previewed file in the pending-upload store until the user
confirms. Each domain keeps only its own header and row validation, and its table of header
aliases ("Nom", "E-mail", "Country of service"...) naming the field each one fills.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, TypeVar

from flask_babel import force_locale
from flask_babel import gettext as _

from app.shared import pending_uploads
from app.shared.after_commit import after_commit
from app.shared.i18n import supported
from app.shared.spreadsheets import (
    ENCODINGS,
    Limits,
    Source,
    SpreadsheetError,
    check_filename,
    detect_encoding,
    read_rows,
)
from app.shared.unit_of_work import DomainError

Checked = TypeVar("Checked")
# Field -> the other headers people write for it; matched as column_name() reads them.
Aliases = Mapping[str, Sequence[str]]
_SEPARATORS = re.compile(r"[\s\-./]+")


@dataclass(frozen=True)
class RowError:
    """One problem: the row number a spreadsheet shows (header 1, 0 the whole file), column, why."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _(
                "Row %(row)d, %(column)s: %(message)s",
                row=self.row,
                column=self.column,
                message=self.message,
            )
        return _("Row %(row)d: %(message)s", row=self.row, message=self.message)

    def as_dict(self) -> dict:
        """Return the error as plain values, to keep with work done by a worker."""
        return {"row": self.row, "column": self.column, "message": self.message}


def column_name(text: str) -> str:
    """Return a header cell as a column name: "Session Code " is session_code, "País" pais."""
    unaccented = "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )
    return _SEPARATORS.sub("_", unaccented.strip().casefold()).strip("_")


def with_headings(aliases: Aliases, headings: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
    """Return aliases plus each field's (lazy) template heading in every language.

    A template downloaded in French keeps its French header, and reads back whoever uploads it.
    """
    merged = {name: list(aliases.get(name, ())) for name in headings}
    for language in supported():
        with force_locale(language):
            for name, heading in headings.items():
                merged[name].append(str(heading))
    return {name: tuple(others) for name, others in merged.items()}


def alias_lookup(fields: Sequence[str], aliases: Aliases) -> dict[str, str]:
    """Return {column name: field} for every field's own name and its aliases."""
    lookup = {column_name(name): name for name in fields}
    for name, others in aliases.items():
        lookup.update({column_name(other): name for other in others})
    return lookup


@dataclass(frozen=True)
class Column:
    """One header cell as written in the file and the field it fills ("" when none)."""

    heading: str
    field: str

    @property
    def renamed(self) -> bool:
        """Return whether the heading was read as another name (an alias)."""
        return bool(self.field) and column_name(self.heading) != self.field


@dataclass
class Table:
    """A file's header, as column names, and its rows below it, read while iterated.

    `columns_read` says which heading became which field; `encoding` is the codec a CSV was read
    in (None for XLSX).
    """

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    columns_read: list[Column] = field(default_factory=list)
    encoding: str | None = None

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield (row number, {column: stripped text}) for each row with any text."""
        for number, values in self.rows:
            cells = {
                name: values[index].strip() if index < len(values) else ""
                for index, name in enumerate(self.header)
                if name
            }
            if any(cells.values()):
                yield number, cells

    def columns(self, names: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
        """Yield (row number, stripped texts of these columns in order) for rows with any text.

        A column named twice is read from its first place; every name must be in the header.
        """
        positions: dict[str, int] = {}
        for position, name in enumerate(self.header):
            positions.setdefault(name, position)
        indexes = [positions[name] for name in names]
        width = max(indexes, default=-1) + 1
        padding = [""] * width
        for number, cells in self.rows:
            if len(cells) < width:
                cells = cells + padding[len(cells) :]
            values = [cells[index].strip() for index in indexes]
            if any(values):
                yield number, values


def read_table(
    filename: str,
    source: Source,
    limits: Limits,
    *,
    fields: Sequence[str] = (),
    aliases: Aliases | None = None,
    encoding: str | None = None,
) -> Table:
    """Read the header of a CSV or XLSX file; its rows follow as the table is iterated.

    A heading that is one of `fields` or an alias of one is read as that field; others keep
    their column_name(). A CSV is read in `encoding`, else in the one detected.
    SpreadsheetError is raised for a file that cannot be read, is empty, or passes a limit.
    """
    if check_filename(filename) != ".csv":
        encoding = None
    elif encoding not in ENCODINGS:
        encoding = detect_encoding(source)
    rows = read_rows(filename, source, limits, encoding)
    first = next(rows, None)
    if first is None or not first[1]:
        raise SpreadsheetError(_("The file is empty."))
    lookup = alias_lookup(fields, aliases or {})
    known = set(lookup.values())
    names = [column_name(value) for value in first[1]]
    header = [lookup.get(name, name) for name in names]
    columns_read = [
        Column(heading.strip(), name if name in known else "")
        for heading, name in zip(first[1], header, strict=True)
        if heading.strip()
    ]
    return Table(header, rows, columns_read, encoding)


@dataclass
class ImportChoices:
    """What the uploader chose on a preview: the encoding, reading again, leaving bad rows out.

    Leaving bad rows out is always an explicit choice; by default a file is all or nothing.
    """

    encoding: str | None = None
    skip_bad_rows: bool = False
    reread: bool = False  # read the file again (in another encoding) instead of applying it

    @classmethod
    def from_form(cls, form: Mapping[str, str]) -> ImportChoices:
        """Read the preview form's encoding, skip_bad_rows and reread fields."""
        encoding = form.get("encoding")
        return cls(
            encoding=encoding if encoding in ENCODINGS else None,
            skip_bad_rows=bool(form.get("skip_bad_rows")),
            reread=bool(form.get("reread")),
        )


def bad_row_count(errors: Sequence[RowError]) -> int:
    """Return how many rows have a problem (a row may have several)."""
    return len({error.row for error in errors})


@dataclass(frozen=True)
class PendingFiles:
    """Where one domain keeps a previewed file until it is confirmed, and its error class.

    keep() and load() raise `error` (the domain's DomainError) with the store's message; the
    scope ties a kept file to whom and what it was uploaded for.
    """

    kind: str
    error: type[DomainError]

    def keep(self, filename: str, content: bytes, scope: dict) -> str:
        """Keep a checked file; return the token that names it."""
        try:
            return pending_uploads.store(self.kind, filename, content, scope)
        except pending_uploads.PendingUploadError as exc:
            raise self.error(str(exc)) from exc

    def load(self, token: str, scope: dict) -> tuple[str, bytes]:
        """Return (filename, content) of a file kept for this scope."""
        try:
            return pending_uploads.load(self.kind, token, scope)
        except pending_uploads.PendingUploadError as exc:
            raise self.error(str(exc)) from exc

    def open(self, token: str, scope: dict) -> tuple[str, BinaryIO]:
        """Return (filename, the open file) kept for this scope, to read it a block at a time."""
        try:
            return pending_uploads.open_kept(self.kind, token, scope)
        except pending_uploads.PendingUploadError as exc:
            raise self.error(str(exc)) from exc

    def discard(self, token: str) -> None:
        """Delete a kept file now (abandoned, or replaced by another upload)."""
        pending_uploads.discard(token)

    def preview(
        self,
        filename: str,
        content: bytes,
        scope: dict,
        check: Callable[[str, bytes], Checked],
        ok: Callable[[Checked], bool],
    ) -> tuple[Checked, str | None]:
        """Check a file, writing nothing, and keep it when it may be confirmed.

        Return what check() found and the token of the kept file (None when refused).
        """
        checked = check(filename, content)
        return checked, self.keep(filename, content, scope) if ok(checked) else None

    def confirm(
        self,
        token: str,
        scope: dict,
        apply: Callable[[str, bytes], Checked],
        used: Callable[[Checked], bool] = lambda _applied: True,
    ) -> tuple[str, Checked]:
        """Apply a kept file (apply checks it again); it is discarded once the work commits.

        A file that `used` says was not applied (the user must choose again) stays kept.
        """
        filename, content = self.load(token, scope)
        applied = apply(filename, content)
        if used(applied):
            after_commit(lambda: pending_uploads.discard(token))
        return filename, applied
