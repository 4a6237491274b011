"""A minimal iCalendar (RFC 5545) writer for session feeds: escaping, folding, all-day events.

Texts (summaries, descriptions, places) are in the current locale; a feed fetched by a
calendar app, without cookies, passes its subscriber's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _

from app.scheduling.models import SessionStatus, TrainingSession
from app.shared import clock
from app.shared.countries import country_name
from app.shared.i18n import language_name

UID_DOMAIN = "training-platform"
PRODID = "-//Training Platform//Sessions//EN"


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never splitting a character."""
    pieces: list[str] = []
    current, size = "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size = " ", 1  # continuation lines start with one space
        current += char
        size += width
    pieces.append(current)
    return "\r\n".join(pieces)


def _stamp(moment: datetime | None) -> str:
    moment = (moment or clock.now()).astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def event_lines(training_session: TrainingSession, url: str | None = None) -> list[str]:
    """Return the VEVENT lines of one session as an all-day event (DTEND is exclusive)."""
    location = ", ".join(
        part
        for part in (
            training_session.venue,
            training_session.city,
            country_name(training_session.host_country),
        )
        if part
    )
    status = {
        SessionStatus.CANCELLED: "CANCELLED",
        SessionStatus.DRAFT: "TENTATIVE",
    }.get(training_session.status, "CONFIRMED")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{training_session.code}@{UID_DOMAIN}",
        f"DTSTAMP:{_stamp(training_session.updated_at)}",
        f"DTSTART;VALUE=DATE:{training_session.start_date:%Y%m%d}",
        f"DTEND;VALUE=DATE:{training_session.end_date + timedelta(days=1):%Y%m%d}",
        "SUMMARY:" + escape_text(_summary(training_session)),
        "DESCRIPTION:" + escape_text(_description(training_session, url)),
        "LOCATION:" + escape_text(location),
        f"STATUS:{status}",
        "TRANSP:TRANSPARENT",
    ]
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def _summary(training_session: TrainingSession) -> str:
    """Say what the event is, and when it will not take place as planned."""
    names = {"title": training_session.course.title, "code": training_session.code}
    if training_session.status == SessionStatus.CANCELLED:
        return _("Cancelled: %(title)s (%(code)s)", **names)
    if training_session.status == SessionStatus.DRAFT:
        return _("Provisional: %(title)s (%(code)s)", **names)
    return _("%(title)s (%(code)s)", **names)


def _description(training_session: TrainingSession, url: str | None) -> str:
    """Describe the session in a few labelled lines a calendar app shows under the event."""
    lines = [
        _("Training session %(code)s", code=training_session.code),
        _("Language of delivery: %(language)s", language=language_name(training_session.language)),
    ]
    if training_session.venue:
        lines.append(_("Venue: %(venue)s", venue=training_session.venue))
    trainers = ", ".join(trainer.name for trainer in training_session.trainers)
    if trainers:
        lines.append(_("Trainers: %(names)s", names=trainers))
    if url:
        lines.append(_("Details and agenda: %(url)s", url=url))
    return "\n".join(lines)


def calendar(
    name: str,
    training_sessions: Iterable[TrainingSession],
    url_for_session=None,
    language: str | None = None,
) -> str:
    """Return a whole VCALENDAR with CRLF line endings and folded lines, texts in language.

    Without a language the current locale speaks; name may be a lazy string to follow it.
    """
    with force_locale(language) if language else nullcontext():
        return _calendar(str(name), training_sessions, url_for_session)


def _calendar(name: str, training_sessions: Iterable[TrainingSession], url_for_session) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape_text(name),
    ]
    for training_session in training_sessions:
        url = url_for_session(training_session) if url_for_session else None
        lines.extend(event_lines(training_session, url))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
