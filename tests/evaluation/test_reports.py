"""The evaluation beside reach: the same figures on the dashboard, the XLSX and the PDF."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader

from app.evaluation import services
from app.evaluation.instruments import instruments
from app.extensions import db
from tests.documents.helpers import fetch_document
from tests.evaluation.helpers import evaluated_programme


def _dashboard(client, query: str = "") -> dict[str, str]:
    html = client.get(f"/reach{query}").get_data(as_text=True)
    return dict(re.findall(r'data-evaluation="(\w+)">([^<]+)<', html))


def _xlsx(client, query: str = "") -> dict[str, object]:
    workbook = load_workbook(io.BytesIO(client.get(f"/reach/export/all.xlsx{query}").data))
    return {row[0]: row[2] for row in list(workbook["evaluation"].iter_rows(values_only=True))[1:]}


def _pdf_text(client, query: str = "") -> str:
    pdf = fetch_document(client, f"/reach/report.pdf{query}").data
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_dashboard_the_workbook_and_the_board_report_show_the_same_evaluation(
    app, client, login, monkeypatch
):
    manager, _ = evaluated_programme(monkeypatch)
    login(manager)
    shown = _dashboard(client)
    assert shown["satisfaction"] == "4.0"
    assert shown["normalised_gain"] == "0.80"  # four pairs from nothing to all, one at nothing
    assert shown["follow_up_3m"] == "50%"  # 3 of the 6 places asked
    assert shown["follow_up_6m"].startswith("Too few to show")
    cells = _xlsx(client)
    assert cells == {
        "satisfaction": 4.0,
        "normalised_gain": 0.8,
        "follow_up_3m": 0.5,
        "follow_up_6m": shown["follow_up_6m"],
    }
    text = " ".join(_pdf_text(client).split())
    assert "Evaluation" in text
    for label, value in (
        ("Satisfaction (1 to 5)", "4.0"),
        ("Mean normalised gain, pre- to post-test", "0.80"),
        ("Follow-up response rate at 3 months", "50%"),
    ):
        assert f"{value} {label}" in text, label


def test_small_groups_are_hidden_on_every_output(app, client, login, monkeypatch):
    manager, _ = evaluated_programme(monkeypatch, people=6, answering=4)
    login(manager)
    shown = _dashboard(client)
    for code in ("satisfaction", "normalised_gain"):
        assert shown[code].startswith("Too few to show"), code
    cells = _xlsx(client)
    assert all(isinstance(cells[code], str) for code in ("satisfaction", "normalised_gain"))
    text = " ".join(_pdf_text(client).split())
    assert "4.0 Satisfaction" not in text and "Too few to show (under 5)" in text


def test_a_filter_on_people_does_not_pretend_to_split_anonymous_answers(
    app, client, login, monkeypatch
):
    manager, _ = evaluated_programme(monkeypatch)
    login(manager)
    assert _dashboard(client, "?country=KE")["satisfaction"].startswith("Not split by participant")
    assert _dashboard(client, "?country=KE")["normalised_gain"] == "0.80"
    assert _dashboard(client, "?country=UG")["normalised_gain"].startswith("Too few")


def test_a_new_answer_shows_on_the_cached_dashboard_at_once(app, client, login, monkeypatch):
    manager, enrolments = evaluated_programme(monkeypatch)
    login(manager)
    assert _dashboard(client)["follow_up_3m"] == "50%"
    assert _dashboard(client)["follow_up_3m"] == "50%"  # now from the cache
    services.submit_survey(instruments()["follow-up-3m"], enrolments[3], {"applied": "2"})
    db.session.commit()
    assert _dashboard(client)["follow_up_3m"] == "67%"
    enrolments[4].status = "withdrawn"  # five places asked, four of them answered
    db.session.commit()
    assert _dashboard(client)["follow_up_3m"] == "80%"


def test_exports_speak_the_exporters_language_and_keep_the_codes(app, client, login, monkeypatch):
    manager, _ = evaluated_programme(monkeypatch)
    manager.language = "fr"
    db.session.commit()
    login(manager)
    workbook = load_workbook(io.BytesIO(client.get("/reach/export/all.xlsx").data))
    assert workbook.sheetnames[0] == "Informations"
    header = next(workbook["by_country"].iter_rows(values_only=True))
    assert header[0] == "Code pays" and "Participants formés" in header
    assert next(workbook["evaluation"].iter_rows(min_row=2, values_only=True))[0] == "satisfaction"
    text = client.get("/reach/export/by_country.csv").data.decode("utf-8-sig")
    assert text.startswith("Code pays,Pays,")  # the header row first, in French
