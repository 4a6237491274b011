"""What a national focal point's pages read and do: their calls, the people they may nominate.

Built on queries.py and services.py; everything here is scoped to the focal point's countries
(and agency types), so another country's people never reach their pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import format_timedelta
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, true

from app.accounts.focal_points import focal_point_scope
from app.curriculum.labels import AUDIENCE_LABELS
from app.enrolment.labels import LANGUAGES
from app.enrolment.models import Participant
from app.enrolment.queries import SEARCH_LIMIT, participant_search
from app.extensions import db
from app.nominations import queries, services
from app.nominations.models import Nomination, NominationCall
from app.nominations.models import NominationStatus as S
from app.nominations.permissions import focal_countries_in
from app.nominations.transitions import ACTIVE, Actor
from app.shared import clock
from app.shared.agency_types import AGENCY_LABELS

if TYPE_CHECKING:
    from app.accounts.models import User

# The moves a focal point makes with a plain button on the call page (replace has its own page).
FOCAL_MOVES = (S.ENDORSED, S.WITHDRAWN)


@dataclass(frozen=True)
class CallLine:
    """One call on the focal point's list: the deadline, the time left, their countries' seats."""

    call: NominationCall
    deadline: str
    time_left: str | None  # None once the deadline has passed
    tallies: Sequence[queries.CountryTally]


def time_left(call: NominationCall) -> str | None:
    """Return the time left to nominate in words ("in 3 days"), or None after the deadline."""
    if not services.before_deadline(call):
        return None
    return format_timedelta(call.deadline_at - clock.now(), add_direction=True)


def calls_of(user: User, *, open_only: bool = False) -> list[CallLine]:
    """Return the focal point's calls with their own countries' figures, open ones first."""
    lines = [
        CallLine(
            call,
            services.deadline_text(call),
            time_left(call),
            queries.country_tallies(call, focal_countries_in(user, call)),
        )
        for call in queries.calls_for_focal_point(user)
    ]
    if open_only:
        lines = [line for line in lines if line.time_left is not None]
    return sorted(lines, key=lambda line: line.time_left is None)


def _in_scope(user: User, call: NominationCall):
    """Return the condition on people the focal point may nominate to the call."""
    scope = focal_point_scope(user)
    agencies = Participant.agency_type.in_(scope.agency_types) if scope.agency_types else true()
    return and_(Participant.country_code.in_(focal_countries_in(user, call)), agencies)


def people_to_nominate(user: User, call: NominationCall, text: str) -> list[Participant]:
    """Find the focal point's people by name or email (folded as the directory), not nominated."""
    text = (text or "").strip()
    if not text:
        return []
    taken = select(Nomination.participant_id).where(Nomination.call_id == call.id)
    return list(
        db.session.scalars(
            select(Participant)
            .where(
                _in_scope(user, call),
                or_(participant_search(text), Participant.email == text.lower()),
                Participant.id.not_in(taken),
            )
            .order_by(Participant.full_name)
            .limit(SEARCH_LIMIT)
        )
    )


def moves_for(nomination: Nomination) -> list[str]:
    """Return the moves the call page offers the focal point for this nominee (the table's)."""
    return [move for move in FOCAL_MOVES if services.can_move(nomination, move, Actor.FOCAL_POINT)]


def can_replace(nomination: Nomination) -> bool:
    """Return whether the focal point may still put someone else in this nominee's place."""
    return services.can_move(nomination, S.REPLACED, Actor.FOCAL_POINT) and (
        services.before_deadline(nomination.call)
    )


def can_reorder(nomination: Nomination) -> bool:
    """Return whether the nominee is still in the running, so their priority means something."""
    return nomination.status in ACTIVE


def vetting_outcome(nomination: Nomination) -> str | None:
    """Return the latest vetting outcome code (cleared / not cleared) and nothing else."""
    checks = nomination.vetting_checks
    return checks[-1].outcome if checks else None


def move_priority(nomination: Nomination, step: int, actor: User) -> None:
    """Move a nominee one place up (-1) or down (+1) in the country's order."""
    if not can_reorder(nomination):
        raise services.NominationError(
            _("Only a nominee still in the running has a place in the order.")
        )
    services.set_priority(nomination, max(nomination.priority + step, 1), actor)


def call_criteria(call: NominationCall) -> list[str]:
    """Return what the call asks of nominees, in words, for the focal point's call page."""
    said = []
    if call.audiences:
        names = ", ".join(str(AUDIENCE_LABELS.get(code, code)) for code in call.audiences)
        said.append(_("Audience: %(names)s", names=names))
    if call.agency_types:
        names = ", ".join(str(AGENCY_LABELS.get(code, code)) for code in call.agency_types)
        said.append(_("Agency: %(names)s", names=names))
    if call.min_years_of_service is not None:
        said.append(_("At least %(n)d years of service", n=call.min_years_of_service))
    if call.working_language:
        language = LANGUAGES.get(call.working_language, call.working_language)
        said.append(_("Works in %(language)s", language=language))
    if call.women_target_percent is not None:
        said.append(_("Target share of women: %(n)d%%", n=call.women_target_percent))
    return said
