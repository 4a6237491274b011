import io

import pytest
from sqlalchemy import func, select

from app.attendance import uploads
from app.attendance.models import AttendanceRecord
from app.extensions import db
from tests.attendance.helpers import make_session


def _upload(client, ts, text: str):
    return client.post(
        f"/training-sessions/{ts.id}/attendance/upload",
        data={"file": (io.BytesIO(text.encode("utf-8")), "roll.csv")},
        content_type="multipart/form-data",
    )


def _records(ts_id=None) -> int:
    return db.session.scalar(select(func.count()).select_from(AttendanceRecord))


@pytest.fixture
def scene(client, login, trainer):
    login(trainer)
    ts, enrolments = make_session(3, days=2, trainer=trainer, code="UPL-2026-KE-01")
    db.session.commit()
    return ts, enrolments


def test_errors_name_row_column_and_reason_and_nothing_is_written(client, scene):
    ts, (a, b, c) = scene
    d1 = ts.start_date.isoformat()
    text = (
        "session_code,participant_id,email,name,day,status\n"
        f"UPL-2026-KE-01,{a.participant_id},,,{d1},present\n"
        f"UPL-2026-KE-01,999999,,,{d1},present\n"
        f"UPL-2026-KE-01,,{b.participant.email},,2001-01-01,present\n"
        f"UPL-2026-KE-01,,,Grace Wanjiru,{d1},sleeping\n"
        f"OTHER-CODE,{c.participant_id},,,{d1},late\n"
        f"UPL-2026-KE-01,,nobody@example.org,,{d1},late\n"
        f"UPL-2026-KE-01,{a.participant_id},,,03/01/2026,late\n"
    )
    response = _upload(client, ts, text)
    assert response.status_code == 422
    plan = uploads.plan_upload(ts, text)
    assert [(e.row, e.column) for e in plan.errors] == [
        (3, "participant_id"),
        (4, "day"),
        (5, "status"),
        (6, "session_code"),
        (7, "email"),
        (8, "day"),
    ]
    html = response.get_data(as_text=True)
    assert "outside the session" in html and "not a status" in html
    assert "No enrolled participant has this number" in html
    assert _records() == 0


def test_preview_confirm_and_reupload_changes_nothing(client, scene):
    ts, (a, b, c) = scene
    text = uploads.template_csv(ts)
    lines = text.lstrip("\ufeff").strip().splitlines()
    # Fill in the template: everyone present, except the last line left blank.
    filled = [lines[0]] + [line + "present" for line in lines[1:-1]] + [lines[-1]]
    filled[2] = filled[2].removesuffix("present") + "E"
    content = "\n".join(filled) + "\n"
    preview = _upload(client, ts, "\ufeff" + content)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Record this attendance" in html
    assert _records() == 0
    confirm = client.post(
        f"/training-sessions/{ts.id}/attendance/upload/confirm",
        data={"content": content},
        follow_redirects=True,
    )
    assert "5 new, 0 changed, 0 unchanged" in confirm.get_data(as_text=True)
    assert _records() == 5
    assert "excused" in set(db.session.scalars(select(AttendanceRecord.status)))
    again = client.post(
        f"/training-sessions/{ts.id}/attendance/upload/confirm",
        data={"content": content},
        follow_redirects=True,
    )
    assert "0 new, 0 changed, 5 unchanged" in again.get_data(as_text=True)
    assert _records() == 5


def test_conflicting_rows_for_the_same_day_are_an_error(scene):
    ts, (a, *_rest) = scene
    d1 = ts.start_date.isoformat()
    pid = a.participant_id
    text = f"participant_id,day,status\n{pid},{d1},present\n{pid},{d1},absent\n"
    plan = uploads.plan_upload(ts, text)
    assert [(e.row, e.column) for e in plan.errors] == [(3, "status")]


def test_missing_columns_are_reported_on_the_header(scene):
    ts, _ = scene
    plan = uploads.plan_upload(ts, "who,when\nx,y\n")
    assert {(e.row, e.column) for e in plan.errors} == {
        (1, "who"),
        (1, "when"),
        (1, "day"),
        (1, "status"),
        (1, "participant_id"),
    }


def test_confirm_with_a_tampered_file_writes_nothing(client, scene):
    ts, (a, *_rest) = scene
    response = client.post(
        f"/training-sessions/{ts.id}/attendance/upload/confirm",
        data={"content": f"participant_id,day,status\n{a.participant_id},2001-01-01,present\n"},
        follow_redirects=True,
    )
    assert "nothing was recorded" in response.get_data(as_text=True)
    assert _records() == 0


def test_names_match_across_spacing_and_case(scene):
    ts, _ = scene
    d1 = ts.start_date.isoformat()
    plan = uploads.plan_upload(ts, f"name,day,status\n  grace   WANJIRU ,{d1},late\n")
    assert not plan.errors and plan.to_create == 1
