"""Session dates inside a plausible window, sessions at most 60 days long, safe codes."""

from datetime import UTC, date, datetime, timedelta

import pytest

from app.extensions import db
from app.scheduling import services
from app.scheduling.models import SessionStatus, TrainingSession
from app.scheduling.services import SchedulingError
from app.shared import clock
from tests import factories
from tests.scheduling.helpers import details, form_data


@pytest.fixture
def trainer(app):
    return factories.make_user(roles=("trainer",), name="Tess Trainer")


@pytest.fixture
def course(app):
    return factories.make_course(code="CFCAC", title="Countering Online Exploitation")


def _field_block(page: str, field: str) -> str:
    start = page.index(f'id="{field}"')
    return page[start : page.index("</div>", start)]


def test_a_far_future_date_is_refused_on_its_field_and_nothing_is_saved(
    client, login, trainer, course
):
    login(trainer)
    data = form_data(course, trainer, start_date="9999-12-30", end_date="9999-12-31")
    response = client.post(f"/training-sessions/new?course_id={course.id}", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Give a date between 1 January 1990 and" in _field_block(page, "start_date")
    assert "Give a date between 1 January 1990 and" in _field_block(page, "end_date")
    assert db.session.query(TrainingSession).count() == 0


def test_the_open_sessions_feed_survives_an_attempt_at_a_far_future_session(
    client, login, trainer, course
):
    open_session = factories.make_training_session(course=course, status=SessionStatus.OPEN)
    db.session.commit()
    login(trainer)
    data = form_data(course, trainer, start_date="9999-12-31", end_date="9999-12-31")
    client.post(f"/training-sessions/new?course_id={course.id}", data=data)
    assert db.session.query(TrainingSession).count() == 1
    db.session.query(TrainingSession).update({"status": SessionStatus.OPEN})
    db.session.commit()
    participant = factories.make_user(roles=("participant",))
    db.session.commit()
    login(participant)
    feed = client.get("/training-sessions/open.ics")
    assert feed.status_code == 200 and open_session.code in feed.get_data(as_text=True)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(1989, 12, 31), date(1990, 1, 2), "start_date"),
        (date(2026, 3, 2), date(9999, 12, 31), "end_date"),
    ],
)
def test_dates_outside_the_window_name_their_field(trainer, course, start, end, field):
    with pytest.raises(SchedulingError) as caught:
        services.create_training_session(
            course, details(trainer, start_date=start, end_date=end), trainer
        )
    assert list(caught.value.errors) == [field]


def test_ten_years_ahead_is_allowed_and_a_day_more_is_not(trainer, course):
    last = services.latest_session_day()
    assert date.today() + timedelta(days=3650) <= last <= date.today() + timedelta(days=3653)
    services.create_training_session(
        course, details(trainer, start_date=last, end_date=last), trainer
    )
    later = last + timedelta(days=1)
    with pytest.raises(SchedulingError):
        services.create_training_session(
            course, details(trainer, start_date=later, end_date=later), trainer
        )


def test_a_session_lasts_at_most_60_days(client, login, trainer, course):
    login(trainer)
    data = form_data(course, trainer, start_date="2026-01-01", end_date="2026-03-02")
    page = client.post(f"/training-sessions/new?course_id={course.id}", data=data).get_data(
        as_text=True
    )
    assert "A session lasts at most 60 days; this one lasts 61." in _field_block(page, "end_date")
    assert db.session.query(TrainingSession).count() == 0
    ts = services.create_training_session(
        course, details(trainer, start_date=date(2026, 1, 1), end_date=date(2026, 3, 1)), trainer
    )
    with pytest.raises(SchedulingError) as caught:
        services.update_training_session(
            ts, details(trainer, start_date=date(2026, 1, 1), end_date=date(2026, 3, 2)), trainer
        )
    assert list(caught.value.errors) == ["end_date"]


@pytest.mark.parametrize(
    ("code", "safe"),
    [
        ("CFCAC-2026-KE-01", True),
        ("SL/../x?y#z", False),
        ("SL-2026\nKE", False),
        ("SL 2026", False),
        ("ŞL-2026", False),
        ("-SL", False),
        ("", False),
    ],
)
def test_session_codes_are_letters_digits_and_hyphens(code, safe):
    assert services.is_session_code(code) is safe


def test_a_course_code_that_would_make_an_unsafe_session_code_is_refused(trainer, course):
    course.code = "CF/AC"
    with pytest.raises(SchedulingError) as caught:
        services.create_training_session(course, details(trainer), trainer)
    assert "letters, digits and hyphens" in str(caught.value)


def test_ten_years_count_from_today_where_the_session_is_held(trainer, course, monkeypatch):
    # 23:30 UTC on 1 March 2026 is already 2 March in Auckland, still 1 March in Accra.
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    day = date(2036, 3, 2)
    services.create_training_session(
        course,
        details(trainer, host_country="NZ", city="Auckland", start_date=day, end_date=day),
        trainer,
    )
    with pytest.raises(SchedulingError) as caught:
        services.create_training_session(
            course,
            details(trainer, host_country="GH", city="Accra", start_date=day, end_date=day),
            trainer,
        )
    assert list(caught.value.errors) == ["start_date", "end_date"]
