"""Outgoing email: SMTP when MAIL_SERVER is set, otherwise .eml files in the outbox folder."""

import secrets
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import NamedTuple

from flask import current_app

from app.shared.models import utcnow
from app.shared.private_files import private_folder, write_private


class Attachment(NamedTuple):
    """A text file sent with an email: its name, its text/ subtype ("calendar") and its text."""

    filename: str
    subtype: str
    text: str


def send_email(
    to: str, subject: str, body: str, attachments: tuple[Attachment, ...] = ()
) -> EmailMessage:
    """Send a rendered plain-text email, with any text attachments; return the message sent."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="training.invalid")
    message.set_content(body)
    for attachment in attachments:
        message.add_attachment(
            attachment.text,
            subtype=attachment.subtype,
            filename=attachment.filename,
            charset="utf-8",
        )
    deliver(message)
    return message


def deliver(message: EmailMessage) -> None:
    """Hand the message to the configured SMTP server, or write it to the outbox."""
    config = current_app.config
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return
    # Messages carry invitation links and names: keep them private to the server's user.
    outbox = private_folder(Path(config["OUTBOX_DIR"]))
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    # The random tail keeps two messages of the same microsecond apart.
    write_private(outbox / f"{stamp}-{secrets.token_hex(4)}.eml", message.as_bytes())
