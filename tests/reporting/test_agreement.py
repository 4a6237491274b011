"""Dashboard, every export, the PDF, the API and the CLI show the same numbers."""

import io
import json
import re

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import event

from app.accounts.services import create_api_token
from app.extensions import cache, db
from tests.documents.helpers import fetch_document
from tests.reporting.helpers import add_bulk, build_scene, csv_rows


def test_every_output_agrees(app, client, login, runner):
    scene = build_scene()
    add_bulk(4)
    token = create_api_token(scene.manager, "agreement")
    db.session.commit()
    login(scene.manager)
    query = "?from=2019-01-01"

    html = client.get(f"/reach{query}").get_data(as_text=True)
    shown = dict(re.findall(r'data-figure="(\w+)">([^<]+)<', html))
    dashboard_countries = dict(
        re.findall(r'<tr data-country="(\w\w)">.*?<td class="num"[^>]*>(\d+)</td>', html, re.S)
    )

    api = client.get(
        f"/api/v1/reports/reach{query}", headers={"Authorization": f"Bearer {token}"}
    ).json
    cli = json.loads(
        runner.invoke(args=["reports", "reach", "--json", "--from", "2019-01-01"]).output
    )
    csv_country = {
        row["Country code"]: int(row["Participants trained"])
        for row in csv_rows(client.get(f"/reach/export/by_country.csv{query}").data)
    }
    csv_years = {
        int(row["Year"]): int(row["Participants trained"])
        for row in csv_rows(client.get(f"/reach/export/by_year.csv{query}").data)
    }
    csv_regions = {
        row["M49 code"]: int(row["Participants trained"])
        for row in csv_rows(client.get(f"/reach/export/by_region.csv{query}").data)
    }
    workbook = load_workbook(io.BytesIO(client.get(f"/reach/export/all.xlsx{query}").data))
    xlsx_country = {
        row[0]: row[4] for row in list(workbook["by_country"].iter_rows(values_only=True))[1:]
    }
    xlsx_years = {
        row[0]: row[1] for row in list(workbook["by_year"].iter_rows(values_only=True))[1:]
    }
    pdf = fetch_document(client, f"/reach/report.pdf{query}").data
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    api_country = {row["country"]: row["participants_trained"] for row in api["by_country"]}
    assert api_country == {row["country"]: row["participants_trained"] for row in cli["by_country"]}
    assert api_country == csv_country == xlsx_country
    assert {code: int(value) for code, value in dashboard_countries.items()} == api_country
    assert {row["year"]: row["participants_trained"] for row in api["by_year"]} == csv_years
    assert csv_years == xlsx_years
    assert {row["code"]: row["participants_trained"] for row in api["by_region"]} == csv_regions
    for key in (
        "participants_trained",
        "countries_reached",
        "sessions_delivered",
        "host_countries",
    ):
        assert api[key] == cli[key] == int(shown[key]), key
    assert float(shown["training_hours"].replace(",", "")) == api["training_hours"]
    # The PDF prints each headline figure just before its label, as the dashboard does.
    labels = {
        "participants_trained": r"Participants\s+trained",
        "countries_reached": r"Countries\s+reached",
        "sessions_delivered": r"Sessions\s+delivered",
        "host_countries": r"Host\s+countries",
    }
    for key, label in labels.items():
        match = re.search(r"([\d,]+)\s+" + label, pdf_text)
        assert match and int(match.group(1).replace(",", "")) == api[key], key
    assert re.search(r"([\d,.]+)\s+Training\s+hours\s+delivered", pdf_text).group(1).replace(
        ",", ""
    ) == shown["training_hours"].replace(",", "")
    assert api["participants_trained"] == 3 + 4 * 2  # the scene plus two per bulk session


def _count_queries(app, action) -> int:
    statements = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def test_constant_query_count(app, client, login):
    scene = build_scene()
    token = create_api_token(scene.manager, "count")
    db.session.commit()
    login(scene.manager)
    headers = {"Authorization": f"Bearer {token}"}
    client.get("/reach")  # seeds the target list once

    def cold(action) -> int:
        cache.clear()  # count the computation, not a cached answer
        return _count_queries(app, action)

    def measure():
        db.session.expire_all()
        return (
            cold(lambda: client.get("/reach").status_code),
            cold(lambda: client.get("/reach?region=002&course=course-a")),
            cold(lambda: client.get("/api/v1/reports/reach", headers=headers)),
            cold(lambda: client.post("/reach/report.pdf")),  # rendered in-process
        )

    small = measure()
    add_bulk(25)
    db.session.commit()
    large = measure()
    assert small == large
    assert small[0] < 25
    assert _count_queries(app, lambda: client.get("/reach")) < small[0]  # now cached
