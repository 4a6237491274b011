"""Issuing, rendering, revoking, reissuing and verifying certificates (services never commit)."""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import segno
from babel.dates import format_date
from babel.numbers import format_decimal
from flask import current_app, render_template
from flask_babel import format_date as format_ui_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import TemplateNotFound
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from app.accounts.models import User
from app.audit import services as audit
from app.certificates.archive import entry_name
from app.certificates.models import Certificate
from app.certificates.signals import certificate_issued, certificate_revoked
from app.certificates.wording import (
    certificate_language,
    guess_name_language,
    is_rtl,
    name_direction,
    wording,
)
from app.curriculum.text import localised_module, localised_title, reader_language
from app.enrolment.models import Enrolment, Participant
from app.extensions import db
from app.notifications.services import queue_email
from app.scheduling.models import SessionStatus, TrainingSession
from app.scheduling.services import last_day_reached
from app.shared import clock, pdf
from app.shared.countries import country_name
from app.shared.i18n import supported_language
from app.shared.models import utcnow
from app.shared.unit_of_work import DomainError
from app.shared.urls import external_url

# Above this many certificates, PDFs are rendered in worker processes on every core.
PARALLEL_THRESHOLD = 8
DEFAULT_TEMPLATE = "pdf/certificate.html"
# The layout that prints English beside the session's language (pdf/certificate_bilingual.html).
BILINGUAL_LAYOUT = "bilingual"
_LAYOUT_RE = re.compile(r"^[a-z][a-z0-9_]{0,30}$")


class CertificateError(DomainError):
    """A certificate rule was broken; the message says which and is shown to the user."""


@dataclass
class PreparedCertificate:
    """Everything about a certificate decided in the main process, before the PDF exists."""

    enrolment: Enrolment
    number: str
    code: str
    content: dict
    issued_on: date
    expires_on: date | None
    html: str


# --- looking certificates up -------------------------------------------------------------


def current_certificate(enrolment: Enrolment) -> Certificate | None:
    """Return the enrolment's certificate that is not revoked, if any."""
    return db.session.scalars(
        select(Certificate)
        .where(Certificate.enrolment_id == enrolment.id, Certificate.revoked_at.is_(None))
        .order_by(Certificate.id.desc())
    ).first()


def session_certificates(training_session: TrainingSession) -> list[Certificate]:
    """Return every certificate of a session, revoked ones included, newest last."""
    return list(
        db.session.scalars(
            select(Certificate)
            .join(Enrolment, Certificate.enrolment_id == Enrolment.id)
            .where(Enrolment.training_session_id == training_session.id)
            .order_by(Certificate.number)
        )
    )


def find_certificate(value: str) -> Certificate | None:
    """Find a certificate by its number (any case) or its exact verification code."""
    value = (value or "").strip()
    if not value or len(value) > 80:
        return None
    return db.session.scalars(
        select(Certificate).where(
            (Certificate.verification_code == value) | (Certificate.number == value.upper())
        )
    ).first()


def certificate_numbered(number: str) -> Certificate | None:
    """Return the certificate with this number (any case), never looked up by its code."""
    return db.session.scalar(
        select(Certificate).where(Certificate.number == (number or "").strip().upper())
    )


def session_coded(code: str) -> TrainingSession | None:
    """Return the session with this code, as a command names it."""
    return db.session.scalar(select(TrainingSession).where(TrainingSession.code == code.strip()))


def find_by_pdf(data: bytes) -> Certificate | None:
    """Return the certificate whose stored PDF has exactly these bytes (by SHA-256)."""
    digest = hashlib.sha256(data).hexdigest()
    return db.session.scalars(select(Certificate).where(Certificate.sha256 == digest)).first()


class CertificateStatus(StrEnum):
    """Where a certificate stands for whoever checks it."""

    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


STATUS_LABELS = {
    CertificateStatus.VALID: _l("Valid"),
    CertificateStatus.EXPIRED: _l("Expired"),
    CertificateStatus.REVOKED: _l("Revoked"),
}


def certificate_status(certificate: Certificate, today: date | None = None) -> CertificateStatus:
    """Return whether it is revoked, expired (by the day where it was held) or valid."""
    if certificate.revoked_at is not None:
        return CertificateStatus.REVOKED
    if certificate.expires_on:
        today = today or clock.today_in(certificate.enrolment.training_session.timezone)
        if today > certificate.expires_on:
            return CertificateStatus.EXPIRED
    return CertificateStatus.VALID


