"""The day's printable sign-in sheet, rendered by a worker as a document (app.documents)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.attendance import services
from app.audit import services as audit
from app.documents.models import RenderedDocument
from app.documents.services import DocumentKind, register_kind, request_document
from app.extensions import db
from app.scheduling.models import TrainingSession
from app.shared.i18n import supported_language
from app.shared.pdf import render_pdf

KIND = "sign_in_sheet"


def _session_and_day(params: dict[str, Any]):
    training_session = db.session.get(TrainingSession, params["training_session_id"])
    day = services.parse_day(training_session, params["day"]) if training_session else None
    if day is None:
        raise services.AttendanceError(_("This session or day no longer exists."))
    return training_session, day


def request_sheet(training_session: TrainingSession, day: date, user: User) -> RenderedDocument:
    """Ask a worker for the day's sheet; it is queued once the caller commits."""
    params = {"training_session_id": training_session.id, "day": day.isoformat()}
    return request_document(KIND, params, user)


def sheet_language(training_session: TrainingSession) -> str:
    """Return the language the people who sign read: the session's, else the requester's."""
    return supported_language(training_session.language) or str(get_locale() or "en")


def render(params: dict[str, Any]) -> tuple[bytes, str]:
    """Render the day's sheet (A4, one signature line per person) and name its file."""
    training_session, day = _session_and_day(params)
    with force_locale(sheet_language(training_session)):
        pdf = render_pdf(
            "pdf/sign_in_sheet.html",
            training_session=training_session,
            day=day,
            day_number=training_session.days.index(day) + 1,
            rows=services.enrolled_rows(training_session),
        )
    return pdf, f"sign-in-{training_session.code}-{day.isoformat()}.pdf"


def record_download(params: dict[str, Any], user: User) -> None:
    """Record that the user fetched a sheet of the session's names."""
    training_session = db.session.get(TrainingSession, params["training_session_id"])
    audit.record("download.sign_in_sheet", actor=user, target=training_session)


register_kind(
    KIND,
    DocumentKind(
        title=_l("Sign-in sheet"),
        render=render,
        record_download=record_download,
        disposition="inline",  # opened in the browser, to print
        names_people=True,
    ),
)
