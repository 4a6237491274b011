"""Scenes for certificate tests: a completed session with participants who finished it."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from app.enrolment.models import Enrolment
from app.extensions import db
from app.scheduling.models import PartnerOrganisation
from tests import factories


def completed_session(
    names: tuple[str, ...] = ("Zoë Øster-Łukasiewicz", "Kwame Mensah"),
    language: str = "en",
    validity_months: int | None = None,
    certificate_settings: dict | None = None,
    with_accounts: bool = True,
    code: str = "CFCAC-2026-KE-01",
) -> SimpleNamespace:
    """Build a completed session whose participants all completed it, plus one who did not."""
    scene = SimpleNamespace()
    scene.trainer = factories.make_user(roles=("trainer",), name="Amina Odhiambo")
    scene.course = factories.make_course(
        title="Investigating Online Child Sexual Exploitation",
        code="CFCAC",
        validity_months=validity_months,
        certificate=certificate_settings or {},
        modules=[("legal-frameworks", 3, ["all"]), ("digital-evidence", 6, ["all"])],
    )
    scene.partner = db.session.scalars(
        select(PartnerOrganisation).where(PartnerOrganisation.name == "Northbridge Police Academy")
    ).first() or factories.make_partner("Northbridge Police Academy")
    scene.partner.logo = "partners/northbridge-police-academy.svg"
    scene.training_session = factories.make_training_session(
        course=scene.course,
        start=date(2026, 3, 2),
        days=5,
        status="completed",
        trainers=[scene.trainer],
        code=code,
        language=language,
        city="Nairobi",
    )
    scene.training_session.partners = [scene.partner]
    scene.enrolments = []
    scene.users = []
    for name in names:
        user = None
        email = None
        if with_accounts:
            user = factories.make_user(roles=("participant",), name=name)
            email = user.email
        participant = factories.make_participant(name, email=email, user=user)
        scene.users.append(user)
        scene.enrolments.append(
            factories.make_enrolment(scene.training_session, participant, completed=True)
        )
    dropout = factories.make_participant("Dropped Out", email=None)
    scene.incomplete = factories.make_enrolment(scene.training_session, dropout, completed=False)
    db.session.flush()
    return scene


def enrolment_of(scene: SimpleNamespace, index: int = 0) -> Enrolment:
    """Return the scene's n-th completed enrolment."""
    return scene.enrolments[index]
