"""The trainer's session report: written from the last day, revised, read on the session's page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.evaluation.models import TrainerReport
from app.extensions import db
from tests import factories
from tests.evaluation.helpers import LAST_DAY, session_with_people, set_today

REPORT = {
    "q_objectives-met": "4",
    "q_group-level": "1",
    "q_venue": "2",
    "q_modules-short": ["1", "3"],
    "q_recommendations": "A second exercise room.",
}


def test_a_trainer_writes_then_revises_the_report_others_read_it(app, client, login, monkeypatch):
    trainer = factories.make_user(roles=("trainer",), name="Tess Trainer")
    training_session, _ = session_with_people(0, trainers=[trainer])
    db.session.commit()
    login(trainer)
    url = f"/evaluation/sessions/{training_session.id}/trainer-report"
    set_today(monkeypatch, LAST_DAY - timedelta(days=1))
    client.post(url, data=REPORT)
    assert db.session.scalar(select(db.func.count(TrainerReport.id))) == 0  # too early
    set_today(monkeypatch, LAST_DAY)
    assert client.post(url, data=REPORT).status_code == 302
    assert client.post(url, data={**REPORT, "q_venue": "5"}).status_code == 302
    report = db.session.scalars(select(TrainerReport)).one()
    assert report.answers["venue"] == "5" and report.answers["modules-short"] == ["1", "3"]
    assert 'checked id="q_venue-4"' in client.get(url).text  # the revision is shown back
    login(factories.make_user(roles=("manager",)))
    page = client.get(f"/evaluation/sessions/{training_session.id}").text
    assert "Tess Trainer" in page and "A second exercise room." in page
    assert "Online investigation, Victim identification" in page
