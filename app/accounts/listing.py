"""How the accounts page writes its rows: one pass, labels and formats fetched once a page.

A programme gives its officers accounts by the thousand; the page shows fifty at a time
through app/shared/tables.card_rows (see app/scheduling/listing.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.accounts.labels import ROLE_LABELS
from app.accounts.models import User
from app.shared.formatting import short_datetimes
from app.shared.tables import Column, badge, escaped_html

COLUMNS = (
    Column("name", _l("Name")),
    Column("email", _l("Email")),
    Column("roles", _l("Roles")),
    Column("state", _l("State")),
    Column("last_login", _l("Last login")),
)


def user_cells(users: Sequence[User]) -> list[tuple]:
    """Return each account's cells in the order of COLUMNS; the name opens the account."""
    when = short_datetimes()
    roles = {code.value: badge("role", str(label)) for code, label in ROLE_LABELS.items()}
    active, deactivated = badge("valid", _("Active")), badge("revoked", _("Deactivated"))
    return [
        (
            _link(user),
            user.email,
            Markup(" ").join(roles.get(code) or badge("role", code) for code in sorted(user.roles)),
            active if user.active else deactivated,
            when(user.last_login_at) or "–",
        )
        for user in users
    ]


def _link(user: User) -> Markup:
    href = url_for("accounts.user_edit", user_id=user.id)
    return escaped_html(f'<a href="{escape(href)}" dir="auto">{escape(user.name)}</a>')
