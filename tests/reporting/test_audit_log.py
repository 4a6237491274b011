"""Searching the audit trail by person, session and action, as the administrator's page does."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.extensions import db
from app.reporting import audit_log
from tests import factories


def _actions(filters: audit_log.AuditFilters) -> list[str]:
    return [entry.action for entry in db.session.scalars(audit_log.filtered(filters))]


def test_filters_by_a_persons_name_email_or_the_actors_name(trail):
    assert _actions(audit_log.AuditFilters(person="odhiambo")) == ["enrolment.approved"]
    assert _actions(audit_log.AuditFilters(person="AMINA@EX")) == ["enrolment.approved"]
    assert _actions(audit_log.AuditFilters(person="ruth")) == ["enrolment.approved"]
    assert _actions(audit_log.AuditFilters(person="_")) == []  # LIKE wildcards match themselves


def test_filters_by_session_code_or_number_and_by_action(trail):
    number = str(trail["first"].id)
    assert _actions(audit_log.AuditFilters(training_session="aud-2026-ke-01")) == [
        "enrolment.approved"
    ]
    assert _actions(audit_log.AuditFilters(training_session=number)) == ["enrolment.approved"]
    assert _actions(audit_log.AuditFilters(action="certificate.issued")) == ["certificate.issued"]
    assert _actions(audit_log.AuditFilters()) == ["certificate.issued", "enrolment.approved"]


def test_a_pages_lines_name_their_sessions_and_people_also_when_filtered(trail):
    by_session = audit_log.AuditFilters(training_session="AUD-2026-KE-01")
    by_person = audit_log.AuditFilters(person="amina")
    for filters in (audit_log.AuditFilters(action="enrolment.approved"), by_session, by_person):
        page = audit_log.page_of(filters, 1)
        (line,) = [line for line in page.items if line.action == "enrolment.approved"]
        assert (line.session_code, line.person_name) == ("AUD-2026-KE-01", "Amina Odhiambo")
        assert page.total == len(page.items)


def test_a_page_number_out_of_range_gives_an_empty_page(trail):
    assert [e.action for e in audit_log.page_of(audit_log.AuditFilters(), 0).items] == [
        "certificate.issued",
        "enrolment.approved",
    ]
    assert audit_log.page_of(audit_log.AuditFilters(), 7).items == []


def test_export_csv_names_the_session_and_counts_rows(trail):
    body, count = audit_log.export_csv(audit_log.AuditFilters(action="enrolment.approved"))
    [row] = list(csv.DictReader(io.StringIO(body)))
    assert count == 1
    assert (row["Action"], row["Session"]) == ("enrolment.approved", "AUD-2026-KE-01")


def test_known_actions_are_the_codes_on_the_trail(trail):
    assert audit_log.known_actions() == ["certificate.issued", "enrolment.approved"]


def test_record_read_commits_the_entry_on_its_own(app):
    reader = factories.make_user(roles=("admin",))
    db.session.commit()
    audit.record_read("export.audit", actor=reader, details={"rows": 0})
    db.session.rollback()  # nothing left to undo: the entry is already committed
    count = db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.action == "export.audit")
    )
    assert count == 1
