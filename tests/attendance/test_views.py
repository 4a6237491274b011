from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from app.attendance.models import AttendanceRecord
from app.enrolment.models import Enrolment
from app.extensions import db
from tests import factories
from tests.attendance.helpers import make_session


@contextmanager
def count_queries():
    statements: list[str] = []

    def _count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def _url(ts, day=None, suffix=""):
    day = (day or ts.start_date).isoformat()
    return f"/training-sessions/{ts.id}/attendance/{day}{suffix}"


@pytest.fixture
def signed_in_trainer(login, trainer):
    return login(trainer)


def test_roll_call_lists_enrolled_people_with_four_buttons(client, signed_in_trainer):
    ts, enrolments = make_session(3, trainer=signed_in_trainer)
    factories.make_enrolment(ts, factories.make_participant("Waiting Person"), status="waitlisted")
    db.session.commit()
    html = client.get(_url(ts)).get_data(as_text=True)
    assert "أمينة يوسف" in html and "สมชาย ประเสริฐ" in html and 'dir="auto"' in html
    assert "Waiting Person" not in html
    for enrolment in enrolments:
        assert f'id="e{enrolment.id}"' in html
    assert html.count('name="status" value="present"') == 3 + 1  # rows + mark everyone present
    assert "roll-call.js" in html
    assert "Mark everyone present" in html


def test_roll_call_today_redirects_to_a_day(client, signed_in_trainer):
    ts, _ = make_session(1, trainer=signed_in_trainer)
    db.session.commit()
    response = client.get(f"/training-sessions/{ts.id}/attendance")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_url(ts, ts.days[1]))


def test_days_outside_the_session_are_not_found(client, signed_in_trainer):
    ts, _ = make_session(1, trainer=signed_in_trainer)
    db.session.commit()
    assert client.get(f"/training-sessions/{ts.id}/attendance/2001-01-01").status_code == 404
    assert client.get(f"/training-sessions/{ts.id}/attendance/not-a-day").status_code == 404


