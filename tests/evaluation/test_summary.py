"""The programme's evaluation in three figures, as the reach dashboard would read them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.evaluation import services
from app.evaluation.instruments import instruments
from tests import factories
from tests.evaluation.helpers import LAST_DAY, count_queries, session_with_people, set_today

YEAR_2025 = services.Scope(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
YEAR_2026 = services.Scope(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))


def test_the_summary_hides_small_groups_and_counts_follow_up_answers_from_the_register(
    app, monkeypatch
):
    set_today(monkeypatch, LAST_DAY)
    course = factories.make_course(slug="cfcac", code="CFCAC")
    trainer = factories.make_user(roles=("trainer",))
    _, enrolments = session_with_people(6, course=course)
    test = instruments()["cfcac-knowledge"]
    for enrolment in enrolments[:4]:
        services.submit_survey(services.reaction_instrument(), enrolment, {"overall": "5"})
    for enrolment in enrolments[:4]:
        for phase in ("pre", "post"):
            services.record_test(test, enrolment, phase, {}, entered_by=trainer)
    summary = services.programme_figures(YEAR_2026)
    assert summary.respondents == 4 and summary.satisfaction is None
    assert summary.tested == 4 and summary.normalised_gain is None
    assert [(f.months, f.asked, f.rate) for f in summary.follow_ups] == [(3, 0, None), (6, 0, None)]

    services.submit_survey(services.reaction_instrument(), enrolments[4], {"overall": "3"})
    services.record_test(test, enrolments[4], "pre", {}, entered_by=trainer)
    right = {item.id: item.answer for item in test.form_items("B")}
    services.record_test(test, enrolments[4], "post", right, entered_by=trainer)
    set_today(monkeypatch, LAST_DAY + timedelta(days=95))  # the 3-month follow-up has opened
    three = instruments()["follow-up-3m"]
    for enrolment in enrolments[:3]:
        services.submit_survey(three, enrolment, {"applied": "4"})
    summary = services.programme_figures(YEAR_2026)
    assert summary.satisfaction == pytest.approx(4.6)
    assert summary.normalised_gain == pytest.approx(0.2)  # four pairs at 0, one at 1
    assert (summary.follow_ups[0].asked, summary.follow_ups[0].answered) == (6, 3)
    assert summary.follow_ups[0].rate == pytest.approx(0.5)
    assert summary.follow_ups[1].rate is None
    assert services.programme_figures(YEAR_2025).respondents == 0


def test_a_follow_up_opens_on_the_day_months_later_where_the_session_was_held(app, monkeypatch):
    """A session ending 13 March asks its 3-month follow-up from 13 June, in its own zone."""
    three = instruments()["follow-up-3m"]
    session_with_people(5, timezone="Pacific/Auckland")
    set_today(monkeypatch, date(2026, 6, 12), hour=13)  # already 13 June in Auckland
    assert services.follow_up_rate(three, services.Scope()).asked == 5
    set_today(monkeypatch, date(2026, 6, 12), hour=11)  # 12 June there still (UTC+12)
    assert services.follow_up_rate(three, services.Scope()).asked == 0
    assert services.latest_end_opened_by(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert services.latest_end_opened_by(date(2026, 5, 30), 3) == date(2026, 2, 28)
    assert services.latest_end_opened_by(date(2026, 5, 27), 3) == date(2026, 2, 27)


def test_filters_on_people_narrow_tests_and_follow_ups_but_not_anonymous_answers(app, monkeypatch):
    set_today(monkeypatch, LAST_DAY + timedelta(days=95))
    _, enrolments = session_with_people(6)
    three = instruments()["follow-up-3m"]
    for enrolment in enrolments[:5]:
        services.submit_survey(three, enrolment, {"applied": "4"})
    everyone = services.programme_figures()
    assert everyone.reaction_applies and everyone.follow_ups[0].answered == 5
    nobody = services.programme_figures(services.Scope(countries=frozenset({"ZZ"})))
    assert not nobody.reaction_applies and nobody.satisfaction is None
    assert nobody.follow_ups[0].asked == 0


def test_the_programme_figures_take_as_many_queries_for_a_large_programme_as_a_small(
    app, monkeypatch
):
    set_today(monkeypatch, LAST_DAY + timedelta(days=200))
    session_with_people(2)
    small = count_queries(services.programme_figures)
    for zone in ("UTC", "Europe/Paris", "Asia/Tokyo"):
        for _ in range(3):
            session_with_people(3, timezone=zone)
    assert count_queries(services.programme_figures) == small  # one bound per zone, in one query
