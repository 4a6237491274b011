"""A person's nominations, vetting checks and follow-up answers are in their export and erasure."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

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
