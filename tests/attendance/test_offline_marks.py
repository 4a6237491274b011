"""Taps saved on a phone offline and sent later: each counts once, the later tap stands."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.attendance.models import AttendanceMark, AttendanceRecord
from app.audit.models import AuditEntry
from app.extensions import db
from tests import factories
from tests.attendance.helpers import make_session


def _tap(enrolment, day, status, marked_at, mark_id=None) -> dict:
    return {
        "mark_id": mark_id or str(uuid.uuid4()),
        "enrolment_id": enrolment.id,
        "day": day.isoformat(),
        "status": status,
        "marked_at": marked_at.isoformat().replace("+00:00", "Z"),
    }


def _records(enrolment):
    return db.session.scalars(
        select(AttendanceRecord).where(AttendanceRecord.enrolment_id == enrolment.id)
    ).all()


@pytest.fixture
def scene(client, login, trainer):
    login(trainer)
    ts, enrolments = make_session(3, trainer=trainer)
    db.session.commit()
    return ts, enrolments, f"/training-sessions/{ts.id}/attendance/marks"


def test_the_same_batch_sent_twice_counts_once(client, scene):
    ts, (first, second, third), url = scene
    earlier = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    batch = [
        _tap(first, ts.start_date, "present", earlier),
        _tap(second, ts.start_date, "absent", earlier),
        _tap(third, ts.start_date, "late", earlier),
    ]
    for _attempt in range(2):  # the answer to the first was lost on the way back
        response = client.post(url, json=batch)
        assert response.status_code == 200
        assert sorted(response.json["saved"]) == sorted(tap["mark_id"] for tap in batch)
    db.session.expire_all()
    assert [r.status for r in _records(first)] == ["present"]
    assert [r.status for r in _records(second)] == ["absent"]
    assert db.session.scalar(select(func.count()).select_from(AttendanceMark)) == 3
    marked = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "attendance.marked")
    ).all()
    assert len(marked) == 3
    # A record keeps the moment of the tap, not of the upload.
    assert _records(third)[0].recorded_at == earlier


def test_two_trainers_the_later_tap_stands_and_both_are_kept(client, login, scene):
    ts, (first, *_), url = scene
    colleague = factories.make_user(roles=("trainer",), name="Second Trainer")
    ts.trainers.append(colleague)
    db.session.commit()
    day = ts.start_date
    nine = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    # The colleague tapped Absent at 9:05 but was offline; the trainer's Present at 9:00
    # reached the server first. The later tap wins whatever order the batches arrive in.
    assert client.post(url, json=[_tap(first, day, "present", nine)]).status_code == 200
    login(colleague)
    late = _tap(first, day, "absent", nine + timedelta(minutes=5))
    assert client.post(url, json=[late]).json["superseded"] == []
    # And an even earlier tap, sent last, does not undo it.
    early = _tap(first, day, "late", nine - timedelta(minutes=30))
    assert client.post(url, json=[early]).json["superseded"] == [early["mark_id"]]
    db.session.expire_all()
    [record] = _records(first)
    assert (record.status, record.recorded_by_id) == ("absent", colleague.id)
    trail = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "attendance.marked", AuditEntry.target_id == record.id)
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.details["status"], e.details["stands"]) for e in trail] == [
        ("present", True),
        ("absent", True),
        ("late", False),
    ]
    assert {e.actor_id for e in trail} == {colleague.id, ts.trainers[0].id}


def test_taps_that_break_a_rule_are_refused_by_id_and_the_rest_kept(client, scene):
    ts, (first, second, _), url = scene
    other_session, (stranger,) = make_session(1)
    db.session.commit()
    now = datetime.now(UTC)
    tomorrow = ts.start_date + timedelta(days=2)  # the helper's session runs until tomorrow
    good = _tap(first, ts.start_date, "present", now)
    future = _tap(second, tomorrow, "present", now)
    foreign = _tap(stranger, ts.start_date, "present", now)
    unknown = _tap(second, ts.start_date, "asleep", now)
    response = client.post(url, json=[good, future, foreign, unknown])
    assert response.status_code == 200
    assert response.json["saved"] == [good["mark_id"]]
    refused = response.json["refused"]
    assert "not started" in refused[future["mark_id"]]
    assert "not in this session" in refused[foreign["mark_id"]]
    assert "asleep" in refused[unknown["mark_id"]]
    assert client.post(url, data="not json").status_code == 400


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_batches_carry_the_page_csrf_token(client, scene, app_overrides):
    ts, (first, *_), url = scene
    page = client.get(f"/training-sessions/{ts.id}/attendance/{ts.start_date.isoformat()}")
    token = re.search(r'data-csrf-token="([^"]+)"', page.get_data(as_text=True)).group(1)
    tap = _tap(first, ts.start_date, "present", datetime.now(UTC))
    assert client.post(url, json=[tap]).status_code == 400
    assert client.post(url, json=[tap], headers={"X-CSRFToken": token}).status_code == 200


def test_the_worker_is_served_from_the_root_with_a_policy_that_lets_it_fetch(client):
    response = client.get("/roll-call-sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Content-Security-Policy"] == "default-src 'self'"
    assert 'addEventListener("fetch"' in response.get_data(as_text=True)
