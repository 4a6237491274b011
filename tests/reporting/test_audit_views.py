"""The administrator's audit page: filters, pages and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit import services
from app.audit.models import AuditEntry
from app.extensions import db
from tests import factories


def _rows(html: str) -> int:
    return html.count("<tr>") - 1  # minus the header row


def test_page_lists_newest_first(client, login, trail):
    login(trail["admin"])
    html = client.get("/admin/audit").get_data(as_text=True)
    assert html.index("certificate.issued") < html.index("enrolment.approved")
    assert "ruth.trainer@example.org" in html
    assert "Amina Odhiambo" in html
    assert "AUD-2026-KE-01" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"person": "amina"}, "enrolment.approved", "certificate.issued"),  # a person's name
        ({"person": "AMINA@example"}, "enrolment.approved", "certificate.issued"),  # their email
        ({"person": "ruth"}, "enrolment.approved", "certificate.issued"),  # the actor's name
        ({"person": "%"}, None, "enrolment.approved"),  # wildcards match themselves only
        ({"session": "aud-2026-ug-02"}, "certificate.issued", "enrolment.approved"),
        ({"action": "certificate.issued"}, "certificate.issued", "enrolment.approved"),
    ],
)
def test_page_filters(client, login, trail, query, shown, hidden):
    login(trail["admin"])
    html = client.get("/admin/audit", query_string=query).get_data(as_text=True)
    if shown:
        assert f"<code>{shown}</code>" in html
    assert f"<code>{hidden}</code>" not in html


def test_filter_by_session_number(client, login, trail):
    login(trail["admin"])
    number = trail["issued"].training_session_id
    html = client.get("/admin/audit", query_string={"session": number}).get_data(as_text=True)
    assert (_rows(html), "<code>certificate.issued</code>" in html) == (1, True)


def test_filter_by_dates(client, login, trail, app):
    login(trail["admin"])
    old = AuditEntry(action="account.login", at=datetime(2020, 5, 1, 23, 30, tzinfo=UTC))
    db.session.add(old)
    db.session.commit()
    query = {"date_from": "2020-05-01", "date_to": "2020-05-01"}
    html = client.get("/admin/audit", query_string=query).get_data(as_text=True)
    assert "<code>account.login</code>" in html and _rows(html) == 1
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    html = client.get("/admin/audit", query_string={"date_from": tomorrow}).get_data(as_text=True)
    assert "No entry matches." in html


def test_malformed_filters_are_ignored_with_a_message(client, login, trail):
    login(trail["admin"])
    response = client.get(
        "/admin/audit", query_string={"date_from": "2026-13-45", "session": "9" * 30}
    )
    assert response.status_code == 200
    assert "Not a valid date value." in response.get_data(as_text=True)
    # A page number beyond any integer column is a bad request naming the field.
    response = client.get("/admin/audit", query_string={"page": "9" * 30})
    assert response.status_code == 400 and "page" in response.get_data(as_text=True)


def test_pages_of_fifty(client, login, trail):
    login(trail["admin"])
    for _n in range(55):
        services.record("participant.viewed", actor=trail["trainer"])
    db.session.commit()
    first = client.get("/admin/audit").get_data(as_text=True)
    second = client.get("/admin/audit", query_string={"page": 2}).get_data(as_text=True)
    assert (_rows(first), _rows(second)) == (50, 7)
    assert "Page 1 of 2" in first


def test_a_long_trail_is_counted_only_a_few_pages_ahead(client, login, trail, monkeypatch):
    from app.shared import paging

    monkeypatch.setattr(paging, "COUNT_AHEAD", 3)
    login(trail["admin"])
    for _n in range(60):
        services.record("participant.viewed", actor=trail["trainer"])
    db.session.commit()
    first = client.get("/admin/audit").get_data(as_text=True)
    assert _rows(first) == 50
    assert "More than 3 entries" in first
    assert "Page 1</span>" in first and "Page 1 of" not in first
    assert 'href="/admin/audit?page=2" rel="next"' in first
    # Only the filters travel: a crafted query cannot turn the links into other sites' URLs.
    crafted = client.get("/admin/audit?_external=1&_scheme=https&action=participant.viewed")
    assert (
        'href="/admin/audit?page=2&amp;action=participant.viewed" rel="next"'
        in crafted.get_data(as_text=True)
    )
    # Where the end is in reach, the page counts it and names the last page.
    second = client.get("/admin/audit", query_string={"page": 2}).get_data(as_text=True)
    assert "Page 2 of 2" in second and "entries" in second and "More than" not in second


def test_export_is_filtered_neutralised_and_recorded(client, login, trail):
    admin = login(trail["admin"])
    services.record(
        "import.participants",
        actor=trail["trainer"],
        training_session=trail["approved"].training_session_id,
        personal={"filename": '=HYPERLINK("http://x")'},
    )
    db.session.commit()
    response = client.get("/admin/audit.csv", query_string={"session": "AUD-2026-KE-01"})
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["Action"] for row in rows] == ["import.participants", "enrolment.approved"]
    assert {row["Session"] for row in rows} == {"AUD-2026-KE-01"}
    assert rows[0]["Details"].startswith('{"personal"')

    attacker = factories.make_user(roles=("trainer",), email="=1+cmd|' /C calc'!A0@example.org")
    services.record("export.enrolments", actor=attacker)
    db.session.commit()
    rows = list(csv.DictReader(io.StringIO(client.get("/admin/audit.csv").get_data(as_text=True))))
    assert "'=1+cmd|' /c calc'!a0@example.org" in [row["Actor"] for row in rows]

    exported = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "export.audit")
    ).all()
    assert [entry.actor_id for entry in exported] == [admin.id, admin.id]
    assert exported[0].details == {"rows": 2}


def test_audit_link_in_the_admin_menu_only(client, login, trail):
    login(trail["trainer"])
    assert "/admin/audit" not in client.get("/training-sessions").get_data(as_text=True)
    login(trail["admin"])
    assert "/admin/audit" in client.get("/training-sessions").get_data(as_text=True)
