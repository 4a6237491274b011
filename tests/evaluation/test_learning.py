"""Level 2: pre-test on form A, post-test on form B, gains with missing tests, paper entry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.evaluation import services
from app.evaluation.instruments import instruments
from app.evaluation.models import TestAttempt
from app.extensions import db
from tests import factories
from tests.evaluation.helpers import LAST_DAY, session_with_people, set_today

FIRST_DAY = date(2026, 3, 9)


def _test():
    return instruments()["cfcac-knowledge"]


def _scene(count: int):
    return session_with_people(count, course=factories.make_course(slug="cfcac", code="CFCAC"))


def _answers(form: str, right: int) -> dict[str, int]:
    """Answer the first `right` items of a form correctly and the rest wrongly."""
    items = _test().form_items(form)
    return {
        item.id: item.answer if index < right else (item.answer + 1) % len(item.options)
        for index, item in enumerate(items)
    }


def _record(enrolment, phase, right, trainer):
    form = "A" if phase == "pre" else "B"
    return services.record_test(
        _test(), enrolment, phase, _answers(form, right), entered_by=trainer
    )


def test_gain_counts_only_complete_pairs_and_reports_the_missing(app):
    training_session, (both, pre_only, post_only, neither) = _scene(4)
    trainer = factories.make_user(roles=("trainer",))
    total = len(_test().form_items("A"))  # 13
    _record(both, "pre", 0, trainer)
    _record(both, "post", total, trainer)
    _record(pre_only, "pre", total, trainer)
    _record(post_only, "post", 5, trainer)
    learning = services.session_learning(_test(), training_session)
    rows = {row.enrolment.id: row for row in learning.rows}
    assert rows[both.id].raw_gain == pytest.approx(1.0)
    assert rows[both.id].normalised_gain == pytest.approx(1.0)
    assert rows[pre_only.id].missing == "post" and rows[pre_only.id].raw_gain is None
    assert rows[post_only.id].missing == "pre" and rows[post_only.id].normalised_gain is None
    assert rows[neither.id].missing == "both"
    # Means over the one complete pair: a missing test is never averaged in as zero.
    assert learning.pairs == 1
    assert learning.mean_raw_gain == pytest.approx(1.0)
    assert (learning.missing("pre"), learning.missing("post"), learning.missing("both")) == (
        1,
        1,
        1,
    )
    # Mastery among the two post-test takers: 13/13 yes, 5/13 no.
    assert learning.mastery_share == pytest.approx(0.5)


def test_normalised_gain_follows_hake_and_is_undefined_after_a_perfect_pre_test(app):
    training_session, (half, perfect) = _scene(2)
    trainer = factories.make_user(roles=("trainer",))
    total = len(_test().form_items("A"))
    pre = _record(half, "pre", 6, trainer)  # 6/13
    post = _record(half, "post", 10, trainer)  # 10/13
    _record(perfect, "pre", total, trainer)
    _record(perfect, "post", total - 1, trainer)
    rows = {r.enrolment.id: r for r in services.session_learning(_test(), training_session).rows}
    expected = (post.share - pre.share) / (1 - pre.share)
    assert rows[half.id].normalised_gain == pytest.approx(expected)
    assert rows[half.id].raw_gain == pytest.approx(4 / 13)
    assert rows[perfect.id].normalised_gain is None
    assert rows[perfect.id].raw_gain == pytest.approx(-1 / 13)


def test_weak_spots_name_the_objectives_most_got_wrong(app):
    training_session, enrolments = _scene(3)
    trainer = factories.make_user(roles=("trainer",))
    for enrolment in enrolments:
        _record(enrolment, "post", 12, trainer)  # all but the last item of form B right
    learning = services.session_learning(_test(), training_session)
    last = _test().form_items("B")[-1]
    assert [spot[0] for spot in learning.weak_spots] == [last.objective]
    assert learning.weak_spots[0][2] == 0.0


def test_the_pre_test_is_form_a_before_the_first_day_the_post_test_form_b_on_the_last(
    app, client, login, monkeypatch
):
    training_session, (enrolment,) = _scene(1)
    db.session.commit()
    login(enrolment.participant.user)
    base = f"/evaluation/sessions/{training_session.id}/tests"
    a, b = _test().form_items("A"), _test().form_items("B")
    set_today(monkeypatch, FIRST_DAY)
    page = client.get(f"{base}/pre").text
    assert a[0].text["en"][:40] in page and b[0].text["en"][:40] not in page
    assert "opens on the last day" in client.get(f"{base}/post").text
    data = {f"i_{item_id}": str(value) for item_id, value in _answers("A", 3).items()}
    assert client.post(f"{base}/pre", data=data).status_code == 302
    set_today(monkeypatch, FIRST_DAY + timedelta(days=1))
    assert "taken before the first module" not in client.get(f"{base}/pre").text  # taken: score
    set_today(monkeypatch, LAST_DAY)
    page = client.get(f"{base}/post").text
    assert b[0].text["en"][:40] in page
    client.post(f"{base}/post", data={f"i_{b[0].id}": str(b[0].answer)})  # incomplete: refused
    assert db.session.scalar(select(db.func.count(TestAttempt.id))) == 1
    data = {f"i_{item_id}": str(value) for item_id, value in _answers("B", 13).items()}
    client.post(f"{base}/post", data=data)
    attempts = {a.phase: a for a in db.session.scalars(select(TestAttempt))}
    assert (attempts["pre"].form, attempts["pre"].score) == ("A", 3)
    assert (attempts["post"].form, attempts["post"].score) == ("B", 13)
    with pytest.raises(services.EvaluationError):
        services.record_test(_test(), enrolment, "post", _answers("B", 0))


def test_a_trainer_prints_the_paper_form_and_enters_its_answers(app, client, login, monkeypatch):
    set_today(monkeypatch, LAST_DAY)
    trainer = factories.make_user(roles=("trainer",))
    training_session, (enrolment,) = _scene(1)
    training_session.trainers = [trainer]
    db.session.commit()
    login(trainer)
    base = f"/evaluation/sessions/{training_session.id}"
    paper = client.get(f"{base}/tests/pre/paper").text
    assert "Form A" in paper and "Name" in paper
    assert _test().form_items("A")[0].text["en"][:40] in paper
    entry = f"{base}/tests/pre/enrolments/{enrolment.id}"
    # Unanswered items on paper score nothing; the entry is saved all the same.
    data = {f"i_{item_id}": str(value) for item_id, value in _answers("A", 4).items()}
    data.pop(next(iter(data)))
    assert client.post(entry, data=data).status_code == 302
    attempt = db.session.scalars(select(TestAttempt)).one()
    assert (attempt.score, attempt.max_score, attempt.entered_by_id) == (3, 13, trainer.id)
    client.post(entry, data={f"i_{k}": str(v) for k, v in _answers("A", 4).items()})  # correction
    db.session.refresh(attempt)
    assert attempt.score == 4
    page = client.get(base).text
    assert "4/13" in page and "missing" in page  # no post-test yet, shown as missing


def test_the_course_page_and_csv_show_learning_by_country_hiding_small_groups(app, client, as_role):
    course = factories.make_course(slug="cfcac", code="CFCAC")
    trainer = factories.make_user(roles=("trainer",))
    _, kenyans = session_with_people(5, course=course)
    second, _ = session_with_people(0, course=course, host_country="UG")
    ugandans = []
    for _ in range(2):
        person = factories.make_participant(country_code="UG")
        ugandans.append(factories.make_enrolment(second, person))
    for enrolment in kenyans:
        _record(enrolment, "pre", 3, trainer)
        _record(enrolment, "post", 13, trainer)
    for enrolment in ugandans:
        _record(enrolment, "post", 0, trainer)  # no pre-test: reported missing, not a zero gain
    overall, countries = services.course_learning(_test(), course)
    assert (overall.tested, overall.pairs, overall.missing("pre")) == (7, 5, 2)
    assert overall.mean_raw_gain == pytest.approx(10 / 13)
    assert dict(countries)["UG"].suppressed and not dict(countries)["KE"].suppressed
    as_role("manager")
    db.session.commit()
    csv_text = client.get(f"/evaluation/courses/{course.id}/learning.csv").text
    assert "KE,5,5,0.769,1.000,1.000,0,0" in csv_text
    assert "UG,<5,,,,,," in csv_text
    assert "all,7,5,0.769,1.000,0.714,2,0" in csv_text
    page = client.get(f"/evaluation/courses/{course.id}").text
    assert "fewer than 5 tested" in page and "Uganda" in page
