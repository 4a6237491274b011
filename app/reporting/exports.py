"""CSV and XLSX files of every reach table, naming the filters and the generation date."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font

from app.evaluation.services import FigureRow
from app.reporting.services import SESSION_FIGURES, Reach, TargetProgress
from app.shared.spreadsheets import safe_cell, safe_row


@dataclass(frozen=True)
class Table:
    """An exportable table: a title, (key, label) columns and how to get its rows."""

    name: str
    title: str
    columns: tuple[tuple[str, str], ...]
    rows: Callable[[Reach, TargetProgress], list[dict]]


FIGURES = (
    ("participants_trained", _l("Participants trained")),
    ("countries_reached", _l("Countries reached")),
    ("sessions_attended", _l("Sessions attended")),
    ("training_hours", _l("Training hours")),
)

TABLES = {
    table.name: table
    for table in (
        Table(
            "by_country",
            _l("Reach by country of service"),
            (
                ("country", _l("Country code")),
                ("country_name", _l("Country")),
                ("region", _l("Region")),
                ("sub_region", _l("Sub-region")),
                ("participants_trained", _l("Participants trained")),
                ("sessions_attended", _l("Sessions attended")),
                ("last_training_date", _l("Last training")),
                ("training_hours", _l("Training hours")),
            ),
            lambda reach, progress: reach.by_country,
        ),
        Table(
            "by_region",
            _l("Reach by UN M49 region and sub-region"),
            (("code", _l("M49 code")), ("name", _l("Region")), ("level", _l("Level")), *FIGURES),
            lambda reach, progress: reach.by_region,
        ),
        Table(
            "by_year",
            _l("Reach by year"),
            (
                ("year", _l("Year")),
                ("participants_trained", _l("Participants trained")),
                ("countries_reached", _l("Countries reached")),
                ("sessions_delivered", _l("Sessions delivered")),
                ("host_countries", _l("Host countries")),
                ("training_hours", _l("Training hours")),
            ),
            lambda reach, progress: reach.by_year,
        ),
        Table(
            "by_agency",
            _l("Reach by agency type"),
            (("agency_type", _l("Code")), ("label", _l("Agency type")), *FIGURES),
            lambda reach, progress: reach.by_agency,
        ),
        Table(
            "by_gender",
            _l("Reach by gender (where recorded)"),
            (("gender", _l("Code")), ("label", _l("Gender")), *FIGURES),
            lambda reach, progress: reach.by_gender,
        ),
        Table(
            "by_course",
            _l("Reach by course"),
            (("course", _l("Course code")), ("title", _l("Course")), *FIGURES),
            lambda reach, progress: reach.by_course,
        ),
        Table(
            "not_reached",
            _l("Target countries not yet reached"),
            (
                ("country", _l("Country code")),
                ("country_name", _l("Country")),
                ("region", _l("Region")),
                ("sub_region", _l("Sub-region")),
                ("upcoming_session", _l("Nearest upcoming session")),
                ("upcoming_start", _l("Starts")),
            ),
            lambda reach, progress: [
                {
                    **row,
                    "upcoming_session": (row["upcoming"] or {}).get("code", ""),
                    "upcoming_start": (row["upcoming"] or {}).get("start_date", ""),
                }
                for row in progress.not_reached_rows
            ],
        ),
    )
}
FORMATS = ("csv", "xlsx")


def _header_lines(reach: Reach, table: Table, generated: datetime) -> list[tuple[str, str]]:
    lines = [
        (str(_l("Report")), str(table.title)),
        (str(_l("Generated")), generated.strftime("%Y-%m-%d %H:%M UTC")),
    ]
    pairs = reach.filters.describe()
    if not pairs:
        lines.append((str(_l("Filters")), reach.filters.describe_text()))
    for label, value in pairs:
        lines.append((f"{_l('Filter')}: {label}", value))
    if reach.filters.participant_level:
        # The columns keep their names; say what they count under a filter on people.
        keys = {key for key, _label in table.columns}
        lines += [(key, reach.labels[key]) for key in SESSION_FIGURES if key in keys]
    return lines


def _labels(reach: Reach, table: Table) -> list[str]:
    """Return the column labels, naming the sessions a group attended as the dashboard does."""
    return [
        reach.labels[key] if key in SESSION_FIGURES else str(label) for key, label in table.columns
    ]


def _cell(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return safe_cell(value)


def to_csv(reach: Reach, progress: TargetProgress, table: Table) -> str:
    """Write the table as CSV: the header row (in the exporter's language), then the rows.

    Nothing comes above the header, so spreadsheet tools and scripts read the file as it is;
    the filters are in the file name. Codes in cells stay as they are (the API has stable keys).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_labels(reach, table))
    for row in table.rows(reach, progress):
        writer.writerow([_cell(row.get(key, "")) for key, _label in table.columns])
    return out.getvalue()


