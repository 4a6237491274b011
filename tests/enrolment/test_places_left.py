"""Open trainings say how many places are left, counted in one query for the whole list."""

from __future__ import annotations

import re

from app.extensions import db
from tests import factories
from tests.enrolment.helpers import enrol, participant_with_account, scene
from tests.evaluation.helpers import count_queries


def _card(page: str, code: str) -> str:
    """Return the text of the open-trainings card of one session."""
    found = re.search(rf"<article[^>]*>(?:(?!</article>).)*{code}.*?</article>", page, re.S)
    assert found, code
    return found.group(0)


def test_open_trainings_show_places_left_or_the_waiting_list(client, login):
    three = scene(capacity=3, code="OCSE-2026-KE-01")
    two = scene(capacity=2, code="OCSE-2026-KE-02")
    full = scene(capacity=1, code="OCSE-2026-KE-03")
    enrol(three.training_session, three.trainer, factories.make_participant("A"))
    enrol(two.training_session, two.trainer, factories.make_participant("B"))
    enrol(full.training_session, full.trainer, factories.make_participant("C"))
    person = participant_with_account("Amina Yusuf")
    db.session.commit()
    login(person.user)
    page = client.get("/trainings/open").get_data(as_text=True)
    assert "2 places left" in _card(page, "OCSE-2026-KE-01")
    assert "1 place left" in _card(page, "OCSE-2026-KE-02")
    assert "Waiting list only" in _card(page, "OCSE-2026-KE-03")


def test_the_open_trainings_page_counts_places_in_one_query(client, login):
    person = participant_with_account("Amina Yusuf")
    db.session.commit()
    login(person.user)

    def add_sessions(n: int) -> None:
        for _ in range(n):
            s = scene(capacity=5)
            enrol(s.training_session, s.trainer, factories.make_participant("P"))
        db.session.commit()

    add_sessions(2)
    few = count_queries(lambda: client.get("/trainings/open"))
    add_sessions(4)
    many = count_queries(lambda: client.get("/trainings/open"))
    assert many == few


def test_the_session_page_says_how_many_places_are_left(client, login):
    s = scene(capacity=2)
    enrol(s.training_session, s.trainer, factories.make_participant("A"))
    db.session.commit()
    login(s.trainer)
    page = client.get(f"/training-sessions/{s.training_session.id}").get_data(as_text=True)
    assert "1 place left" in page
    enrol(s.training_session, s.trainer, factories.make_participant("B"))
    db.session.commit()
    page = client.get(f"/training-sessions/{s.training_session.id}").get_data(as_text=True)
    assert "Waiting list only" in page
