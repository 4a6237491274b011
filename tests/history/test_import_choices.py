"""The history preview lets a manager change the encoding and leave bad rows out by choice."""

from __future__ import annotations

import io
import re

import pytest

from app.extensions import db
from tests.history.helpers import counts, course, csv_bytes, row

UPLOAD = "/history/import"
CONFIRM = "/history/import/confirm"


@pytest.fixture
def app_overrides(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


def _upload(client, data: bytes):
    return client.post(
        UPLOAD, data={"file": (io.BytesIO(data), "past.csv")}, content_type="multipart/form-data"
    )


def _token(page: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


def test_bad_rows_are_left_out_only_when_the_manager_says_so(client, as_role):
    course()
    as_role("manager")
    db.session.commit()
    data = csv_bytes([row(), row(name="B", email="b@x")])
    page = _upload(client, data).get_data(as_text=True)
    assert "is not an email address" in page
    assert "Leave out the 1 row with problems and import the others" in page
    # The warning offers the way out instead of saying nothing can be imported.
    assert "or leave out the rows with problems below" in page
    assert "nothing will be imported until the file is corrected" not in page
    token = _token(page)
    refused = client.post(CONFIRM, data={"token": token}).get_data(as_text=True)
    assert "is not an email address" in refused and counts() == (0, 0, 0)
    done = client.post(CONFIRM, data={"token": token, "skip_bad_rows": "y"}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "1 row with problems was left out." in text
    assert counts() == (1, 1, 1)


def test_the_manager_reads_the_file_again_in_another_encoding(client, as_role):
    course()
    as_role("manager")
    db.session.commit()
    text = csv_bytes([row(name="Ana Núñez", email="ana@police.example")]).decode()
    page = _upload(client, text.encode("cp1252")).get_data(as_text=True)
    token = _token(page)
    assert 'name="encoding"' in page and "Read again" in page
    wrong = client.post(CONFIRM, data={"token": token, "encoding": "cp1251", "reread": "1"})
    assert "Read as Windows-1251 (Cyrillic)." in wrong.get_data(as_text=True)
    assert counts() == (0, 0, 0)
    done = client.post(CONFIRM, data={"token": token, "encoding": "cp1252"}, follow_redirects=True)
    assert "Imported 1 rows from past.csv." in done.get_data(as_text=True)
    from app.enrolment.models import Participant

    assert db.session.scalar(db.select(Participant.full_name)) == "Ana Núñez"
