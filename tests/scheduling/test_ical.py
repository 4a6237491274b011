from datetime import UTC, date, datetime

import pytest

from app.extensions import db
from app.scheduling import ical, services
from app.scheduling.models import TrainingSession
from app.shared import clock
from tests import factories
from tests.scheduling.helpers import details


def test_escape_and_fold():
    assert ical.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "é" * 60
    folded = ical.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line


@pytest.fixture
def scene(app):
    trainer = factories.make_user(roles=("trainer",))
    course = factories.make_course(code="CFCAC", title="Countering Online Exploitation, Advanced")
    mine = services.create_training_session(
        course, details(trainer, venue="Police Academy; Hall B", city="Nairobi"), trainer
    )
    services.change_status(mine, "open", trainer)
    draft = services.create_training_session(
        course, details(trainer, host_country="UG", city="Kampala"), trainer
    )
    other = factories.make_training_session(
        course=course, status="open", code="CFCAC-2026-TZ-01", host_country="TZ", city="Arusha"
    )
    db.session.commit()
    return trainer, mine, draft, other


def _unfold(body: str) -> str:
    return body.replace("\r\n ", "")


def test_open_sessions_feed(client, as_role, scene):
    _trainer, mine, draft, other = scene
    as_role("participant")
    response = client.get("/training-sessions/open.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    text = _unfold(body)
    assert f"UID:{mine.code}@training-platform" in text
    assert f"UID:{other.code}@training-platform" in text
    assert draft.code not in text
    assert "DTSTART;VALUE=DATE:20260302\r\n" in text
    assert "DTEND;VALUE=DATE:20260305\r\n" in text  # exclusive: the day after the last
    assert f"SUMMARY:Countering Online Exploitation\\, Advanced ({mine.code})" in text
    assert "LOCATION:Police Academy\\; Hall B\\, Nairobi\\, Kenya" in text
    assert text.count("BEGIN:VEVENT") == 2
    assert "DTSTAMP:" in text


def test_my_sessions_feed(client, login, scene):
    trainer, mine, draft, other = scene
    login(trainer)
    text = _unfold(client.get("/training-sessions/mine.ics").get_data(as_text=True))
    assert mine.code in text and draft.code in text
    assert other.code not in text
    assert "STATUS:TENTATIVE" in text  # the draft


def test_feeds_need_login_and_the_trainer_role(client, as_role, scene):
    assert client.get("/training-sessions/open.ics").status_code == 302
    as_role("manager")
    assert client.get("/training-sessions/mine.ics").status_code == 403


def test_event_dates_for_a_single_day(app):
    trainer = factories.make_user(roles=("trainer",))
    ts = services.create_training_session(
        factories.make_course(),
        details(trainer, start_date=date(2026, 12, 31), end_date=date(2026, 12, 31)),
        trainer,
    )
    lines = ical.event_lines(ts)
    assert "DTSTART;VALUE=DATE:20261231" in lines
    assert "DTEND;VALUE=DATE:20270101" in lines


def test_an_unsaved_session_is_stamped_with_the_clock(app, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    course = factories.make_course(code="CFCAC")
    draft = TrainingSession(
        code="CFCAC-2026-KE-09",
        course=course,
        host_country="KE",
        city="Nairobi",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 3, 3),
    )
    assert "DTSTAMP:20260301T233000Z" in ical.event_lines(draft)