def public_facts(certificate: Certificate, with_name: bool = True) -> dict:
    """Return what anyone may learn about a certificate: status, name, course, dates, place.

    Numbers run in sequence and can be guessed, so a lookup by number (with_name=False) leaves
    the holder's name out, and no typed name is ever confirmed (guessing numbers with a name
    would tell which training a named investigator attended). The verification code (printed
    under the QR code) cannot be guessed and shows the name.
    """
    content = certificate.content or {}
    replacement = next((c.number for c in certificate.replaced_by if c.revoked_at is None), None)
    facts = {
        "number": certificate.number,
        "status": certificate_status(certificate),
        "name": content.get("name", "") if with_name else None,
        "latin_name": (content.get("latin_name") or None) if with_name else None,
        "course": content.get("course_title", ""),
        "start_date": content.get("start_date"),
        "end_date": content.get("end_date"),
        "city": content.get("city", ""),
        "country": country_name(content.get("host_country")) if content.get("host_country") else "",
        "issuer": content.get("issuer") or current_app.config["ISSUER_NAME"],
        "issued_on": certificate.issued_at.date().isoformat() if certificate.issued_at else None,
        "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None,
        "revoked_on": certificate.revoked_at.date().isoformat() if certificate.revoked_at else None,
        "replaced_by": replacement,
    }
    return facts


def looked_up_by_code(certificate: Certificate, value: str) -> bool:
    """Return whether value is the certificate's unguessable code (not its number)."""
    return secrets.compare_digest(certificate.verification_code, (value or "").strip())


# --- issuing -----------------------------------------------------------------------------


def check_issuable(enrolment: Enrolment) -> None:
    """Refuse, with the reason, unless the enrolment and its session are completed."""
    training_session = enrolment.training_session
    _check_session_completed(training_session)
    if enrolment.completed is not True:
        raise CertificateError(
            _(
                "%(name)s has not completed session %(code)s, so no certificate can be issued.",
                name=enrolment.participant.full_name,
                code=training_session.code,
            )
        )


def _check_session_completed(training_session: TrainingSession) -> None:
    """Refuse sessions not completed, or completed (by an older rule) before their last day."""
    if not session_completed(training_session):
        raise CertificateError(
            _(
                "Session %(code)s is not completed yet (status: %(status)s); certificates are "
                "issued once it is.",
                code=training_session.code,
                status=str(training_session.status).replace("_", " "),
            )
        )
    if not last_day_reached(training_session):
        raise CertificateError(
            _(
                "Session %(code)s ends on %(day)s; certificates are issued from that day.",
                code=training_session.code,
                day=format_ui_date(training_session.end_date, "d MMMM y"),
            )
        )


def issue(enrolment: Enrolment, actor: User | None) -> Certificate:
    """Issue the certificate of a completed enrolment; return the existing one if issued."""
    existing = current_certificate(enrolment)
    if existing is not None:
        return existing
    check_issuable(enrolment)
    prepared = prepare(enrolment, next_sequence(enrolment.training_session))
    certificate = store(prepared, pdf.html_to_pdf(prepared.html), actor)
    notify_issued(certificate)
    return certificate


def session_completed(training_session: TrainingSession) -> bool:
    """Return whether the session is completed, so that its certificates may be issued."""
    return training_session.status == SessionStatus.COMPLETED


def completed_enrolments(training_session: TrainingSession) -> list[Enrolment]:
    """Return the session's enrolments that completed the course, by participant name."""
    return list(
        db.session.scalars(
            select(Enrolment)
            .join(Participant, Enrolment.participant_id == Participant.id)
            .where(
                Enrolment.training_session_id == training_session.id,
                Enrolment.completed.is_(True),
            )
            .order_by(Participant.full_name)
        )
    )


def due_enrolments(training_session: TrainingSession) -> list[Enrolment]:
    """Return the completed enrolments of a completed session without a valid certificate.

    Ordered by enrolment, so that numbers follow the order people enrolled in.
    """
    if not session_completed(training_session):
        return []
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(
            Enrolment.training_session_id == training_session.id,
            Enrolment.completed.is_(True),
        )
        .order_by(Enrolment.id)
    ).all()
    issued = {
        enrolment_id
        for (enrolment_id,) in db.session.execute(
            select(Certificate.enrolment_id)
            .join(Enrolment, Certificate.enrolment_id == Enrolment.id)
            .where(
                Enrolment.training_session_id == training_session.id,
                Certificate.revoked_at.is_(None),
            )
        )
    }
    return [enrolment for enrolment in enrolments if enrolment.id not in issued]


