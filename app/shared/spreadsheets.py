"""Uploaded CSV and XLSX files as numbered rows of text, within limits; safe cells for writing.

Every upload (participant lists, paper roll calls, past trainings) reads its file here, so one
set of checks stops spreadsheet bombs: an XLSX archive's entry count and declared unpacked size
are checked before it is opened, its declared dimension before its rows are read, then rows and
columns are counted while they stream (openpyxl's read-only mode), and CSV lines are capped in
length. A CSV's encoding is UTF-8 (with or without a byte-order mark), UTF-16, or one of the
Windows code pages Excel writes, detected with charset-normalizer unless the user chose one.
A file is read from bytes or from an open binary file, a line or a row at a time, so
a large file kept on disk is never held whole in memory. app/shared/imports.py builds the
header and the row errors on top of this; each domain keeps only its row validation.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import Any, BinaryIO

from charset_normalizer import from_bytes
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.shared.unit_of_work import DomainError

EXTENSIONS = (".csv", ".xlsx")
# End of central directory record: signature, 4 disk fields, entry count, directory size.
_END_RECORD = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
# A central directory entry is 46 bytes plus its name and extras; 1 KB each is generous.
_DIRECTORY_BYTES_PER_ENTRY = 1024
# Text that a spreadsheet program would run as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The encodings a CSV is read in, by Python codec name; the legacy ones in order of preference
# when detection finds them equally likely (Excel's default in most of the world comes first).
ENCODINGS = {
    "utf-8": _l("UTF-8"),
    "utf-16": _l("UTF-16"),
    "cp1252": _l("Windows-1252 (Western European)"),
    "cp1256": _l("Windows-1256 (Arabic)"),
    "cp1251": _l("Windows-1251 (Cyrillic)"),
}
_LEGACY = ("cp1252", "cp1256", "cp1251")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# How much of a legacy file detection looks at: its start and the text around its first
# non-UTF-8 byte, so a large file is not analysed whole.
_SAMPLE_BYTES = 256 * 1024


class SpreadsheetError(DomainError, ValueError):
    """The file as a whole cannot be read within its limits; the message says why."""


@dataclass(frozen=True)
class Limits:
    """How much a file may hold; the messages name each limit."""

    max_rows: int  # rows below the header
    max_columns: int = 64
    max_line_chars: int = 16_384  # one CSV line
    max_unpacked_bytes: int = 64 * 1000 * 1000  # an XLSX archive's members, unpacked
    max_archive_entries: int = 256


def _number(value: int) -> str:
    return format_decimal(value)


def _megabytes(size: int) -> str:
    return _("%(n)s MB", n=format_decimal(round(size / 1_000_000)))


def check_filename(filename: str) -> str:
    """Return the file's lower-case extension, refusing anything but CSV and XLSX."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in EXTENSIONS:
        raise SpreadsheetError(_("Upload a .csv or .xlsx file."))
    return suffix


Source = bytes | BinaryIO


def _stream(source: Source) -> BinaryIO:
    return io.BytesIO(source) if isinstance(source, bytes | bytearray) else source


def read_rows(
    filename: str, source: Source, limits: Limits, encoding: str | None = None
) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells as text) for every non-blank row, the header being row 1.

    A CSV is read in `encoding` (a key of ENCODINGS), or in the one detect_encoding() finds.
    Blank rows are skipped but counted, so numbers match what a spreadsheet program shows;
    trailing empty cells are dropped, so rows may be shorter than the header. SpreadsheetError
    is raised here for a file that is unreadable or too big as a whole, and while iterating
    when a row passes a limit.
    """
    if check_filename(filename) == ".xlsx":
        return _xlsx_rows(_stream(source), limits)
    if encoding not in ENCODINGS:
        encoding = detect_encoding(source)
    return _csv_rows(_stream(source), limits, encoding)


def cell_text(value: Any) -> str:
    """Turn a spreadsheet value into the text a CSV would hold (dates in ISO form)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _checked(number: int, cells: list[str], limits: Limits) -> list[str]:
    """Return the row without its trailing empty cells (none when blank), refusing excess."""
    if number > limits.max_rows + 1:
        raise SpreadsheetError(
            _(
                "The file has more than %(max)s rows below its header; split it into smaller "
                "files.",
                max=_number(limits.max_rows),
            )
        )
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    if width > limits.max_columns:
        raise SpreadsheetError(
            _(
                "Row %(row)d has more than %(max)s columns.",
                row=number,
                max=_number(limits.max_columns),
            )
        )
    return cells[:width]


# ---------------------------------------------------------------------------- CSV


def detect_encoding(source: Source) -> str:
    """Return the codec (a key of ENCODINGS) a CSV is most likely written in.

    A byte-order mark decides; else a file that decodes as UTF-8 is UTF-8 (checked a block at
    a time); else charset-normalizer chooses among the Windows code pages, preferring the
    first of _LEGACY when it finds them equally likely.
    """
    stream = _stream(source)
    start = stream.read(_SAMPLE_BYTES)
    for bom, encoding in _BOMS:
        if start.startswith(bom):
            stream.seek(0)
            return encoding
    stream.seek(0)
    failed_at = _first_non_utf8(stream)
    stream.seek(0)
    if failed_at is None:
        return "utf-8"
    stream.seek(max(0, failed_at - 1024))
    sample = start + b"\n" + stream.read(_SAMPLE_BYTES)
    stream.seek(0)
    results = from_bytes(sample, cp_isolation=list(_LEGACY))
    if not results:
        raise SpreadsheetError(
            _(
                "The file's text encoding is not recognised; save it as “CSV UTF-8” and upload "
                "it again."
            )
        )
    best = min((result.chaos, -result.coherence) for result in results)
    found = {result.encoding for result in results if (result.chaos, -result.coherence) == best}
    return next(encoding for encoding in _LEGACY if encoding in found)


