"""The programme's evaluation in three figures, as the reach dashboard would read them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.evaluation import services
from app.evaluation.instruments import instruments
from tests import factories
from tests.evaluation.helpers import LAST_DAY, session_with_people, set_today


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
    summary = services.programme_summary(2026)
    assert summary.reaction.respondents == 4 and summary.satisfaction is None
    assert summary.learning.tested == 4 and summary.normalised_gain is None
    assert [(f.months, f.asked, f.rate) for f in summary.follow_ups] == [(3, 0, None), (6, 0, None)]

    services.submit_survey(services.reaction_instrument(), enrolments[4], {"overall": "3"})
    services.record_test(test, enrolments[4], "pre", {}, entered_by=trainer)
    right = {item.id: item.answer for item in test.form_items("B")}
    services.record_test(test, enrolments[4], "post", right, entered_by=trainer)
    set_today(monkeypatch, LAST_DAY + timedelta(days=95))  # the 3-month follow-up has opened
    three = instruments()["follow-up-3m"]
    for enrolment in enrolments[:3]:
        services.submit_survey(three, enrolment, {"applied": "4"})
    summary = services.programme_summary(2026)
    assert summary.satisfaction == pytest.approx(4.6)
    assert summary.normalised_gain == pytest.approx(0.2)  # four pairs at 0, one at 1
    assert (summary.follow_ups[0].asked, summary.follow_ups[0].answered) == (6, 3)
    assert summary.follow_ups[0].rate == pytest.approx(0.5)
    assert summary.follow_ups[1].rate is None
    assert services.programme_summary(2025).reaction.respondents == 0
