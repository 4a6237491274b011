"""The audit CSV's headings are in the administrator's language; actions and codes are not."""

import csv
import io

import pytest

HEADINGS = {
    "fr": ("Action", "Session", "Détails"),
    "ar": ("الإجراء", "الدورة التدريبية", "التفاصيل"),
}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_audit_csv_headings_follow_the_language_and_codes_do_not(client, login, trail, language):
    login(trail["admin"])
    client.set_cookie("language", language)
    body = client.get("/admin/audit.csv", query_string={"session": "AUD-2026-KE-01"}).get_data(
        as_text=True
    )
    action, session, details = HEADINGS[language]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and {row[session] for row in rows} == {"AUD-2026-KE-01"}
    assert "enrolment.approved" in {row[action] for row in rows}
    assert all(row[details].startswith("{") for row in rows)
    assert "Details" not in body.splitlines()[0]
