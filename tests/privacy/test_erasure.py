"""An administrator erases a person: no name, address or note remains; the figures stay."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.certificates.models import Certificate
from app.enrolment.models import Participant
from app.extensions import db
from app.privacy import services
from tests import factories
from tests.privacy.helpers import person_with_history


@pytest.fixture
def person(app):
    person = person_with_history()
    db.session.commit()
    return person


def _traces(*needles: str) -> list[str]:
    """Return where any of the strings still appears in any table of the database."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column, value in row.items():
                text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                found += [
                    f"{table.name}.{column}: {needle!r}"
                    for needle in needles
                    if needle.casefold() in text.casefold()
                ]
    return found


def test_erasure_leaves_no_trace_of_the_name_email_organisation_or_notes(person):
    assert _traces("Zawadi", person.email, "Kisumu", "Detective")  # the probe sees them first
    services.erase(person.participant, person.admin, "The person asked to be erased.")
    db.session.commit()
    db.session.expire_all()
    assert _traces("Zawadi", person.email, "Kisumu", "Detective") == []


def test_erasure_revokes_certificates_and_closes_the_account(person):
    version = person.user.session_version
    services.erase(person.participant, person.admin, "Request of 2 March")
    db.session.commit()
    certificate = db.session.get(Certificate, person.certificate.id)
    assert certificate.revoked_at is not None
    assert certificate.revocation_reason == "erased"
    assert certificate.revoked_by_id == person.admin.id
    assert certificate.content["name"] == f"Erased person {person.participant.id}"
    assert certificate.pdf == b""
    user = db.session.get(User, person.user.id)
    assert not user.active and user.password_hash is None
    assert user.email == f"erased-{user.id}@erased.invalid"
    assert user.session_version > version  # every device and remember cookie is signed out
    participant = db.session.get(Participant, person.participant.id)
    assert participant.email is None and participant.organisation == ""
    assert (participant.country_code, participant.agency_type) == ("KE", "police")
    assert services.is_erased(participant)


def test_erased_people_never_look_like_duplicates_of_each_other(person):
    other = factories.make_participant("Second Person", "KE")
    services.erase(person.participant, person.admin, "asked")
    services.erase(other, person.admin, "asked")
    db.session.commit()
    assert person.participant.name_key != other.name_key


def test_erasure_is_recorded_with_its_reason_and_without_the_name(person):
    services.erase(person.participant, person.admin, "Request of 2 March")
    db.session.commit()
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "privacy.erasure")
    ).one()
    assert entry.actor_id == person.admin.id
    assert entry.participant_id == person.participant.id
    assert entry.details["reason"] == "Request of 2 March"
    assert "Zawadi" not in str(entry.as_dict())
    # The person's own entries keep their action and lose who-as-text.
    login = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "account.login")).one()
    assert login.actor_label is None


def test_a_reason_is_required(person):
    with pytest.raises(services.PrivacyError):
        services.erase(person.participant, person.admin, "   ")


def test_an_account_with_a_staff_role_is_not_erased_as_a_participant(person):
    person.user.roles = person.user.roles | {"trainer"}
    with pytest.raises(services.PrivacyError, match="staff roles"):
        services.erase(person.participant, person.admin, "asked")


# --- the page: a reason, then a confirmation step ----------------------------------------


def test_the_page_asks_for_a_reason_then_confirms_then_erases(client, login, person):
    login(person.admin)
    url = f"/participants/{person.participant.id}/erase"
    page = client.get(url).get_data(as_text=True)
    assert "1 valid certificate will be revoked" in page

    missing = client.post(url, data={"reason": ""}).get_data(as_text=True)
    assert "Give the reason" in missing

    confirm = client.post(url, data={"reason": "Asked by email"}).get_data(as_text=True)
    assert "Erase permanently" in confirm and "Asked by email" in confirm
    db.session.expire_all()
    assert db.session.get(Participant, person.participant.id).full_name == person.name

    done = client.post(url, data={"reason": "Asked by email", "confirmed": "y"})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/participants/{person.participant.id}")
    db.session.expire_all()
    assert services.is_erased(db.session.get(Participant, person.participant.id))


def test_the_erased_user_is_signed_out(client, login, person):
    login(person.user)
    assert client.get("/profile").status_code == 200
    services.erase(person.participant, person.admin, "asked")
    db.session.commit()
    assert client.get("/profile").status_code == 302


def test_erasure_discards_stored_sheets_that_print_names(person):
    from app.documents.models import RenderedDocument

    db.session.add_all(
        [
            RenderedDocument(kind="sign_in_sheet", requested_by=person.trainer, pdf=b"%PDF names"),
            RenderedDocument(kind="reach_report", requested_by=person.trainer, pdf=b"%PDF figures"),
        ]
    )
    db.session.commit()
    services.erase(person.participant, person.admin, "The person asked to be erased.")
    db.session.commit()
    kinds = db.session.scalars(select(RenderedDocument.kind)).all()
    assert kinds == ["reach_report"]


def test_erasure_stops_the_persons_calendar_feed(client, person):
    from app.scheduling import services as scheduling

    secret = scheduling.issue_calendar_feed(person.user)
    db.session.commit()
    assert scheduling.calendar_feed_owner(secret) == person.user
    services.erase(person.participant, person.admin, "The person asked to be erased.")
    db.session.commit()
    assert scheduling.calendar_feed_owner(secret) is None