def issue_for_session(
    training_session: TrainingSession, actor: User | None, notify: bool = True
) -> list[Certificate]:
    """Issue every certificate due in a completed session; return the newly issued ones.

    Content, numbers and HTML are prepared here; large batches render their PDFs in worker
    processes (HTML in, bytes out, no database), then every row is written in this process.
    """
    _check_session_completed(training_session)
    enrolments = due_enrolments(training_session)
    sequence = next_sequence(training_session)
    prepared = [
        prepare(enrolment, sequence + offset) for offset, enrolment in enumerate(enrolments)
    ]
    htmls = [item.html for item in prepared]
    if len(htmls) > PARALLEL_THRESHOLD:
        pdfs = pdf.html_to_pdf_many(htmls)
    else:
        pdfs = [pdf.html_to_pdf(html) for html in htmls]
    certificates = [store(item, data, actor) for item, data in zip(prepared, pdfs, strict=True)]
    if notify:
        for certificate in certificates:
            notify_issued(certificate)
    return certificates


def prepare(
    enrolment: Enrolment, sequence: int, issued_on: date | None = None
) -> PreparedCertificate:
    """Freeze the content, choose number and code, and render the certificate's HTML."""
    training_session = enrolment.training_session
    issued_on = issued_on or clock.today_in(training_session.timezone)
    validity = training_session.course.validity_months
    # Valid for the course's months from the end of the training, however late it was issued.
    expires_on = add_months(training_session.end_date, validity) if validity else None
    content = freeze_content(enrolment)
    number = f"{training_session.code}-{sequence:04d}"
    code = new_verification_code()
    html = certificate_html(content, number, code, issued_on, expires_on)
    return PreparedCertificate(enrolment, number, code, content, issued_on, expires_on, html)


