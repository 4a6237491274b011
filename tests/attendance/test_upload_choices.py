"""A paper roll's preview lets the trainer change the encoding and leave bad rows out by choice."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from app.attendance.models import AttendanceRecord
from app.extensions import db
from tests.attendance.helpers import make_session


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


@pytest.fixture
def scene(client, login, trainer):
    login(trainer)
    ts, enrolments = make_session(3, days=2, trainer=trainer, code="UPL-2026-KE-02")
    db.session.commit()
    return ts, enrolments


def _upload(client, ts, data: bytes):
    return client.post(
        f"/training-sessions/{ts.id}/attendance/upload",
        data={"file": (io.BytesIO(data), "roll.csv")},
        content_type="multipart/form-data",
    )


def _token(page: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


def _records() -> int:
    return db.session.scalar(select(func.count()).select_from(AttendanceRecord))


def test_bad_rows_are_left_out_only_when_the_trainer_says_so(client, scene):
    ts, (a, b, _c) = scene
    day = ts.start_date.isoformat()
    text = (
        "participant_id,day,status\n"
        f"{a.participant_id},{day},present\n"
        f"{b.participant_id},{day},asleep\n"
    )
    page = _upload(client, ts, text.encode()).get_data(as_text=True)
    assert "not a status" in page
    assert "Leave out the 1 row with problems and record the others" in page
    confirm = f"/training-sessions/{ts.id}/attendance/upload/confirm"
    token = _token(page)
    again = client.post(confirm, data={"token": token}).get_data(as_text=True)
    assert "nothing was recorded" in again.lower() and _records() == 0
    done = client.post(confirm, data={"token": token, "skip_bad_rows": "y"}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "1 new, 0 changed, 0 unchanged" in text and "1 row with problems was left out" in text
    assert _records() == 1


def test_the_trainer_reads_the_file_again_in_another_encoding(client, scene):
    ts, (arabic, _b, _c) = scene
    assert arabic.participant.full_name == "أمينة يوسف"
    line = f"name,day,status\n{arabic.participant.full_name},{ts.start_date.isoformat()},present\n"
    page = _upload(client, ts, line.encode("cp1256")).get_data(as_text=True)
    token = _token(page)
    assert 'name="encoding"' in page and "Read again" in page
    confirm = f"/training-sessions/{ts.id}/attendance/upload/confirm"
    wrong = client.post(confirm, data={"token": token, "encoding": "cp1251", "reread": "1"})
    wrong = wrong.get_data(as_text=True)
    assert "Read as Windows-1251 (Cyrillic)." in wrong
    assert "No enrolled participant has this name." in wrong
    assert _records() == 0
    right = client.post(confirm, data={"token": token, "encoding": "cp1256", "reread": "1"})
    right = right.get_data(as_text=True)
    assert "Read as Windows-1256 (Arabic)." in right and "أمينة يوسف" in right
    assert _records() == 0  # reading again records nothing
    done = client.post(confirm, data={"token": token, "encoding": "cp1256"}, follow_redirects=True)
    assert "1 new, 0 changed, 0 unchanged" in done.get_data(as_text=True)
    assert _records() == 1
