import csv
import io
import pathlib
import re
import stat

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.attendance import uploads
from app.attendance.models import AttendanceRecord
from app.extensions import db
from tests.attendance.helpers import make_session
from tests.shared import bombs


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


def _plan(ts, text: str, filename: str = "roll.csv"):
    return uploads.plan_upload(ts, filename, text.encode("utf-8"))


def _upload(client, ts, content: str | bytes, filename: str = "roll.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        f"/training-sessions/{ts.id}/attendance/upload",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def _token(page: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


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
    plan = _plan(ts, text)
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
    confirm_url = f"/training-sessions/{ts.id}/attendance/upload/confirm"
    confirm = client.post(confirm_url, data={"token": _token(html)}, follow_redirects=True)
    assert "5 new, 0 changed, 0 unchanged" in confirm.get_data(as_text=True)
    assert _records() == 5
    assert "excused" in set(db.session.scalars(select(AttendanceRecord.status)))
    # The kept file is gone once used; the same file uploaded again changes nothing.
    spent = client.post(confirm_url, data={"token": _token(html)}, follow_redirects=True)
    assert "expired" in spent.get_data(as_text=True)
    html = _upload(client, ts, content).get_data(as_text=True)
    again = client.post(confirm_url, data={"token": _token(html)}, follow_redirects=True)
    assert "0 new, 0 changed, 5 unchanged" in again.get_data(as_text=True)
    assert _records() == 5


def test_conflicting_rows_for_the_same_day_are_an_error(scene):
    ts, (a, *_rest) = scene
    d1 = ts.start_date.isoformat()
    pid = a.participant_id
    text = f"participant_id,day,status\n{pid},{d1},present\n{pid},{d1},absent\n"
    plan = _plan(ts, text)
    assert [(e.row, e.column) for e in plan.errors] == [(3, "status")]


def test_missing_columns_are_reported_on_the_header(scene):
    ts, _ = scene
    plan = _plan(ts, "who,when\nx,y\n")
    assert {(e.row, e.column) for e in plan.errors} == {
        (1, "who"),
        (1, "when"),
        (1, "day"),
        (1, "status"),
        (1, "participant_id"),
    }


def test_confirm_needs_a_file_kept_for_this_user_and_session(client, scene, login):
    ts, (a, *_rest) = scene
    text = f"participant_id,day,status\n{a.participant_id},{ts.start_date.isoformat()},present\n"
    token = _token(_upload(client, ts, text).get_data(as_text=True))
    other, _people = make_session(1, days=1, trainer=ts.trainers[0], code="UPL-2026-KE-02")
    db.session.commit()
    for session_id, value in ((ts.id, "x" * 32), (other.id, token)):
        response = client.post(
            f"/training-sessions/{session_id}/attendance/upload/confirm",
            data={"token": value},
            follow_redirects=True,
        )
        assert "expired" in response.get_data(as_text=True)
    assert _records() == 0


def test_names_match_across_spacing_and_case(scene):
    ts, _ = scene
    d1 = ts.start_date.isoformat()
    plan = _plan(ts, f"name,day,status\n  grace   WANJIRU ,{d1},late\n")
    assert not plan.errors and plan.to_create == 1


def test_an_xlsx_roll_call_is_read_like_a_csv(client, scene):
    ts, (a, *_rest) = scene
    workbook = Workbook()
    workbook.active.append(["participant_id", "day", "status"])
    workbook.active.append([a.participant_id, ts.start_date, "P"])
    out = io.BytesIO()
    workbook.save(out)
    html = _upload(client, ts, out.getvalue(), "roll.xlsx").get_data(as_text=True)
    assert "Record this attendance" in html
    kept = list(pathlib.Path(client.application.config["UPLOAD_DIR"]).iterdir())
    assert kept and {stat.S_IMODE(path.stat().st_mode) for path in kept} == {0o600}


@pytest.mark.parametrize(
    ("bomb", "message"),
    [
        (
            lambda: bombs.declares_a_million_rows(["participant_id", "day", "status"]),
            "declares more than",
        ),
        (
            lambda: bombs.sparse_million_rows(["participant_id", "day", "status"]),
            "more than 20,000 rows",
        ),
        (
            lambda: bombs.wide_row(["participant_id", "day", "status"]),
            "Row 2 has more than 64 columns",
        ),
        (bombs.unpacks_to, "declares 625 MB, more than the 64 MB allowed"),
        (bombs.many_entries, "more than 256 parts"),
    ],
)
def test_spreadsheet_bombs_are_refused_with_the_limit_named(client, scene, bomb, message):
    ts, _people = scene
    response = _upload(client, ts, bomb(), "roll.xlsx")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "Record this attendance" not in html
    assert _records() == 0


def test_a_csv_of_too_many_rows_is_refused(client, scene):
    ts, (a, *_rest) = scene
    line = f"{a.participant_id},{ts.start_date.isoformat()},present\n"
    response = _upload(client, ts, "participant_id,day,status\n" + line * 20_001)
    assert response.status_code == 422
    assert "more than 20,000 rows" in response.get_data(as_text=True)


def test_the_template_quotes_names_that_a_spreadsheet_would_run(client, scene):
    ts, (a, *_rest) = scene
    a.participant.full_name = "=cmd|' /C calc'!A0"
    db.session.commit()
    body = client.get(f"/training-sessions/{ts.id}/attendance/template.csv").data
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    names = {row[3] for row in rows[1:]}
    assert "'=cmd|' /C calc'!A0" in names and "=cmd|' /C calc'!A0" not in names
    # A file filled in from the template still matches the person by number.
    filled = "\n".join(",".join(row[:5] + ["present"]) for row in rows[1:2])
    assert not _plan(ts, "session_code,participant_id,email,name,day,status\n" + filled).errors


def test_a_paper_roll_in_windows_1252_with_french_headings_is_read_and_says_how(client, scene):
    ts, (a, _b, _c) = scene
    text = f"Participant;Jour;Présence\n{a.participant_id};{ts.start_date.isoformat()};présent\n"
    plan = uploads.plan_upload(ts, "roll.csv", text.encode("cp1252"))
    assert plan.encoding == "cp1252"
    assert [(c.heading, c.field) for c in plan.columns_read] == [
        ("Participant", "participant_id"),
        ("Jour", "day"),
        ("Présence", "status"),
    ]
    text = text.replace("présent", "P")
    page = _upload(client, ts, text.encode("cp1252")).get_data(as_text=True)
    assert "Read as Windows-1252 (Western European)." in page
    arrow = '<span class="dir-arrow" aria-hidden="true">→</span>'
    assert f"“Présence”</span> {arrow} <code>status</code>" in page
