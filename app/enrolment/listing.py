"""How the people directory writes its rows: one pass, labels fetched once a page.

The directory holds every officer trained, a hundred thousand after some years; its page
shows fifty at a time through app/shared/tables.card_rows (see app/scheduling/listing.py).
A cell with nothing to show is marked "blank", which a phone's card leaves out.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.enrolment.labels import AGENCY_LABELS
from app.enrolment.queries import DirectoryLine
from app.shared.countries import country_label
from app.shared.tables import Cell, Column, badge, escaped_html

COLUMNS = (
    Column("name", _l("Name")),
    Column("country", _l("Country of service")),
    Column("organisation", _l("Organisation")),
    Column("agency", _l("Agency type")),
    Column("email", _l("Email")),
    Column("account", _l("Account")),
)


def person_cells(people: Sequence[DirectoryLine], merging: bool) -> list[tuple]:
    """Return each person's cells in the order of COLUMNS; with `merging`, a Merge link."""
    agencies = {code: str(label) for code, label in AGENCY_LABELS.items()}
    countries = {code: country_label(code) for code in {person.country_code for person in people}}
    merge = _("Merge")
    accounts = {
        "active": badge("valid", _("Active")),
        "invited": badge("requested", _("Invited")),
        None: Cell(escaped_html('<span class="muted">–</span>'), "blank"),
    }
    return [
        (
            _name(person, merge if merging else None),
            countries[person.country_code],
            escaped_html(
                f'<span dir="auto">{escape(person.organisation)}</span>'
                + _second_line(person.job_title)
            ),
            agencies.get(person.agency_type, person.agency_type),
            person.email or Cell("–", "blank"),
            accounts[person.account],
        )
        for person in people
    ]


def _name(person: DirectoryLine, merge: str | None) -> Markup:
    href = url_for("enrolment.participant_detail", participant_id=person.id)
    html = (
        f'<a href="{escape(href)}" dir="auto" class="person-name">{escape(person.full_name)}</a>'
        + _second_line(person.latin_name)
    )
    if merge:
        merging = url_for("enrolment.participant_merge", participant_id=person.id)
        html += f'<br><a class="small" href="{escape(merging)}">{escape(merge)}</a>'
    return escaped_html(html)


def _second_line(text: str | None) -> str:
    return f'<br><span class="muted small">{escape(text)}</span>' if text else ""