def add_months(start: date, months: int) -> date:
    """Return the same day `months` later, or the month's last day when it is shorter."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise ValueError(start)  # unreachable: every month has 28 days


def store(prepared: PreparedCertificate, data: bytes, actor: User | None) -> Certificate:
    """Add the certificate row for a prepared certificate and its rendered PDF."""
    certificate = Certificate(
        enrolment=prepared.enrolment,
        number=prepared.number,
        verification_code=prepared.code,
        content=prepared.content,
        pdf=data,
        sha256=hashlib.sha256(data).hexdigest(),
        issued_by=actor,
        expires_on=prepared.expires_on,
    )
    db.session.add(certificate)
    audit.record("certificate.issued", actor=actor, target=certificate)
    db.session.flush()
    certificate_issued.send(certificate)
    return certificate


def next_sequence(training_session: TrainingSession) -> int:
    """Return the next free sequence number within the session (revoked ones count)."""
    numbers = db.session.scalars(
        select(Certificate.number)
        .join(Enrolment, Certificate.enrolment_id == Enrolment.id)
        .where(Enrolment.training_session_id == training_session.id)
    ).all()
    highest = 0
    for number in numbers:
        tail = number.rsplit("-", 1)[-1]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return highest + 1


def new_verification_code() -> str:
    """Return an unguessable URL-safe code of 20 characters not used by any certificate."""
    while True:
        code = secrets.token_urlsafe(15)
        taken = db.session.scalar(select(func.count()).where(Certificate.verification_code == code))
        if not taken and code[0] != "-":
            return code


def freeze_content(enrolment: Enrolment) -> dict:
    """Copy everything printed on the certificate, so later edits elsewhere never change it."""
    training_session = enrolment.training_session
    course = training_session.course
    version = training_session.course_version
    participant = enrolment.participant
    settings = course.certificate or {}
    language = certificate_language(training_session.language)
    modules = training_session.taught_modules()
    total = sum((Decimal(hours) for _module, hours in modules), Decimal(0))
    partners = [{"name": p.name, "logo": _static_image(p.logo)} for p in training_session.partners]
    logos = [_static_image(path) for path in settings.get("logos", [])]
    logos += [partner["logo"] for partner in partners]
    signatories = [
        {
            "name": str(s.get("name", "")),
            "title": str(s.get("title", "")),
            "signature": _static_image(s.get("signature")),
        }
        for s in settings.get("signatories", [])
        if s.get("name")
    ] or [
        {"name": trainer.name, "title": wording(language)["trainer"], "signature": None}
        for trainer in training_session.trainers[:3]
    ]
    layout = str(settings.get("layout", ""))
    return {
        "name": participant.full_name,
        "latin_name": participant.latin_name or None,
        # In the session's language (the course file's where it has no translation); the
        # bilingual layout prints the English title beside it.
        "course_title": localised_title(course, language),
        "course_titles": {code: localised_title(course, code) for code in {language, "en"}},
        "course_code": course.code,
        "version_label": version.label,
        "modules": [
            {"title": localised_module(m, language).title, "hours": _hours_text(hours)}
            for m, hours in modules
        ],
        "total_hours": _hours_text(total),
        "session_code": training_session.code,
        "start_date": training_session.start_date.isoformat(),
        "end_date": training_session.end_date.isoformat(),
        "city": training_session.city,
        "host_country": training_session.host_country,
        "host_country_name": _localised_country(training_session.host_country, language),
        "language": training_session.language or "en",
        "trainers": [trainer.name for trainer in training_session.trainers],
        "partners": partners,
        "logos": list(dict.fromkeys(logo for logo in logos if logo)),
        "issuer": current_app.config["ISSUER_NAME"],
        "signatories": signatories,
        "layout": layout if _LAYOUT_RE.match(layout) else "",
    }


def _hours_text(value: Decimal | float | int) -> str:
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def _localised_country(code: str, language: str) -> str:
    from babel import Locale

    try:
        return Locale.parse(language).territories.get(code.upper()) or country_name(code)
    except (ValueError, LookupError):
        return country_name(code)


def _static_image(path: str | None) -> str | None:
    """Return 'img/<path>' for an image that exists under static/img, else None."""
    if not path:
        return None
    relative = str(path).strip().lstrip("/")
    if not relative.startswith("img/"):
        relative = f"img/{relative}"
    root = Path(current_app.static_folder).resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root / "img") or not target.is_file():
        return None
    return target.relative_to(root).as_posix()


# --- rendering ---------------------------------------------------------------------------


def certificate_html(
    content: dict, number: str, code: str, issued_on: date, expires_on: date | None
) -> str:
    """Render a certificate's HTML from its frozen content (never from live records)."""
    language = certificate_language(content.get("language"))
    verify_url = external_url("certificates.verify_code", code=code)
    qr = segno.make(verify_url, error="m")
    layout = content.get("layout")
    main = _side(content, language, issued_on, expires_on)
    sides = _sides(content, language, issued_on, expires_on, main, layout)
    first = sides[0]  # the page reads in the direction of its first half
    context = {
        "c": content,
        "words": first["words"],
        "lang": first["lang"],
        "rtl": first["dir"] == "rtl",
        "number": number,
        "verify_url": verify_url,
        "qr_svg": qr.svg_inline(scale=1, border=0, dark="#1c2b4a", omitsize=True),
        "held": main["held"],
        "hours": main["hours"],
        "sides": sides,
        "modules": [
            {"title": m["title"], "hours": _number(m["hours"], language)}
            for m in content["modules"]
        ],
        "total": _number(content["total_hours"], language),
        "issued_on": main["issued_on"],
        "expires_on": main["expires_on"],
        "name_lang": guess_name_language(content["name"]) or language,
        "name_dir": name_direction(content["name"]),
        "show_latin": bool(content.get("latin_name"))
        and content.get("latin_name") != content["name"],
    }
    return render_template(_template_for(layout), **context)


def _side(content: dict, language: str, issued_on: date, expires_on: date | None) -> dict:
    """Return the texts of a certificate in one language: wording, place, dates and hours."""
    words = wording(language)
    start = date.fromisoformat(content["start_date"])
    end = date.fromisoformat(content["end_date"])
    country = (
        content["host_country_name"]
        if language == certificate_language(content.get("language"))
        else _localised_country(content["host_country"], language)
    )
    place = words.get("comma", ", ").join((content["city"], country))
    return {
        "lang": language,
        "dir": "rtl" if is_rtl(language) else "ltr",
        "words": words,
        "course_title": content.get("course_titles", {}).get(language) or content["course_title"],
        "held": words["held"].format(place=place, dates=_date_range(start, end, language)),
        "hours": words["hours"].format(hours=_number(content["total_hours"], language)),
        "issued_on": _long_date(issued_on, language),
        "expires_on": _long_date(expires_on, language) if expires_on else None,
    }


