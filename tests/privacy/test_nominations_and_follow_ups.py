"""A person's nominations, vetting checks and follow-up answers are in their export and erasure."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

from sqlalchemy import select

from app.evaluation.models import FollowUpObservation
from app.extensions import db
from app.nominations import services as nominations
from app.privacy import services
from tests import factories
from tests.nominations.helpers import person, scene, vetted

NOW = datetime(2026, 3, 1, 12, 0)


def _exported(who: services.Person) -> dict[str, list]:
    archive = zipfile.ZipFile(io.BytesIO(services.export_zip(who, NOW)))
    return {
        name.removesuffix(".json"): json.loads(archive.read(name))
        for name in archive.namelist()
        if name.endswith(".json")
    }


def test_a_nominees_export_holds_the_justification_and_vetting_and_erasure_blanks_it(app):
    s = scene()
    nominee = person("Zawadi Nominee")
    nomination = nominations.nominate(
        s.call, nominee, s.kenya, justification="Zawadi leads the Kisumu cyber unit"
    )
    vetted(s, nomination)
    nominations.decline(nomination, s.trainer, "Zawadi is needed at home this month")
    db.session.commit()

    files = _exported(services.Person.of_participant(nominee))
    (row,) = files["nominations"]
    assert row["justification"] == "Zawadi leads the Kisumu cyber unit"
    assert row["decision_reason"] == "Zawadi is needed at home this month"
    assert [check["external_reference"] for check in files["vetting_checks"]] == ["R1"]

    admin = factories.make_user(roles=("admin",))
    services.erase(nominee, admin, "asked by the person")
    db.session.commit()
    db.session.refresh(nomination)
    assert nomination.justification == "" and nomination.decision_reason is None


def test_a_focal_points_export_holds_their_follow_up_answers(app):
    observer = factories.make_user(roles=("focal_point",), name="Faith Observer")
    training_session = factories.make_training_session()
    db.session.add(
        FollowUpObservation(
            instrument="follow-up",
            training_session=training_session,
            country_code="KE",
            observer=observer,
            answers={"q1": "Faith saw the unit use the new procedure"},
            submitted_on=date(2026, 2, 1),
        )
    )
    db.session.commit()
    (row,) = _exported(services.Person.of_user(observer))["follow_up_observations"]
    assert row["answers"] == {"q1": "Faith saw the unit use the new procedure"}


def _supervised_officer():
    officer = factories.make_participant("Zawadi Officer", email="zawadi@example.org")
    officer.supervisor_name = "Chief Inspector Otieno"
    officer.supervisor_email = "otieno@example.org"
    training_session = factories.make_training_session()
    enrolment = factories.make_enrolment(training_session, officer)
    db.session.add(
        FollowUpObservation(
            kind="supervisor",
            instrument="follow-up-3m",
            training_session=training_session,
            country_code="KE",
            enrolment_id=enrolment.id,
            observer_name=officer.supervisor_name,
            observer_email=officer.supervisor_email,
            answers={"applied": "4", "example": "Zawadi now briefs the unit weekly"},
            submitted_on=date(2026, 6, 13),
        )
    )
    db.session.commit()
    return officer


def test_an_officers_export_holds_the_supervisors_answers_without_the_supervisor(app):
    officer = _supervised_officer()
    (row,) = _exported(services.Person.of_participant(officer))["follow_up_observations"]
    assert row["answers"]["example"] == "Zawadi now briefs the unit weekly"
    assert "Otieno" not in json.dumps(row) and "otieno@example.org" not in json.dumps(row)


def test_erasing_an_officer_deletes_the_supervisors_answers_about_them(app):
    officer = _supervised_officer()
    admin = factories.make_user(roles=("admin",))
    services.erase(officer, admin, "asked to be forgotten")
    db.session.commit()
    assert db.session.scalars(select(FollowUpObservation)).all() == []
