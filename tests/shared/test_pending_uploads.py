import os
import stat
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from app.shared import pending_uploads
from app.shared.mail import deliver
from app.shared.models import utcnow
from app.shared.pending_uploads import PendingUploadError

SCOPE = {"user_id": 3, "training_session_id": 7}


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    return {"UPLOAD_DIR": str(tmp_path / "uploads"), "PENDING_UPLOADS_MAX_BYTES": 1_000_000}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _folder(app) -> Path:
    return Path(app.config["UPLOAD_DIR"])


def test_a_kept_upload_is_private_and_returned_only_for_its_kind_and_scope(app):
    token = pending_uploads.store("enrolment", "../list.csv", b"name,country\n", SCOPE)
    assert pending_uploads.load("enrolment", token, SCOPE) == ("list.csv", b"name,country\n")
    assert _mode(_folder(app)) == 0o700
    assert {_mode(path) for path in _folder(app).iterdir()} == {0o600}
    for kind, scope in (("history", SCOPE), ("enrolment", {**SCOPE, "user_id": 4})):
        with pytest.raises(PendingUploadError):
            pending_uploads.load(kind, token, scope)
    for bad in ("../../etc/passwd", "", "short"):
        with pytest.raises(PendingUploadError):
            pending_uploads.load("enrolment", bad, SCOPE)
    pending_uploads.discard(token)
    assert list(_folder(app).iterdir()) == []
    with pytest.raises(PendingUploadError, match="expired"):
        pending_uploads.load("enrolment", token, SCOPE)


def test_uploads_waiting_are_capped_in_total(app):
    pending_uploads.store("enrolment", "a.csv", b"x" * 600_000, SCOPE)
    with pytest.raises(PendingUploadError, match="1 MB"):
        pending_uploads.store("enrolment", "b.csv", b"x" * 600_000, SCOPE)


def test_one_person_cannot_fill_the_store_for_everyone(app):
    app.config["PENDING_UPLOADS_MAX_BYTES_PER_USER"] = 400_000
    pending_uploads.store("enrolment", "a.csv", b"x" * 300_000, {**SCOPE, "user_id": 1})
    with pytest.raises(PendingUploadError, match="allowed to one person"):
        pending_uploads.store("enrolment", "b.csv", b"x" * 300_000, {**SCOPE, "user_id": 1})
    pending_uploads.store("enrolment", "c.csv", b"x" * 300_000, {**SCOPE, "user_id": 2})


def _age(app, token: str, hours: int) -> None:
    when = (utcnow() - timedelta(hours=hours)).timestamp()
    for path in _folder(app).glob(f"{token}.*"):
        os.utime(path, (when, when))


def test_expired_uploads_are_purged_and_no_longer_load(app):
    old = pending_uploads.store("history", "old.csv", b"old", SCOPE)
    fresh = pending_uploads.store("history", "new.csv", b"new", SCOPE)
    _age(app, old, 25)
    with pytest.raises(PendingUploadError):
        pending_uploads.load("history", old, SCOPE)
    assert pending_uploads.purge_expired_pending_uploads(utcnow()) == 1
    assert sorted(path.stem for path in _folder(app).iterdir()) == [fresh, fresh]
    assert pending_uploads.purge_expired_pending_uploads(utcnow() + timedelta(hours=25)) == 1
    assert list(_folder(app).iterdir()) == []


def test_an_expired_upload_frees_its_room_for_the_next(app):
    token = pending_uploads.store("enrolment", "a.csv", b"x" * 600_000, SCOPE)
    _age(app, token, 48)
    assert pending_uploads.store("enrolment", "b.csv", b"x" * 600_000, SCOPE)


def test_the_development_outbox_is_private(app):
    for _ in range(2):  # two in the same microsecond must not overwrite each other
        message = EmailMessage()
        message["To"] = "amina@example.org"
        message.set_content("Your link: http://x")
        deliver(message)
    outbox = Path(app.config["OUTBOX_DIR"])
    assert _mode(outbox) == 0o700
    messages = list(outbox.iterdir())
    assert len(messages) == 2 and {_mode(path) for path in messages} == {0o600}
