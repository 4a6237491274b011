"""Cached reach figures: served again until the data changes, and fresh right after it does."""

import re

import pytest
from sqlalchemy import event, insert

from app.enrolment.models import Enrolment
from app.extensions import db
from app.reporting import freshness
from app.reporting.filters import ReachFilters
from tests import factories as f
from tests.reporting.helpers import EXPECTED, build_scene


@pytest.fixture
def scene(app, login):
    scene = build_scene()
    db.session.commit()
    login(scene.manager)
    return scene


def trained(client, query: str = "") -> int:
    html = client.get(f"/reach{query}").get_data(as_text=True)
    return int(re.search(r'data-figure="participants_trained">(\d+)<', html).group(1))


def reach_statements(action) -> int:
    """Count the statements that read enrolments' reach (the expensive ones)."""
    seen = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if "reach_base" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def test_a_repeat_view_is_served_from_the_cache(client, scene):
    assert reach_statements(lambda: client.get("/reach")) == 1
    assert reach_statements(lambda: client.get("/reach")) == 0
    assert reach_statements(lambda: client.get("/reach?country=KE")) == 1  # other filters


def test_a_completion_shows_at_once(client, scene):
    assert trained(client) == EXPECTED["participants_trained"]
    carol = db.session.scalars(
        db.select(Enrolment).where(Enrolment.participant_id == scene.carol.id)
    ).one()
    carol.completed = True
    db.session.commit()
    assert trained(client) == EXPECTED["participants_trained"] + 1


def test_new_sessions_people_and_bulk_inserts_show_at_once(client, scene):
    assert trained(client) == 3
    person = f.make_participant("Gina Mwangi", "TZ")
    f.make_enrolment(scene.s1, person, completed=True)
    db.session.commit()
    assert trained(client) == 4
    other = f.make_participant("Hugo Laine", "FI")
    db.session.commit()
    version = freshness.data_version()
    db.session.execute(  # history imports write this way, past the unit of work's objects
        insert(Enrolment),
        [
            {
                "training_session_id": scene.s2.id,
                "participant_id": other.id,
                "status": "enrolled",
                "country_code": "FI",
                "completed": True,
            }
        ],
    )
    db.session.commit()
    assert freshness.data_version() == version + 1
    assert trained(client) == 5


def test_changes_reach_does_not_read_leave_the_cache(client, scene):
    trained(client)
    version = freshness.data_version()
    scene.carol.job_title = "Inspector"  # not a figure
    scene.s1.notes = "Room 4"
    db.session.commit()
    assert freshness.data_version() == version
    assert reach_statements(lambda: client.get("/reach")) == 0


def test_a_rolled_back_change_caches_nothing(client, scene):
    version = freshness.data_version()
    person = f.make_participant("Ivy Njeri", "KE")
    f.make_enrolment(scene.s1, person, completed=True)
    db.session.flush()
    # Read inside the changing transaction: computed afresh, never cached under any version.
    rows = freshness.reach_rows(ReachFilters(), ("totals", "by_country"))
    assert rows["totals"][0].participants_trained == 4
    db.session.rollback()
    assert freshness.data_version() == version
    assert trained(client) == 3


def test_a_change_recomputes_the_dashboard_in_a_job(app, client, scene):
    app.config["REACH_PRECOMPUTE"] = True  # jobs run in-process in tests, after the commit
    scene.carol.enrolments[0].completed = True
    db.session.commit()
    assert reach_statements(lambda: client.get("/reach")) == 0  # the job computed it
    assert trained(client) == 4
