"""Spreadsheet bombs: small XLSX files that declare or unpack to far more than they hold."""

from __future__ import annotations

import io
import zipfile
from functools import cache

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _with_sheet(write_sheet) -> bytes:
    """Return a real workbook whose first sheet's XML is written by write_sheet(file)."""
    template = io.BytesIO()
    Workbook().save(template)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            if info.filename == SHEET:
                with target.open(SHEET, "w") as sheet:
                    write_sheet(sheet)
            else:
                target.writestr(info, source.read(info))
    return out.getvalue()


def _row(number: int, values: list[str]) -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)
    return f'<row r="{number}">{cells}</row>'.encode()


def declares_a_million_rows(header: list[str]) -> bytes:
    """Return a few-KB workbook whose dimension claims 1,048,576 rows by 16,384 columns."""

    def write(sheet) -> None:
        sheet.write(_OPEN + b'<dimension ref="A1:XFD1048576"/><sheetData>')
        sheet.write(_row(1, header) + b"</sheetData></worksheet>")

    return _with_sheet(write)


def sparse_million_rows(header: list[str]) -> bytes:
    """Return a few-KB workbook, without a dimension, whose last row is row 1,048,576."""

    def write(sheet) -> None:
        sheet.write(_OPEN + b"<sheetData>" + _row(1, header))
        sheet.write(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
        sheet.write(b"</sheetData></worksheet>")

    return _with_sheet(write)


def wide_row(header: list[str]) -> bytes:
    """Return a workbook whose second row has a value in column 16,384 (XFD)."""

    def write(sheet) -> None:
        sheet.write(_OPEN + b"<sheetData>" + _row(1, header))
        sheet.write(b'<row r="2"><c r="XFD2"><v>1</v></c></row></sheetData></worksheet>')

    return _with_sheet(write)


@cache
def unpacks_to(megabytes: int = 625) -> bytes:
    """Return a workbook of a few MB whose sheet XML unpacks to this many megabytes."""
    chunk = b"<row><c><v>1</v></c></row>" * 40_000

    def write(sheet) -> None:
        sheet.write(_OPEN + b"<sheetData>")
        for _ in range(-(-megabytes * 1_000_000 // len(chunk))):
            sheet.write(chunk)
        sheet.write(b"</sheetData></worksheet>")

    return _with_sheet(write)


def many_entries(count: int = 5000) -> bytes:
    """Return a ZIP archive of many empty members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number in range(count):
            archive.writestr(f"x/{number}.xml", b"")
    return out.getvalue()