def _first_non_utf8(stream: BinaryIO) -> int | None:
    """Return the offset of the first byte that is not UTF-8, or None for a UTF-8 file."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    try:
        while block := stream.read(1 << 20):
            decoder.decode(block)
            offset += len(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return offset + max(0, exc.start)
    return None


def _csv_rows(stream: BinaryIO, limits: Limits, encoding: str) -> Iterator[tuple[int, list[str]]]:
    # utf-8-sig reads UTF-8 with or without its byte-order mark; utf-16 reads the mark's order.
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    text = io.TextIOWrapper(stream, encoding=codec, newline="")
    try:
        first_line = text.readline(limits.max_line_chars + 1)
    except UnicodeDecodeError as exc:
        raise _wrong_encoding(encoding) from exc
    # Spreadsheets in many European locales save CSV with semicolons, some with tabs.
    delimiter = max(",;\t", key=first_line.count)
    return _csv_records(_csv_lines(first_line, text, limits, encoding), delimiter, limits)


def _wrong_encoding(encoding: str) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "The file cannot be read as %(encoding)s; choose another encoding, or save it as "
            "“CSV UTF-8” and upload it again.",
            encoding=ENCODINGS.get(encoding, encoding),
        )
    )


def _csv_lines(
    first_line: str, text: io.TextIOWrapper, limits: Limits, encoding: str
) -> Iterator[str]:
    number = 1
    line = first_line
    while line:
        if len(line) > limits.max_line_chars:
            raise SpreadsheetError(
                _(
                    "Line %(line)d is longer than %(max)s characters.",
                    line=number,
                    max=_number(limits.max_line_chars),
                )
            )
        yield line
        number += 1
        # A bounded read: a file without line breaks is not read whole to find one.
        try:
            line = text.readline(limits.max_line_chars + 1)
        except UnicodeDecodeError as exc:
            raise _wrong_encoding(encoding) from exc


def _csv_records(
    lines: Iterator[str], delimiter: str, limits: Limits
) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(lines, delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):  # noqa: B007
            if kept := _checked(number, cells, limits):
                yield number, kept
    except csv.Error as exc:
        raise SpreadsheetError(
            _("Row %(row)d cannot be read: %(error)s", row=number + 1, error=exc)
        ) from exc


# ---------------------------------------------------------------------------- XLSX


def _unreadable() -> SpreadsheetError:
    return SpreadsheetError(_("The file is not a readable XLSX workbook."))


def check_archive(source: Source, limits: Limits) -> None:
    """Refuse a ZIP archive with too many entries or too much content, before unpacking it."""
    stream = _stream(source)
    # Read the entry count from the end record before zipfile builds one object per entry.
    size = stream.seek(0, os.SEEK_END)
    stream.seek(max(0, size - 65_557))
    tail = stream.read()
    end = tail.rfind(_END_SIGNATURE)
    if end < 0 or end + _END_RECORD.size > len(tail):
        raise _unreadable()
    _signature, *_disks, entries, directory_size, _offset, _comment = _END_RECORD.unpack_from(
        tail, end
    )
    if (
        entries > limits.max_archive_entries
        or directory_size > limits.max_archive_entries * _DIRECTORY_BYTES_PER_ENTRY
    ):
        raise SpreadsheetError(
            _(
                "The workbook holds more than %(max)s parts; save it again as a plain .xlsx "
                "workbook.",
                max=_number(limits.max_archive_entries),
            )
        )
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _unreadable() from exc
    stream.seek(0)
    # zipfile stops reading each member at its declared size, so the sum bounds the work.
    if declared > limits.max_unpacked_bytes:
        raise SpreadsheetError(
            _(
                "Unpacked, the workbook declares %(size)s, more than the %(max)s allowed; "
                "remove unused sheets or split it into smaller files.",
                size=_megabytes(declared),
                max=_megabytes(limits.max_unpacked_bytes),
            )
        )


def _xlsx_rows(stream: BinaryIO, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    check_archive(stream, limits)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise _unreadable() from exc
    declared_rows = sheet.max_row
    if declared_rows and declared_rows > limits.max_rows + 1:
        workbook.close()
        raise SpreadsheetError(
            _(
                "The file declares more than %(max)s rows below its header; split it into "
                "smaller files.",
                max=_number(limits.max_rows),
            )
        )
    # Without this, openpyxl pads every row to the declared width and the sheet to its
    # declared height; rows then come as wide as their last cell, and stop one past the cap.
    sheet.reset_dimensions()
    return _xlsx_records(workbook, sheet, limits)


def _xlsx_records(workbook, sheet, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    try:
        rows = sheet.iter_rows(max_row=limits.max_rows + 2, values_only=True)
        for number, values in enumerate(rows, start=1):
            if kept := _checked(number, [cell_text(value) for value in values], limits):
                yield number, kept
    finally:
        workbook.close()


# ---------------------------------------------------------------------------- writing


def safe_cell(value: Any) -> Any:
    """Return a value to write into a CSV or XLSX cell that no spreadsheet runs as a formula.

    Text starting with = + - @, a tab or a carriage return gets a leading single quote, as
    OWASP recommends; numbers, dates and empty cells are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: list[Any] | tuple[Any, ...]) -> list[Any]:
    """Return a row with every cell made safe by safe_cell()."""
    return [safe_cell(value) for value in values]