def _sides(
    content: dict,
    language: str,
    issued_on: date,
    expires_on: date | None,
    main: dict,
    layout: str | None,
) -> list[dict]:
    """Return the languages a certificate is printed in, in the order they read on the page.

    The bilingual layout adds English to a session delivered in another language, English on
    the left of a right-to-left language and on the right of a left-to-right one.
    """
    if layout != BILINGUAL_LAYOUT or language == "en":
        return [main]
    english = _side(content, "en", issued_on, expires_on)
    return [english, main] if main["dir"] == "rtl" else [main, english]


def _long_date(value: date, language: str) -> str:
    # British order (7 March 2026) reads naturally to an international English audience.
    return format_date(value, "long", locale="en_GB" if language == "en" else language)


def _date_range(start: date, end: date, language: str) -> str:
    """Format '3–7 March 2026' in the certificate language, or two full dates."""
    if start == end:
        return _long_date(end, language)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{_long_date(end, language)}"
    return f"{_long_date(start, language)} – {_long_date(end, language)}"


def _template_for(layout: str | None) -> str:
    if layout and _LAYOUT_RE.match(layout):
        name = f"pdf/certificate_{layout}.html"
        try:
            current_app.jinja_env.get_template(name)
            return name
        except TemplateNotFound:
            pass
    return DEFAULT_TEMPLATE


def _number(value: str, language: str) -> str:
    return format_decimal(Decimal(value), format="#,##0.##", locale=language)


# --- email -------------------------------------------------------------------------------


def holder_email(certificate: Certificate) -> str | None:
    """Return the address of the certificate's holder, if known."""
    participant = certificate.enrolment.participant
    if participant.email:
        return participant.email
    return participant.user.email if participant.user else None


def holder_language(certificate: Certificate) -> str | None:
    """Return the language the holder reads: the account's choice, else the record's."""
    person = certificate.enrolment.participant
    return supported_language(person.user and person.user.language, person.preferred_language)


def notify_issued(certificate: Certificate) -> None:
    """Email the holder once the certificate is committed (never for a rolled-back one)."""
    address = holder_email(certificate)
    if not address:
        return
    # Plain values: after the commit the row is expired and the session may not query.
    content = dict(certificate.content)
    number = certificate.number
    subject = _l("Your certificate is ready: %(course)s", course=content["course_title"])
    context = {
        "certificate": {"number": number},
        "content": content,
        "download_url": external_url("certificates.download", number=number),
        "login_url": external_url("accounts.login"),
    }
    queue_email(
        address, subject, "certificate_issued", language=holder_language(certificate), **context
    )


def remind_expiring(days: int, today: date | None = None) -> list[Certificate]:
    """Email holders whose valid certificates expire within `days`, once per certificate."""
    # Reminders go out for every session at once: the day is the one of UTC.
    today = today or clock.today_in("UTC")
    candidates = db.session.scalars(
        select(Certificate)
        .where(
            Certificate.revoked_at.is_(None),
            Certificate.expires_on.is_not(None),
            Certificate.expires_on >= today,
            Certificate.expires_on <= today + timedelta(days=days),
            Certificate.expiry_reminder_sent_at.is_(None),
        )
        .order_by(Certificate.expires_on, Certificate.id)
    ).all()
    reminded = []
    for certificate in candidates:
        address = holder_email(certificate)
        if not address:
            continue
        queue_email(
            address,
            _l("Your certificate expires on %(date)s", date=certificate.expires_on.isoformat()),
            "certificate_expiring",
            language=holder_language(certificate),
            certificate={
                "number": certificate.number,
                "expires_on": certificate.expires_on,
            },
            content=dict(certificate.content),
            days_left=(certificate.expires_on - today).days,
            download_url=external_url("certificates.download", number=certificate.number),
        )
        certificate.expiry_reminder_sent_at = utcnow()
        reminded.append(certificate)
    db.session.flush()
    return reminded


