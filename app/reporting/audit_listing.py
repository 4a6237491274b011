"""How the audit trail's page writes its rows: one pass, labels and formats fetched once a page.

The trail grows by thousands of entries a month; its page shows fifty at a time, written by
app/shared/tables.card_rows rather than a template loop (see app/scheduling/listing.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import Row

from app.shared.formatting import short_datetimes
from app.shared.tables import Column, escaped_html

COLUMNS = (
    Column("at", _l("When (UTC)")),
    Column("actor", _l("Who")),
    Column("action", _l("Action")),
    Column("target", _l("Record")),
    Column("session", _l("Session")),
    Column("person", _l("Person")),
    Column("address", _l("Address")),
    Column("details", _l("Details")),
)


def entry_cells(entries: Sequence[Row]) -> list[tuple]:
    """Return each entry's cells in the order of COLUMNS; sessions and people still here link.

    The entries are audit_log.page_of's lines: LINE_COLUMNS, session_code and person_name.
    """
    when = short_datetimes()
    nobody = _("nobody signed in")
    return [
        (
            when(entry.at),
            entry.actor_label or nobody,
            escaped_html(f"<code>{escape(entry.action)}</code>"),
            f"{entry.target_type} {entry.target_id}" if entry.target_type else "",
            _session(entry.training_session_id, entry.session_code),
            _person(entry.participant_id, entry.person_name),
            entry.ip_address or "",
            _details(entry.details),
        )
        for entry in entries
    ]


def _session(session_id: int | None, code: str | None) -> Markup | str:
    if not session_id:
        return ""
    if code is None:
        return str(session_id)  # a session deleted since: its id is all the trail keeps
    href = url_for("scheduling.training_session_detail", training_session_id=session_id)
    return escaped_html(f'<a href="{escape(href)}"><code class="nowrap">{escape(code)}</code></a>')


def _person(participant_id: int | None, name: str | None) -> Markup | str:
    if not participant_id:
        return ""
    if name is None:
        return str(participant_id)
    href = url_for("enrolment.participant_detail", participant_id=participant_id)
    return escaped_html(f'<a href="{escape(href)}" dir="auto">{escape(name)}</a>')


def _details(details: Mapping | None) -> Markup:
    return Markup("; ").join(
        escaped_html(f'<span class="small">{escape(key)}: {escape(value)}</span>')
        for key, value in sorted((details or {}).items(), key=lambda item: str(item[0]).casefold())
        if value is not None
    )
