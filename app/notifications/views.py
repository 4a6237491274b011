"""The administrator's email log: what was sent, what waits and what failed, and why."""

from __future__ import annotations

from flask import render_template, request

from app.notifications import bp, listing, services
from app.notifications.models import EmailState
from app.shared.roles import RoleCode, role_required


@bp.get("/admin/emails")
@role_required(RoleCode.ADMIN)
def email_list():
    """List the emails newest first, 50 a page, optionally only those in one state."""
    state = request.args.get("state", "")
    if state not in set(EmailState):
        state = ""
    page = services.log_page(state or None, request.args.get("page", 1, type=int))
    return render_template(
        "notifications/email_list.html",
        page=page,
        state=state,
        states=[(code.value, label) for code, label in listing.STATE_LABELS.items()],
        columns=listing.COLUMNS,
        cells=listing.email_cells(page.items),
    )
