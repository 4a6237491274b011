"""The read-only lookups scheduling's pages are built from."""

from datetime import date

import pytest

from app.scheduling import queries
from app.scheduling.models import SessionStatus
from app.scheduling.queries import SessionFilters
from tests import factories


@pytest.fixture
def sessions(app):
    course, other = factories.make_course(code="AAA"), factories.make_course(code="BBB")
    return {
        "ke_march": factories.make_training_session(course=course, start=date(2026, 3, 2)),
        "ug_may": factories.make_training_session(
            course=course, host_country="UG", start=date(2026, 5, 4), status=SessionStatus.DRAFT
        ),
        "ke_june": factories.make_training_session(course=other, start=date(2026, 6, 1)),
    }


def codes(page) -> list[str]:
    return [ts.code for ts in page.items]


def test_session_page_lists_latest_first_and_filters_each_criterion(sessions):
    s = sessions
    assert codes(queries.session_page(SessionFilters())) == [
        s["ke_june"].code,
        s["ug_may"].code,
        s["ke_march"].code,
    ]
    by_course = SessionFilters(course=s["ke_march"].course_id)
    assert codes(queries.session_page(by_course)) == [s["ug_may"].code, s["ke_march"].code]
    assert codes(queries.session_page(SessionFilters(country="UG"))) == [s["ug_may"].code]
    assert codes(queries.session_page(SessionFilters(status="draft"))) == [s["ug_may"].code]
    # A session that overlaps the range counts: 2-4 March ends on the 4th.
    in_range = SessionFilters(date_from=date(2026, 3, 4), date_to=date(2026, 5, 4))
    assert codes(queries.session_page(in_range)) == [s["ug_may"].code, s["ke_march"].code]


def test_session_page_splits_into_pages(sessions):
    first = queries.session_page(SessionFilters(), page=1, per_page=2)
    second = queries.session_page(SessionFilters(), page=2, per_page=2)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (3, 2, 2, 1)


def test_open_sessions_and_sessions_taught_by(app):
    tess = factories.make_user(roles=("trainer",))
    mine = factories.make_training_session(
        trainers=[tess], status=SessionStatus.CANCELLED, start=date(2026, 2, 1)
    )
    open_one = factories.make_training_session(start=date(2026, 1, 5))
    assert queries.open_sessions() == [open_one]
    assert queries.sessions_taught_by(tess) == [mine]


def test_trainer_candidates_are_active_teachers_plus_the_extra_ones(app):
    zoe = factories.make_user(roles=("trainer",), name="Zoe")
    ada = factories.make_user(roles=("admin",), name="Ada")
    factories.make_user(roles=("manager",), name="Max")
    gone = factories.make_user(roles=("trainer",), name="Gone", active=False)
    assert queries.trainer_candidates() == [ada, zoe]
    assert queries.trainer_candidates([gone, zoe]) == [ada, zoe, gone]


def test_partner_organisations_by_name(app):
    b, a = factories.make_partner("Beta"), factories.make_partner("Alpha")
    assert queries.partner_organisations() == [a, b]


def test_the_list_puts_sessions_in_progress_then_starting_soon_first(app):
    from datetime import timedelta

    today = date.today()
    past = factories.make_training_session(start=today - timedelta(days=30), code="PAST-01")
    later = factories.make_training_session(start=today + timedelta(days=40), code="LATER-01")
    soon = factories.make_training_session(start=today + timedelta(days=2), code="SOON-01")
    now = factories.make_training_session(
        start=today - timedelta(days=1), status=SessionStatus.IN_PROGRESS, code="NOW-01"
    )
    older = factories.make_training_session(start=today - timedelta(days=90), code="OLDER-01")
    assert codes(queries.session_page(SessionFilters())) == [
        now.code, soon.code, later.code, past.code, older.code
    ]


def test_the_list_sorts_by_any_column_both_ways(app):
    zed = factories.make_user(roles=("trainer",), name="Zed")
    amy = factories.make_user(roles=("trainer",), name="Amy")
    a = factories.make_training_session(
        course=factories.make_course(title="Beta"), host_country="UG", capacity=10,
        trainers=[zed], code="A-01", start=date(2026, 5, 1),
    )
    b = factories.make_training_session(
        course=factories.make_course(title="Alpha"), host_country="KE", capacity=30,
        trainers=[amy], code="B-01", start=date(2026, 4, 1), status=SessionStatus.DRAFT,
    )
    expected = {
        "code": [a, b], "course": [b, a], "dates": [b, a], "place": [b, a],
        "status": [b, a], "capacity": [a, b], "trainers": [b, a],
    }
    for key, order in expected.items():
        ascending = queries.session_page(SessionFilters(sort=key))
        descending = queries.session_page(SessionFilters(sort=key, descending=True))
        assert codes(ascending) == [ts.code for ts in order], key
        assert codes(descending) == [ts.code for ts in reversed(order)], key
