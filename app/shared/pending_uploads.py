"""Uploaded files kept between their preview and the user's confirmation.

One store for every upload pipeline: files are private to the server's user (0600 in a 0700
folder), named by a random token, tied to what they were uploaded for (a kind and a scope such
as the user and the session), capped in total size, and removed once used or after
PENDING_UPLOAD_MAX_AGE_HOURS, by the next upload or by purge_expired_pending_uploads().
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePath
from typing import BinaryIO

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _

from app.shared.models import utcnow
from app.shared.private_files import private_folder, write_private
from app.shared.unit_of_work import DomainError

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,80}$")
_SUFFIXES = (".bin", ".json")


class PendingUploadError(DomainError):
    """The upload cannot be kept, or is no longer waiting; the message says what to do."""


def _folder() -> Path:
    configured = current_app.config.get("UPLOAD_DIR")
    return private_folder(Path(configured or Path(current_app.instance_path) / "uploads"))


def _max_age() -> timedelta:
    return timedelta(hours=current_app.config["PENDING_UPLOAD_MAX_AGE_HOURS"])


def _expired() -> PendingUploadError:
    return PendingUploadError(_("The upload has expired; upload the file again."))


def purge_expired_pending_uploads(now: datetime) -> int:
    """Delete the files kept longer than the maximum age; return how many uploads went."""
    cutoff = (now - _max_age()).timestamp()
    removed: set[str] = set()
    for path in _folder().iterdir():
        if path.suffix in _SUFFIXES and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed.add(path.stem)
    return len(removed)


def _waiting_for(folder, user_id) -> int:
    """Return the bytes of the files kept for one person."""
    total = 0
    for meta_path in folder.glob("*.json"):
        try:
            owner = json.loads(meta_path.read_text()).get("scope", {}).get("user_id")
            if owner == user_id:
                total += meta_path.with_suffix(".bin").stat().st_size
        except (OSError, ValueError):
            continue  # removed meanwhile, or half-written: not counted
    return total


def store(kind: str, filename: str, content: bytes, scope: dict) -> str:
    """Keep an uploaded file until it is confirmed; return the random token that names it."""
    purge_expired_pending_uploads(utcnow())
    folder = _folder()
    waiting = sum(path.stat().st_size for path in folder.iterdir() if path.suffix in _SUFFIXES)
    limit = current_app.config["PENDING_UPLOADS_MAX_BYTES"]
    if waiting + len(content) > limit:
        raise PendingUploadError(
            _(
                "Uploads waiting for confirmation would take more than the %(max)s MB allowed; "
                "confirm or cancel those waiting, or try again later.",
                max=format_decimal(round(limit / 1_000_000)),
            )
        )
    # One person's waiting files are capped too, so nobody can fill the store for everyone.
    own_limit = current_app.config["PENDING_UPLOADS_MAX_BYTES_PER_USER"]
    if _waiting_for(folder, scope.get("user_id")) + len(content) > own_limit:
        raise PendingUploadError(
            _(
                "Your uploads waiting for confirmation would take more than the %(max)s MB "
                "allowed to one person; confirm or cancel them first.",
                max=format_decimal(round(own_limit / 1_000_000)),
            )
        )
    token = secrets.token_urlsafe(24)
    meta = {"kind": kind, "filename": PurePath(filename or "upload").name, "scope": scope}
    write_private(folder / f"{token}.bin", content)
    write_private(folder / f"{token}.json", json.dumps(meta).encode())
    return token


def open_kept(kind: str, token: str, scope: dict) -> tuple[str, BinaryIO]:
    """Return (filename, the open file) of a kept upload of this kind made for this scope.

    A large file is then read a block at a time instead of whole; the caller closes it.
    """
    if not TOKEN.match(token or ""):
        raise _expired()
    folder = _folder()
    try:
        meta_path = folder / f"{token}.json"
        age = utcnow() - datetime.fromtimestamp(meta_path.stat().st_mtime, UTC)
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError) as exc:
        raise _expired() from exc
    if meta.get("kind") != kind or meta.get("scope") != scope or age > _max_age():
        raise _expired()
    try:
        return meta["filename"], (folder / f"{token}.bin").open("rb")
    except OSError as exc:
        raise _expired() from exc


def load(kind: str, token: str, scope: dict) -> tuple[str, bytes]:
    """Return (filename, content) of a kept upload of this kind made for this scope."""
    filename, stream = open_kept(kind, token, scope)
    with stream:
        return filename, stream.read()


def discard(token: str) -> None:
    """Delete a kept upload once it has been used or abandoned."""
    if TOKEN.match(token or ""):
        folder = _folder()
        for suffix in _SUFFIXES:
            (folder / f"{token}{suffix}").unlink(missing_ok=True)
