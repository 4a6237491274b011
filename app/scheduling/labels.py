"""Translated labels for scheduling's codes: a session's status, and the button that moves to it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.scheduling.models import SessionStatus

STATUS_LABELS = {
    SessionStatus.DRAFT: _l("Draft"),
    SessionStatus.OPEN: _l("Open for enrolment"),
    SessionStatus.IN_PROGRESS: _l("In progress"),
    SessionStatus.COMPLETED: _l("Completed"),
    SessionStatus.CANCELLED: _l("Cancelled"),
}

# What the button that moves a session on says (cancelling has its own form, with a reason).
ACTION_LABELS = {
    SessionStatus.DRAFT: _l("Back to draft"),
    SessionStatus.OPEN: _l("Open for enrolment"),
    SessionStatus.IN_PROGRESS: _l("Start the session"),
    SessionStatus.COMPLETED: _l("Mark completed"),
}


def status_label(status: str | None) -> str:
    """Return the translated label of a session status (the code itself if unknown)."""
    return str(STATUS_LABELS.get(status, status or ""))


def action_label(status: str) -> str:
    """Return what the button that moves a session to this status says."""
    return str(ACTION_LABELS.get(status, status))
