from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.attendance import completion, services
from app.enrolment.models import EnrolmentEvent
from app.extensions import db
from tests.attendance.helpers import make_session

THRESHOLD = completion.DEFAULT_THRESHOLD
# Sessions that are completed ran in the past: none can be completed before its last day.
PAST = date.today() - timedelta(days=30)


def _roll(ts, enrolment, statuses, trainer):
    for day, status in zip(ts.days, statuses, strict=False):
        if status:
            services.mark(ts, enrolment.id, day, status, trainer)


def test_rule_exactly_at_threshold_completes():
    days = [date(2026, 3, d) for d in range(1, 6)]
    statuses = dict(zip(days, ["present", "present", "late", "present", "absent"], strict=True))
    attended, excused, rate, completed = completion.decide(days, statuses, THRESHOLD)
    assert (attended, excused, rate, completed) == (4, 0, 0.8, True)


def test_rule_below_threshold_fails():
    days = [date(2026, 3, d) for d in range(1, 6)]
    statuses = dict(zip(days, ["present", "present", "present", "absent", "absent"], strict=True))
    assert completion.decide(days, statuses, THRESHOLD)[3] is False


def test_excused_days_leave_the_denominator():
    days = [date(2026, 3, d) for d in range(1, 6)]
    statuses = dict(zip(days, ["present", "excused", "excused", "present", "absent"], strict=True))
    attended, excused, rate, completed = completion.decide(days, statuses, THRESHOLD)
    assert (attended, excused, completed) == (2, 2, False)
    assert rate == pytest.approx(2 / 3)
    statuses[days[4]] = "late"
    assert completion.decide(days, statuses, THRESHOLD)[2:] == (1.0, True)


def test_missing_days_count_as_absent():
    days = [date(2026, 3, d) for d in range(1, 6)]
    statuses = {days[0]: "present", days[1]: "present", days[2]: "present", days[3]: "present"}
    assert completion.decide(days, statuses, THRESHOLD)[2:] == (0.8, True)
    del statuses[days[3]]
    assert completion.decide(days, statuses, THRESHOLD)[2:] == (0.6, False)


def test_excused_every_day_does_not_complete():
    days = [date(2026, 3, 1), date(2026, 3, 2)]
    statuses = dict.fromkeys(days, "excused")
    assert completion.decide(days, statuses, THRESHOLD) == (0, 2, None, False)


def test_default_threshold_is_80_percent():
    ts, _ = make_session(0)
    assert completion.threshold_of(ts) == completion.DEFAULT_THRESHOLD == Decimal("0.8")


def test_complete_session_stores_decisions_by_the_course_rule(trainer):
    ts, (full, partial, excused) = make_session(
        3, days=5, trainer=trainer, start=PAST, threshold="0.6"
    )
    _roll(ts, full, ["present"] * 5, trainer)
    _roll(ts, partial, ["present", "late", "absent", "absent", None], trainer)
    _roll(ts, excused, ["present", "excused", "excused", "late", "absent"], trainer)
    decisions = completion.complete_session(ts, trainer)
    assert ts.status == "completed"
    assert len(decisions) == 3
    assert (full.completed, full.completion_rate) == (True, 1.0)
    assert (partial.completed, partial.completion_rate) == (False, 0.4)
    assert excused.completed is True
    assert excused.completion_rate == pytest.approx(2 / 3)


def test_cannot_complete_twice_or_from_draft(trainer):
    ts, _ = make_session(1, trainer=trainer, start=PAST)
    completion.complete_session(ts, trainer)
    with pytest.raises(completion.CompletionError, match="already completed"):
        completion.complete_session(ts, trainer)
    draft, _ = make_session(1, status="draft", trainer=trainer)
    with pytest.raises(completion.CompletionError):
        completion.complete_session(draft, trainer)
    assert draft.status == "draft"


def test_open_session_completes_only_when_all_days_are_past(trainer):
    running, _ = make_session(1, status="open", start=date.today() - timedelta(days=1))
    with pytest.raises(completion.CompletionError):
        completion.complete_session(running, trainer)
    past, _ = make_session(1, status="open", start=date.today() - timedelta(days=10))
    completion.complete_session(past, trainer)
    assert past.status == "completed"


def test_override_needs_a_reason_and_is_kept(trainer):
    ts, (enrolment,) = make_session(1, trainer=trainer, start=PAST)
    completion.complete_session(ts, trainer)
    assert enrolment.completed is False
    with pytest.raises(completion.CompletionError, match="reason"):
        completion.override_completion(enrolment, True, "  ", trainer)
    completion.override_completion(enrolment, True, "Attended the make-up day in Mombasa.", trainer)
    assert enrolment.completed is True
    assert enrolment.completion_override_reason == "Attended the make-up day in Mombasa."
    assert enrolment.completion_overridden_by_id == trainer.id
    assert enrolment.completion_overridden_at is not None
    notes = [e.note for e in db.session.query(EnrolmentEvent).filter_by(enrolment_id=enrolment.id)]
    assert any("make-up day" in (note or "") for note in notes)


def test_recompute_does_not_undo_overrides(trainer):
    ts, (overridden, other) = make_session(2, trainer=trainer, start=PAST)
    completion.complete_session(ts, trainer)
    completion.override_completion(overridden, True, "Medical certificate seen.", trainer)
    # Correcting the roll after completion recomputes the others, not the override.
    for day in ts.days:
        services.mark(ts, other.id, day, "present", trainer)
    assert other.completed is True
    completion.recompute_completion(ts)
    assert overridden.completed is True
    assert overridden.completion_rate == 0.0
    assert overridden.completion_override_reason == "Medical certificate seen."


def test_override_before_completion_is_refused(trainer):
    ts, (enrolment,) = make_session(1, trainer=trainer)
    with pytest.raises(completion.CompletionError):
        completion.override_completion(enrolment, True, "Reason", trainer)


def test_imported_sessions_keep_their_stored_decisions(trainer):
    ts, (enrolment,) = make_session(1, trainer=trainer, status="completed", imported=True)
    enrolment.completed = True
    services.mark(ts, enrolment.id, ts.start_date, "absent", trainer)
    assert enrolment.completed is True
    (decision,) = completion.preview(ts)
    assert decision.by_rule is False and decision.completed is True
