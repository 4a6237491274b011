"""How the email log's page writes its rows: one pass, labels and formats fetched once a page.

Every enrolment, reminder and certificate sends an email, so the log grows by the thousand;
its page shows fifty at a time through app/shared/tables.card_rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import Row

from app.notifications.models import EmailState
from app.shared.formatting import short_datetimes
from app.shared.tables import Column, badge, escaped_html

STATE_LABELS = {
    EmailState.QUEUED: _l("Queued"),
    EmailState.SENT: _l("Sent"),
    EmailState.FAILED: _l("Failed"),
}

COLUMNS = (
    Column("queued", _l("Queued (UTC)")),
    Column("to", _l("To")),
    Column("subject", _l("Subject")),
    Column("template", _l("Template")),
    Column("state", _l("State")),
    Column("tries", _l("Tries")),
    Column("last_try", _l("Last try (UTC)")),
    Column("reason", _l("Reason"), "small"),
)


def email_cells(emails: Sequence[Row]) -> list[tuple]:
    """Return each email's cells in the order of COLUMNS (rows of services.LINE_COLUMNS)."""
    when = short_datetimes()
    states = {state.value: str(label) for state, label in STATE_LABELS.items()}
    return [
        (
            when(email.queued_at),
            email.to_address,
            escaped_html(f'<span dir="auto">{escape(email.subject)}</span>'),
            escaped_html(f"<code>{escape(email.template)}</code>"),
            badge(email.state, states.get(email.state) or email.state.capitalize()),
            email.attempts,
            when(email.last_attempt_at),
            email.error or "",
        )
        for email in emails
    ]
