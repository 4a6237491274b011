"""The enrolment list's headings are in the exporter's language; its values stay codes."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.enrolment.test_export import _scene

HEADINGS = {
    "fr": ["Nom complet", "Nom en caractères latins", "Courriel", "Pays d'affectation"],
    "ar": ["الاسم الكامل", "الاسم بالحروف اللاتينية", "البريد الإلكتروني", "بلد العمل"],
}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_csv_and_xlsx_headings_are_translated_and_codes_are_not(client, login, language):
    s = _scene()
    login(s.trainer)
    client.set_cookie("language", language)
    url = f"/training-sessions/{s.training_session.id}/enrolments"
    rows = list(csv.reader(io.StringIO(client.get(f"{url}.csv").get_data(as_text=True))))
    assert rows[0][:4] == HEADINGS[language]
    assert "Full name" not in rows[0]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["أمينة يوسف"][3] == by_name["José Pérez"][3]  # the same ISO code
    assert len(by_name["أمينة يوسف"][3]) == 2 and by_name["أمينة يوسف"][3].isupper()
    assert by_name["أمينة يوسف"][6] == "waitlisted"
    workbook = load_workbook(io.BytesIO(client.get(f"{url}.xlsx").data))
    first = workbook.worksheets[0]
    assert [cell.value for cell in first[1]][:4] == HEADINGS[language]
    assert {first.cell(row=n, column=7).value for n in (2, 3, 4)} >= {"enrolled", "waitlisted"}
