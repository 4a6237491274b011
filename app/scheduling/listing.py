"""How the session list is written: its columns, its sort links and each page's cells.

The list is the page trainers and managers open most; it is written in Python rather than in
a template loop so that a page of fifty sessions costs little more than the page around it
(app/shared/tables.py). Formats that depend on the reader (dates, the comma of a place, the
status names, the countries' names) are looked up once a page, not once a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import escape

from app.scheduling.labels import status_label
from app.scheduling.models import SessionStatus
from app.scheduling.queries import SessionFilters, SessionRow
from app.shared.countries import country_label
from app.shared.formatting import date_range, place_line, place_separator
from app.shared.tables import Column, badge, escaped_html
from app.shared.urls import kept_query

LIST_ENDPOINT = "scheduling.training_session_list"

COLUMNS = (
    Column("code", _l("Code")),
    Column("course", _l("Course")),
    Column("dates", _l("Dates")),
    Column("place", _l("Place")),
    Column("status", _l("Status")),
    Column("capacity", _l("Capacity"), "num"),
    Column("trainers", _l("Trainers")),
)


class SortLink(NamedTuple):
    """A column's sort link: where it leads and, for the current sort, its direction."""

    column: Column
    href: str
    direction: str | None  # "ascending", "descending", or None when the list is not sorted by it

    @property
    def arrow(self) -> str:
        """Return the mark after the current sort's heading (▲ ascending, ▼ descending)."""
        return {"ascending": " ▲", "descending": " ▼"}.get(self.direction or "", "")


def sort_links(args: Mapping[str, str], filters: SessionFilters) -> list[SortLink]:
    """Return each column's sort link, keeping the filters and going back to the first page.

    Choosing the current column again reverses it; another column starts ascending.
    """
    kept = kept_filters(args)
    links = []
    for column in COLUMNS:
        current = filters.sort == column.key
        order = "desc" if current and not filters.descending else "asc"
        href = url_for(LIST_ENDPOINT, **{**kept, "sort": column.key, "order": order})
        direction = ("descending" if filters.descending else "ascending") if current else None
        links.append(SortLink(column, href, direction))
    return links


# The query keys the list reads: a sort or a pager link keeps these and nothing else.
FILTER_KEYS = ("course", "country", "status", "from", "to", "sort", "order")


def kept_filters(args: Mapping[str, str]) -> dict[str, str]:
    """Return the list's filters and sort as the query gave them, without its page."""
    return kept_query(args, FILTER_KEYS)


def session_cells(rows: list[SessionRow]) -> list[tuple]:
    """Return each row's cells in the order of COLUMNS: the code links to the session's page."""
    comma = place_separator()
    statuses = {status.value: str(status_label(status)) for status in SessionStatus}
    countries = {code: country_label(code) for code in {row.host_country for row in rows}}
    return [
        (
            escaped_html(
                f'<a href="{escape(_session_url(row.id))}"><code>{escape(row.code)}</code></a>'
            ),
            row.course,
            date_range(row.start_date, row.end_date),
            place_line(row.city, countries[row.host_country], separator=comma),
            badge(row.status, statuses.get(row.status, row.status)),
            row.capacity,
            ", ".join(row.trainers),
        )
        for row in rows
    ]


def _session_url(session_id: int) -> str:
    return url_for("scheduling.training_session_detail", training_session_id=session_id)
