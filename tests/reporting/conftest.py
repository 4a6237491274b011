"""Fixtures of the reporting tests: an audit trail to search and page through."""

import pytest

from app.audit import services as audit
from app.extensions import db
from tests import factories


@pytest.fixture
def trail(app):
    """Entries by two staff about two people in two sessions: a trainer about Amina in KE-01,
    an administrator about Joseph in UG-02."""
    admin = factories.make_user(roles=("admin",), email="admin@example.org")
    trainer = factories.make_user(roles=("trainer",), email="ruth.trainer@example.org", name="Ruth")
    first = factories.make_training_session(code="AUD-2026-KE-01")
    second = factories.make_training_session(code="AUD-2026-UG-02")
    amina = factories.make_participant("Amina Odhiambo", email="amina@example.org")
    joseph = factories.make_participant("Joseph Okello")
    approved = audit.record(
        "enrolment.approved", actor=trainer, target=factories.make_enrolment(first, amina)
    )
    issued = audit.record(
        "certificate.issued", actor=admin, target=factories.make_enrolment(second, joseph)
    )
    db.session.commit()
    return {
        "admin": admin,
        "trainer": trainer,
        "approved": approved,
        "issued": issued,
        "first": first,
        "amina": amina,
    }
