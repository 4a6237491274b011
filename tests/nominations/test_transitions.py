"""The one transition table holds: random attempts by anyone never make a move it does not list."""

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.enrolment.models import EnrolmentStatus
from app.extensions import db
from app.nominations import services
from app.nominations.models import NominationStatus as S
from app.nominations.transitions import (
    ACTIVE,
    REPLACEABLE,
    TERMINAL,
    TRANSITIONS,
    Actor,
    allowed,
    next_states,
)
from app.shared.unit_of_work import DomainError
from tests.nominations.helpers import person, scene

TARGETS = [status for status in S if status != S.REPLACED]
# An attempt: make a move as one kind of actor, or record a vetting check, or replace the nominee.
ATTEMPTS = st.one_of(
    st.tuples(st.just("move"), st.sampled_from(TARGETS), st.sampled_from(list(Actor))),
    st.tuples(st.just("vet"), st.sampled_from(["cleared", "not_cleared"]), st.none()),
    st.tuples(st.just("replace"), st.none(), st.none()),
)


def test_the_table_is_well_formed():
    assert {S.DECLINED, S.ENROLLED, S.WITHDRAWN, S.REPLACED} == TERMINAL
    assert all(actors for actors in TRANSITIONS.values())
    assert all(source not in TERMINAL for source, _target in TRANSITIONS)
    # Every status is reachable from "nominated".
    reached, frontier = {S.NOMINATED}, [S.NOMINATED]
    while frontier:
        source = frontier.pop()
        for origin, target in TRANSITIONS:
            if origin == source and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(S)
    assert REPLACEABLE <= ACTIVE
    assert S.CONFIRMED in next_states(S.ACCEPTED, Actor.PARTICIPANT)
    assert not allowed(S.NOMINATED, S.ACCEPTED, Actor.STAFF)


def _attempt(data, status: S):
    """Draw an attempt: often a move the table offers from here (so deep paths are reached)."""
    offered = [
        ("move", target, actor)
        for (source, target), actors in TRANSITIONS.items()
        if source == status and target != S.REPLACED
        for actor in sorted(actors)
    ]
    if status == S.VETTING:
        offered.append(("vet", "cleared", None))
    if offered and data.draw(st.integers(0, 3), label="follow the table") > 0:
        return data.draw(st.sampled_from(offered), label="offered")
    return data.draw(ATTEMPTS, label="anything")


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), steps=st.integers(1, 16))
def test_random_attempts_only_ever_make_moves_from_the_table(app, data, steps):
    s = scene(capacity=3, seats={"KE": 2})
    nomination = services.nominate(s.call, person(), s.kenya)
    users = {
        Actor.FOCAL_POINT: s.kenya,
        Actor.STAFF: s.trainer,
        Actor.PARTICIPANT: nomination.participant.user,
    }
    for _step in range(steps):
        before = S(nomination.status)
        kind, target, actor_kind = _attempt(data, before)
        savepoint = db.session.begin_nested()
        try:
            if kind == "move":
                services.apply_move(nomination, target, users[actor_kind], actor_kind, "reason")
            elif kind == "vet":
                services.record_vetting(
                    nomination, s.trainer, outcome=target, checked_on=date(2026, 1, 5)
                )
            else:
                services.replace_nominee(nomination, person(), s.kenya)
        except DomainError:
            savepoint.rollback()
        else:
            savepoint.commit()
        after = S(nomination.status)
        if after != before:
            who = Actor.FOCAL_POINT if kind == "replace" else actor_kind
            assert allowed(before, after, who), f"{before} -> {after} by {who}"
        if before in TERMINAL:
            assert after == before
        if after == S.ENROLLED:
            assert nomination.enrolment is not None
            assert nomination.enrolment.status == EnrolmentStatus.ENROLLED
        else:
            assert nomination.enrolment is None
    db.session.rollback()
