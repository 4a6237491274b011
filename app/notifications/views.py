"""The administrator's email log: what was sent, what waits and what failed, and why."""

from __future__ import annotations

from flask import render_template, request

from app.extensions import db
from app.notifications import bp, services
from app.notifications.models import EmailState
from app.shared.roles import RoleCode, role_required

PER_PAGE = 50
MAX_PAGE = 1_000_000  # keeps the offset inside the database's integer range


@bp.get("/admin/emails")
@role_required(RoleCode.ADMIN)
def email_list():
    """List the emails newest first, 50 a page, optionally only those in one state."""
    state = request.args.get("state", "")
    if state not in set(EmailState):
        state = ""
    number = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    page = db.paginate(
        services.log_entries(state or None), page=number, per_page=PER_PAGE, error_out=False
    )
    return render_template(
        "notifications/email_list.html", page=page, state=state, states=list(EmailState)
    )