# --- revoking and reissuing --------------------------------------------------------------


def revoke(certificate: Certificate, actor: User | None, reason: str) -> Certificate:
    """Revoke a certificate; a reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(
            _("Give a reason for revoking certificate %(n)s.", n=certificate.number)
        )
    if certificate.revoked_at is not None:
        raise CertificateError(_("Certificate %(n)s is already revoked.", n=certificate.number))
    certificate.revoked_at = utcnow()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason
    audit.record(
        "certificate.revoked", actor=actor, target=certificate, personal={"reason": reason}
    )
    certificate_revoked.send(certificate)
    return certificate


def reissue(certificate: Certificate, actor: User | None, reason: str = "") -> Certificate:
    """Issue a new certificate from current data, revoke the old one and link the two."""
    if certificate.revoked_at is not None:
        raise CertificateError(
            _(
                "Certificate %(n)s is revoked; reissue its current replacement.",
                n=certificate.number,
            )
        )
    enrolment = certificate.enrolment
    check_issuable(enrolment)
    prepared = prepare(enrolment, next_sequence(enrolment.training_session))
    return replace(certificate, prepared, pdf.html_to_pdf(prepared.html), actor, reason)


def replace(
    certificate: Certificate,
    prepared: PreparedCertificate,
    data: bytes,
    actor: User | None,
    reason: str = "",
) -> Certificate:
    """Revoke certificate and store its prepared, rendered replacement, linked to it."""
    note = f"Replaced by {prepared.number}"
    reason = (reason or "").strip()
    revoke(certificate, actor, f"{note}: {reason}" if reason else note)
    # Revoked first: an enrolment has one live certificate at a time, even within a flush.
    db.session.flush()
    replacement = store(prepared, data, actor)
    replacement.replaces = certificate
    audit.record(
        "certificate.reissued",
        actor=actor,
        target=replacement,
        details={"replaces": certificate.id},
    )
    notify_issued(replacement)
    return replacement


# --- bundles and transcripts -------------------------------------------------------------


def session_zip(training_session: TrainingSession) -> bytes:
    """Return a ZIP of the session's valid certificates, one "NUMBER Holder.pdf" each."""
    certificates = db.session.scalars(
        select(Certificate)
        .options(undefer(Certificate.pdf))
        .join(Enrolment, Certificate.enrolment_id == Enrolment.id)
        .where(
            Enrolment.training_session_id == training_session.id,
            Certificate.revoked_at.is_(None),
        )
        .order_by(Certificate.number)
    ).all()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            name = entry_name(certificate.number, certificate.content.get("name", ""))
            archive.writestr(name, certificate.pdf)
    return buffer.getvalue()


def transcript_rows(participant: Participant) -> tuple[list[dict], Decimal]:
    """Return every completed training of a participant (oldest first) and the total hours."""
    enrolments = db.session.scalars(
        select(Enrolment)
        .join(TrainingSession, Enrolment.training_session_id == TrainingSession.id)
        .where(
            Enrolment.participant_id == participant.id,
            Enrolment.completed.is_(True),
            TrainingSession.status == SessionStatus.COMPLETED,  # as the reach report counts
        )
        .order_by(TrainingSession.start_date, TrainingSession.id)
    ).all()
    rows = []
    total = Decimal(0)
    for enrolment in enrolments:
        training_session = enrolment.training_session
        certificate = current_certificate(enrolment)
        # The one definition the reach report counts, not a certificate's copy frozen before
        # an agenda was corrected.
        hours = training_session.taught_hours()
        total += hours
        rows.append(
            {
                "course": localised_title(training_session.course, reader_language()),
                "code": training_session.code,
                "start": training_session.start_date,
                "end": training_session.end_date,
                "city": training_session.city,
                "country": training_session.host_country,
                "hours": hours,
                "certificate": certificate.number if certificate else None,
            }
        )
    return rows, total


def transcript_pdf(participant: Participant) -> bytes:
    """Render a participant's transcript of completed trainings as a PDF."""
    rows, total = transcript_rows(participant)
    return pdf.render_pdf(
        "pdf/transcript.html",
        participant=participant,
        rows=rows,
        total=total,
        issuer=current_app.config["ISSUER_NAME"],
        generated_on=clock.today_in("UTC"),
        verify_url=external_url("certificates.verify"),
    )
