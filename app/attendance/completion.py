"""Closing a session: each enrolment completed or not by the course's attendance rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.attendance.models import AttendanceRecord, AttendanceStatus
from app.audit import services as audit
from app.enrolment.models import Enrolment, EnrolmentEvent, EnrolmentStatus
from app.extensions import db
from app.scheduling.models import SessionStatus
from app.scheduling.services import SchedulingError, change_status, last_day_reached
from app.shared.models import utcnow
from app.shared.unit_of_work import DomainError

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.scheduling.models import TrainingSession

DEFAULT_THRESHOLD = Decimal("0.8")


class CompletionError(DomainError):
    """Completing or overriding was refused; the message is shown to the trainer."""


@dataclass
class Decision:
    """The rule's verdict for one enrolment, before or after it is stored."""

    enrolment: Enrolment
    attended: int
    excused: int
    counted_days: int
    rate: float | None
    by_rule: bool
    overridden: bool
    stored: bool = False

    @property
    def completed(self) -> bool:
        """Return the decision that stands: the override or the stored one, else the rule's."""
        if self.overridden or (self.stored and self.enrolment.completed is not None):
            return bool(self.enrolment.completed)
        return self.by_rule


def threshold_of(training_session: TrainingSession) -> Decimal:
    """Return the course's completion threshold (80% when the course sets none)."""
    threshold = training_session.course.completion_threshold
    return Decimal(str(threshold)) if threshold is not None else DEFAULT_THRESHOLD


def decide(
    days: list[date], statuses: dict[date, str], threshold: Decimal
) -> tuple[int, int, float | None, bool]:
    """Apply the rule to one person: return (attended, excused, rate, completed).

    Present and late count as attended; excused days leave the denominator; a day without a
    record counts as absent. Someone excused on every day has no rate and does not complete.
    """
    attended = sum(
        1 for day in days if statuses.get(day) in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
    )
    excused = sum(1 for day in days if statuses.get(day) == AttendanceStatus.EXCUSED)
    counted = len(days) - excused
    if counted <= 0:
        return attended, excused, None, False
    # Compare exactly (4 of 5 days is exactly 80%), not through a float.
    completed = Decimal(attended) >= threshold * counted
    return attended, excused, attended / counted, completed


def preview(training_session: TrainingSession) -> list[Decision]:
    """Return what the rule decides for every enrolled participant, without storing anything."""
    enrolments = list(
        db.session.scalars(
            select(Enrolment)
            .options(selectinload(Enrolment.participant))
            .where(
                Enrolment.training_session_id == training_session.id,
                Enrolment.status == EnrolmentStatus.ENROLLED,
            )
        )
    )
    statuses: dict[int, dict[date, str]] = {enrolment.id: {} for enrolment in enrolments}
    records = db.session.execute(
        select(AttendanceRecord.enrolment_id, AttendanceRecord.day, AttendanceRecord.status)
        .join(Enrolment, AttendanceRecord.enrolment_id == Enrolment.id)
        .where(Enrolment.training_session_id == training_session.id)
    )
    for enrolment_id, day, status in records:
        if enrolment_id in statuses:
            statuses[enrolment_id][day] = status
    days = training_session.days
    threshold = threshold_of(training_session)
    decisions = []
    enrolments.sort(key=lambda e: (e.participant.latin_name or e.participant.full_name).casefold())
    for enrolment in enrolments:
        attended, excused, rate, by_rule = decide(days, statuses[enrolment.id], threshold)
        decisions.append(
            Decision(
                enrolment=enrolment,
                attended=attended,
                excused=excused,
                counted_days=len(days) - excused,
                rate=rate,
                by_rule=by_rule,
                overridden=enrolment.completion_override_reason is not None,
                # Imported past sessions have decisions but no roll; show what is stored.
                stored=is_completed(training_session),
            )
        )
    return decisions


def is_completed(training_session: TrainingSession) -> bool:
    """Return whether the session is closed, so its completion decisions stand."""
    return training_session.status == SessionStatus.COMPLETED


def decision_of(training_session: TrainingSession, enrolment: Enrolment) -> Decision | None:
    """Return the rule's decision for one enrolled person, or None for anyone not enrolled."""
    return next((d for d in preview(training_session) if d.enrolment.id == enrolment.id), None)


def can_complete(training_session: TrainingSession) -> bool:
    """Return whether the session may be completed now: open or running, its last day begun."""
    return training_session.status in (
        SessionStatus.OPEN,
        SessionStatus.IN_PROGRESS,
    ) and last_day_reached(training_session)


def _set_completed_status(training_session: TrainingSession, actor: User) -> None:
    """Move the session to completed through scheduling's life-cycle rules.

    An open session whose days are all past passes through in progress first, as it would have
    if someone had started it on its first day.
    """
    try:
        if training_session.status == SessionStatus.OPEN:
            change_status(training_session, SessionStatus.IN_PROGRESS, actor)
        change_status(training_session, SessionStatus.COMPLETED, actor)
    except SchedulingError as exc:
        raise CompletionError(str(exc)) from exc


def complete_session(training_session: TrainingSession, actor: User) -> list[Decision]:
    """Mark the session completed and store every enrolled person's completion and rate."""
    if is_completed(training_session):
        raise CompletionError(_("This session is already completed."))
    if not can_complete(training_session):
        raise CompletionError(
            _(
                "Only a session in progress or open can be completed, on or after its last "
                "day (%(day)s where it is held).",
                day=format_date(training_session.end_date, "d MMMM y"),
            )
        )
    _set_completed_status(training_session, actor)
    decisions = _store(training_session)
    db.session.flush()
    return decisions


def recompute_completion(training_session: TrainingSession) -> list[Decision]:
    """Apply the rule again after the roll changed; trainers' overrides stay as they are."""
    if not is_completed(training_session):
        raise CompletionError(_("Only a completed session has completion decisions."))
    decisions = _store(training_session)
    db.session.flush()
    return decisions


def _store(training_session: TrainingSession) -> list[Decision]:
    decisions = preview(training_session)
    for decision in decisions:
        decision.enrolment.completion_rate = decision.rate
        if not decision.overridden:
            decision.enrolment.completed = decision.by_rule
    return decisions


def override_completion(
    enrolment: Enrolment, completed: bool, reason: str, actor: User
) -> EnrolmentEvent:
    """Replace the rule's decision for one enrolment, keeping the written reason and who gave it."""
    reason = (reason or "").strip()
    if not reason:
        raise CompletionError(_("Give a reason for overriding the completion decision."))
    if not is_completed(enrolment.training_session):
        raise CompletionError(_("Complete the session before overriding a decision."))
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise CompletionError(_("Only enrolled participants have a completion decision."))
    enrolment.completed = completed
    enrolment.completion_override_reason = reason
    enrolment.completion_overridden_by_id = actor.id
    enrolment.completion_overridden_at = utcnow()
    verdict = _("completed") if completed else _("not completed")
    event = EnrolmentEvent(
        enrolment=enrolment,
        from_status=enrolment.status,
        to_status=enrolment.status,
        actor_id=actor.id,
        note=_("Completion overridden to %(verdict)s: %(reason)s", verdict=verdict, reason=reason),
    )
    db.session.add(event)
    audit.record(
        "attendance.override",
        actor=actor,
        target=enrolment,
        details={"completed": completed},
        personal={"reason": reason},
    )
    return event


def overrider_names(decisions: list[Decision]) -> dict[int, str]:
    """Return the names of the users who overrode any of these decisions, in one query."""
    from app.accounts.models import User

    ids = {d.enrolment.completion_overridden_by_id for d in decisions if d.overridden}
    ids.discard(None)
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
