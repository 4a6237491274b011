"""Who may answer, enter and read evaluations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.accounts.focal_points import focal_point_countries, focal_point_scope
from app.enrolment.permissions import can_manage_enrolments, can_view_enrolments
from app.evaluation.services import officer_groups, place_of
from app.shared.roles import RoleCode, signed_in

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.scheduling.models import TrainingSession


def can_answer(user: User | None, training_session: TrainingSession) -> bool:
    """Participants holding a place in the session answer its survey and tests."""
    return signed_in(user) and place_of(user, training_session) is not None


def can_enter_scores(user: User | None, training_session: TrainingSession) -> bool:
    """Let the session's trainers (and administrators) print paper tests and enter scores."""
    return can_manage_enrolments(user, training_session)


def can_view_session_evaluation(user: User | None, training_session: TrainingSession) -> bool:
    """Those who see the session's enrolments see its evaluation (small groups still hidden)."""
    return can_view_enrolments(user, training_session)


def can_view_programme_evaluation(user: User | None) -> bool:
    """Programme managers and administrators read evaluation across courses and countries."""
    return signed_in(user) and user.has_role(RoleCode.MANAGER)


def indicator_countries(user: User | None) -> frozenset[str] | None:
    """Return the countries whose indicators the user enters: None for every country."""
    if signed_in(user) and user.has_role(RoleCode.MANAGER):
        return None
    return focal_point_countries(user) if signed_in(user) else frozenset()


def can_enter_indicators(user: User | None, country_code: str | None = None) -> bool:
    """Let managers enter any country's annual indicators, and a focal point their own."""
    countries = indicator_countries(user)
    if countries is None:
        return True
    return country_code in countries if country_code else bool(countries)


def can_observe(user: User | None, training_session: TrainingSession, country_code: str) -> bool:
    """Let a focal point answer a follow-up about the session's officers they act for.

    The answers are per country, so an agency-limited focal point answers only when officers
    of their agencies attended; otherwise they would speak for other agencies' officers.
    """
    if not signed_in(user):
        return False
    scope = focal_point_scope(user)
    return any(
        code == country_code and scope.covers(code, agency_type)
        for code, agency_type in officer_groups(training_session)
    )
