"""Erasing people changes no reach figure: the counts rest on de-identified facts."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from sqlalchemy import select

from app.enrolment.models import EnrolmentEvent, Participant
from app.extensions import db
from app.privacy import services
from app.reporting import services as reporting
from app.reporting.filters import parse_filters
from tests.reporting.helpers import add_bulk, build_scene
from tests.world import build_world

# Every figure under the whole programme and under each kind of filter.
FILTERS = [
    {},
    {"from": "2024-01-01"},
    {"to": "2023-12-31"},
    {"course": "course-a"},
    {"course": "world-course"},
    {"region": "Africa"},
    {"region": "Eastern Africa"},
    {"agency_type": "police"},
    {"agency_type": "prosecution"},
    {"partner": "Regional Police Academy"},
    {"host_country": "UG"},
    {"country": "KE"},
    {"country": "RW"},
]


def _figures() -> list:
    """Return every reach table (totals, country, region, year, agency, gender, course)."""
    everything = []
    for args in FILTERS:
        reach = asdict(reporting.compute_reach(parse_filters(args)))
        reach.pop("filters")
        everything.append((args, reach))
    for country in ("KE", "RW", "UG"):
        page = reporting.country_reach(country, parse_filters({}))
        page_reach = asdict(page.reach)
        page_reach.pop("filters")
        everything.append((country, page_reach, len(page.sessions)))
    return everything


@pytest.fixture
def world(app):
    world = build_world()
    scene = build_scene()
    add_bulk(6)
    # The world's session is finished, so that its people count too.
    world.training_session.status = "completed"
    # Give Bob a merge note and an override, as real records have.
    bob_enrolment = scene.bob.enrolments[0]
    bob_enrolment.completion_override_reason = "Bob made up the missed day"
    bob_enrolment.events.append(EnrolmentEvent(to_status="enrolled", note="Bob, by phone"))
    db.session.commit()
    return world, scene


def test_every_reach_figure_is_identical_after_erasing_several_people(world):
    world, scene = world
    before = _figures()
    assert before[0][1]["totals"]["participants_trained"] > 10  # a world worth counting
    erased = [
        world.owner_participant,  # an account, attendance and a certificate
        scene.alice,  # trained twice from Kenya
        scene.bob,  # trained from Kenya, then from Rwanda
        scene.carol,  # did not complete
        scene.fay,
        *db.session.scalars(
            select(Participant).where(Participant.full_name.like("Bulk Person 0 %"))
        ),
    ]
    for participant in erased:
        services.erase(participant, world.users["admin"], "Asked to be erased")
    db.session.commit()
    db.session.expire_all()
    assert all(services.is_erased(p) for p in erased)
    after = _figures()
    for (label, *figures_before), (_label, *figures_after) in zip(before, after, strict=True):
        assert figures_after == figures_before, label
