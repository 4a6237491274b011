"""A paper-roll template downloaded in French or Arabic keeps its header and reads back."""

import csv
import io

import pytest

from tests.attendance.test_upload import _plan, app_overrides, scene  # noqa: F401 - fixtures

HEADERS = {
    "fr": ["Session", "Participant", "Courriel", "Nom complet", "Date", "Statut"],
    "ar": ["الدورة التدريبية", "مشارك", "البريد الإلكتروني", "الاسم الكامل", "التاريخ", "الحالة"],
}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_translated_template_keeps_codes_and_reads_back(client, scene, language):  # noqa: F811
    ts, _enrolments = scene
    client.set_cookie("language", language)
    body = client.get(f"/training-sessions/{ts.id}/attendance/template.csv").data
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == HEADERS[language]
    assert rows[1][0] == "UPL-2026-KE-01" and rows[1][4] == ts.start_date.isoformat()
    filled = [rows[0]] + [row[:5] + ["present"] for row in rows[1:]]
    out = io.StringIO()
    csv.writer(out).writerows(filled)
    plan = _plan(ts, out.getvalue())
    assert not plan.errors
    assert set(plan.entries.values()) == {"present"} and len(plan.entries) == len(rows) - 1
