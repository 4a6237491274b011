"""Reading the reach pages writes nothing: the target list is seeded with the schema."""

import pytest
from sqlalchemy import delete, event

from app.extensions import db
from app.reporting.models import TargetCountry
from app.shared.regions import interpol_members
from tests.reporting.helpers import build_scene

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def writes(app):
    """Collect every INSERT, UPDATE or DELETE the database is sent while the test runs."""
    seen: list[str] = []

    def _record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(WRITES):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", _record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", _record)


def test_a_new_schema_already_holds_interpol_members_as_targets(app):
    codes = {target.country_code for target in db.session.query(TargetCountry)}
    assert codes == set(interpol_members()) and len(codes) == 196


@pytest.mark.parametrize("emptied", [False, True], ids=["seeded", "emptied"])
@pytest.mark.parametrize("path", ["/reach", "/reach/countries/KE", "/reach/targets"])
def test_reach_pages_answer_without_writing(app, client, login, writes, path, emptied):
    scene = build_scene()
    if emptied:  # a list a manager emptied stays empty: reading it does not refill it
        db.session.execute(delete(TargetCountry))
    db.session.commit()
    login(scene.manager)
    writes.clear()
    response = client.get(path)
    assert response.status_code == 200
    assert writes == []


def test_the_listener_sees_writes(app, client, login, writes):
    scene = build_scene()
    db.session.commit()
    login(scene.manager)
    writes.clear()
    client.post("/reach/targets", data={"countries": ["KE", "FR"]})
    assert any(statement.startswith("DELETE") for statement in writes)