def test_a_tap_without_javascript_reloads_at_the_row(client, signed_in_trainer):
    ts, (first, *_) = make_session(2, trainer=signed_in_trainer)
    db.session.commit()
    response = client.post(_url(ts, suffix=f"/{first.id}"), data={"status": "late"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_url(ts) + f"#e{first.id}")
    html = client.get(_url(ts)).get_data(as_text=True)
    assert 'class="roll-row is-late"' in html


def test_a_tap_from_the_script_answers_json_with_counts(client, signed_in_trainer):
    ts, (first, second) = make_session(2, trainer=signed_in_trainer)
    db.session.commit()
    response = client.post(
        _url(ts, suffix=f"/{first.id}"),
        data={"status": "excused"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json["status"] == "excused"
    assert response.json["counts"] == {
        "present": 0,
        "late": 0,
        "excused": 1,
        "absent": 0,
        "unmarked": 1,
    }
    bad = client.post(
        _url(ts, suffix=f"/{second.id}"),
        data={"status": "asleep"},
        headers={"Accept": "application/json"},
    )
    assert bad.status_code == 400 and bad.json["ok"] is False


def test_mark_everyone_present_fills_the_unmarked(client, signed_in_trainer):
    ts, (first, *_rest) = make_session(3, trainer=signed_in_trainer)
    db.session.commit()
    client.post(_url(ts, suffix=f"/{first.id}"), data={"status": "absent"})
    response = client.post(
        _url(ts, suffix="/all"), data={"status": "present"}, follow_redirects=True
    )
    assert "2 people marked present" in response.get_data(as_text=True)
    statuses = db.session.scalars(
        select(AttendanceRecord.status)
        .join(Enrolment)
        .where(Enrolment.training_session_id == ts.id)
        .order_by(AttendanceRecord.enrolment_id)
    ).all()
    assert statuses == ["absent", "present", "present"]
    client.post(_url(ts, suffix="/all"), data={"status": "present", "overwrite": "y"})
    db.session.expire_all()
    assert set(
        db.session.scalars(
            select(AttendanceRecord.status)
            .join(Enrolment)
            .where(Enrolment.training_session_id == ts.id)
        )
    ) == {"present"}


def test_roll_call_issues_a_constant_number_of_queries(client, login, trainer):
    login(trainer)
    small, small_enrolments = make_session(3, trainer=trainer)
    large, large_enrolments = make_session(60, trainer=trainer)
    for ts, enrolments in ((small, small_enrolments), (large, large_enrolments)):
        for enrolment in enrolments[::2]:
            factories.make_attendance(enrolment, ts.start_date, "late")
    db.session.commit()
    client.get(_url(small))  # warm caches (templates, user) before counting
    counts = {}
    for name, ts in (("small", small), ("large", large)):
        db.session.expire_all()
        with count_queries() as statements:
            response = client.get(_url(ts))
        assert response.status_code == 200
        counts[name] = len(statements)
    assert counts["small"] == counts["large"], counts
    assert counts["large"] <= 10, counts


def test_other_trainers_and_managers_cannot_take_the_roll(client, login, trainer):
    ts, (first,) = make_session(1, trainer=trainer)
    other = factories.make_user(roles=("trainer",))
    manager = factories.make_user(roles=("manager",))
    db.session.commit()
    login(other)
    assert client.get(_url(ts)).status_code == 403
    assert (
        client.post(_url(ts, suffix=f"/{first.id}"), data={"status": "present"}).status_code == 403
    )
    login(manager)
    assert client.get(_url(ts)).status_code == 403
    assert client.get(f"/training-sessions/{ts.id}/attendance/summary").status_code == 200


def test_summary_page_and_session_panel(client, signed_in_trainer, app):
    ts, enrolments = make_session(4, trainer=signed_in_trainer)
    for enrolment in enrolments[:3]:
        factories.make_attendance(enrolment, ts.start_date, "present")
    factories.make_attendance(enrolments[3], ts.start_date, "absent")
    db.session.commit()
    html = client.get(f"/training-sessions/{ts.id}/attendance/summary").get_data(as_text=True)
    assert "75%" in html
    assert "Egypt" in html and "Thailand" in html and "Kazakhstan" in html
    assert "sign-in-sheet.pdf" in html
    if "scheduling.training_session_detail" in app.view_functions:
        page = client.get(f"/training-sessions/{ts.id}").get_data(as_text=True)
        assert 'id="attendance"' in page
        assert "Take the roll" in page


def test_complete_and_override_through_the_pages(client, signed_in_trainer):
    ts, (good, poor) = make_session(2, days=2, trainer=signed_in_trainer)
    for day in ts.days:
        factories.make_attendance(good, day, "present")
    factories.make_attendance(poor, ts.start_date, "present")
    db.session.commit()
    url = f"/training-sessions/{ts.id}/completion"
    preview = client.get(url).get_data(as_text=True)
    assert "80%" in preview and "Complete the session" in preview
    assert "1 of 2 participants complete by the rule" in preview
    done = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Session completed: 1 of 2" in done
    db.session.expire_all()
    assert ts.status == "completed"
    override_url = f"/training-sessions/{ts.id}/enrolments/{poor.id}/completion"
    assert client.get(override_url).status_code == 200
    refused = client.post(override_url, data={"completed": "yes", "reason": ""})
    assert "Give a reason" in refused.get_data(as_text=True)
    client.post(override_url, data={"completed": "yes", "reason": "Make-up day attended."})
    db.session.expire_all()
    assert poor.completed is True
    page = client.get(url).get_data(as_text=True)
    assert "Make-up day attended." in page and "Roll Trainer" in page
    again = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "already completed" in again


def test_csv_template_lists_everyone_for_every_day(client, signed_in_trainer):
    ts, enrolments = make_session(2, days=3, trainer=signed_in_trainer)
    db.session.commit()
    response = client.get(f"/training-sessions/{ts.id}/attendance/template.csv")
    text = response.data.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "Session,Participant,Email,Full name,Date,Status"
    assert len(lines) == 1 + 2 * 3
    assert "أمينة يوسف" in text
    assert response.headers["Content-Disposition"].startswith("attachment")
