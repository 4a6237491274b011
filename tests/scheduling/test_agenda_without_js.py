"""The agenda editor works without JavaScript: plain buttons add, move and remove lines."""

from __future__ import annotations

import re

from app.extensions import db
from app.scheduling import services
from tests import factories
from tests.scheduling.helpers import details


def _rows(page: str) -> list[tuple[str, str]]:
    """Return each line's (day, module id) as the page shows them, in order."""
    day = r'<select id="agenda-(\d+)-day".*?<option selected value="([^"]*)"'
    days = re.findall(day, page, re.S)
    modules = dict(
        re.findall(
            r'<select id="agenda-(\d+)-course_module_id".*?<option selected value="([^"]*)"',
            page,
            re.S,
        )
    )
    return [(day, modules.get(index, "")) for index, day in days]


def test_lines_are_added_moved_and_removed_by_plain_buttons(client, login):
    trainer = factories.make_user(roles=("trainer",), name="Tess Trainer")
    course = factories.make_course(code="CFCAC", title="Countering Online Exploitation")
    ts = services.create_training_session(course, details(trainer), trainer)
    db.session.commit()
    intro, evidence, _special = course.current_version.modules
    login(trainer)
    url = f"/training-sessions/{ts.id}/agenda"
    page = client.get(url).get_data(as_text=True)
    assert 'name="row_action" value="add"' in page and 'value="down-0"' in page
    rows = {
        "agenda-0-day": "2026-03-02",
        "agenda-0-course_module_id": str(intro.id),
        "agenda-0-hours": "",
    }
    page = client.post(url, data={**rows, "row_action": "add"}).get_data(as_text=True)
    assert _rows(page) == [("2026-03-02", str(intro.id)), ("2026-03-02", "")]
    rows |= {"agenda-1-day": "2026-03-03", "agenda-1-course_module_id": str(evidence.id)}
    page = client.post(url, data={**rows, "row_action": "up-1"}).get_data(as_text=True)
    assert _rows(page) == [("2026-03-03", str(evidence.id)), ("2026-03-02", str(intro.id))]
    page = client.post(url, data={**rows, "row_action": "remove-0"}).get_data(as_text=True)
    assert _rows(page) == [("2026-03-03", str(evidence.id))]
    db.session.refresh(ts)
    assert ts.agenda_items == []  # nothing is saved until "Save agenda"
    assert client.post(url, data=rows).status_code == 302
    db.session.refresh(ts)
    assert [item.course_module_id for item in ts.agenda_items] == [intro.id, evidence.id]


def test_enter_in_a_field_saves_rather_than_moving_a_line(client, login):
    trainer = factories.make_user(roles=("trainer",), name="Tess Trainer")
    course = factories.make_course(code="CFCAC", title="Countering Online Exploitation")
    ts = services.create_training_session(course, details(trainer), trainer)
    db.session.commit()
    login(trainer)
    page = client.get(f"/training-sessions/{ts.id}/agenda").get_data(as_text=True)
    form = page[page.index('<form method="post" class="agenda-form"') :]
    first_submit = re.search(r"<(?:button|input)[^>]*type=\"submit\"[^>]*>", form).group(0)
    assert 'name="submit"' in first_submit