def _write_sheet(sheet, reach: Reach, progress: TargetProgress, table: Table) -> None:
    sheet.append(_labels(reach, table))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows(reach, progress):
        sheet.append([_cell(row.get(key, "")) for key, _label in table.columns])
    sheet.freeze_panes = "A2"
    for index, label in enumerate(_labels(reach, table)):
        sheet.column_dimensions[chr(ord("A") + index)].width = max(12, len(label) + 2)


EVALUATION_SHEET = "evaluation"


def _write_evaluation(sheet, rows: list[FigureRow]) -> None:
    """Write the evaluation figures as the dashboard rounds them; a hidden one says why."""
    sheet.append([str(_l("Code")), str(_l("Figure")), str(_l("Value")), str(_l("Based on"))])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row([row.code, row.label, row.shown, row.base]))
        if row.value is not None:
            value = sheet.cell(row=sheet.max_row, column=3, value=row.value)
            value.number_format = "0%" if row.percent else "0.0#"
    for column, width in zip("ABCD", (20, 44, 24, 36), strict=True):
        sheet.column_dimensions[column].width = width


def to_xlsx(
    reach: Reach,
    progress: TargetProgress,
    tables: list[Table],
    generated: datetime,
    evaluation: list[FigureRow] | None = None,
) -> bytes:
    """Write an 'About' sheet naming the report and filters, then one sheet per table."""
    workbook = Workbook()
    info = workbook.active
    info.title = str(_l("About"))[:31]
    info.append([str(_l("Programme reach")), ""])
    info["A1"].font = Font(bold=True)
    for label, value in _header_lines(reach, tables[0], generated)[1:]:
        info.append(safe_row([label, value]))
    names = [table.name for table in tables] + ([EVALUATION_SHEET] if evaluation else [])
    info.append([str(_l("Tables")), ", ".join(names)])
    info.column_dimensions["A"].width = 32
    info.column_dimensions["B"].width = 60
    for table in tables:
        _write_sheet(workbook.create_sheet(table.name), reach, progress, table)
    if evaluation:
        _write_evaluation(workbook.create_sheet(EVALUATION_SHEET), evaluation)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _filter_words(reach: Reach) -> list[str]:
    """Return the applied filters as file-name words ('from', '2019-01-01', 'course', 'ocse')."""
    words = []
    for key, value in reach.filters.query_args().items():
        words += [key, re.sub(r"[^A-Za-z0-9._-]+", "_", value)]
    return words


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(
    reach: Reach,
    progress: TargetProgress,
    table: str,
    fmt: str,
    generated: datetime,
    evaluation: Callable[[], list[FigureRow]] | None = None,
) -> tuple[bytes, str, str]:
    """Return the file's bytes, type and name for one table as CSV, or tables as XLSX ('all').

    The workbook of all tables adds the evaluation's figures (read only for it).
    """
    filename = "-".join(["reach", table, *_filter_words(reach), f"{generated:%Y%m%d}.{fmt}"])
    if fmt == "csv":
        body = to_csv(reach, progress, TABLES[table])
        return body.encode("utf-8-sig"), "text/csv", filename
    if table != "all":
        return to_xlsx(reach, progress, [TABLES[table]], generated), XLSX_MIMETYPE, filename
    figures = evaluation() if evaluation else None
    return (
        to_xlsx(reach, progress, list(TABLES.values()), generated, figures),
        XLSX_MIMETYPE,
        filename,
    )


def is_table(table: str, fmt: str) -> bool:
    """Return whether the table (or 'all', only as XLSX) can be downloaded in that format."""
    return table in TABLES or (table == "all" and fmt == "xlsx")
