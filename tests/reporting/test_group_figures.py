"""Sessions per region, the labels a filter on people gives, and one document for API and CLI."""

import io
import json
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.accounts.services import create_api_token
from app.extensions import db
from tests import factories as f
from tests.documents.helpers import fetch_document
from tests.reporting.helpers import build_scene, csv_rows


@pytest.fixture
def scene(app, login):
    scene = build_scene()
    # A French officer in the Kenyan session: Europe attended one session, Africa two.
    f.make_enrolment(scene.s1, f.make_participant("Gaël Lefèvre", "FR"), completed=True)
    db.session.commit()
    login(scene.manager)
    return scene


EXPECTED_REGION_SESSIONS = {
    "002": 2,  # Africa: S1 (Kenyans) and S2 (Kenyan, Rwandan, Ugandan)
    "202": 2,  # Sub-Saharan Africa
    "014": 2,  # Eastern Africa
    "150": 1,  # Europe: S1 only
    "155": 1,  # Western Europe
}


def test_by_region_sessions_attended_in_every_output(client, scene):
    rows = csv_rows(client.get("/reach/export/by_region.csv").data)
    assert {row["M49 code"]: int(row["Sessions attended"]) for row in rows} == (
        EXPECTED_REGION_SESSIONS
    )
    sheet = load_workbook(io.BytesIO(client.get("/reach/export/by_region.xlsx").data))["by_region"]
    header, *cells = list(sheet.iter_rows(values_only=True))
    column = header.index("Sessions attended")
    assert {row[0]: row[column] for row in cells} == EXPECTED_REGION_SESSIONS
    token = create_api_token(scene.manager, "regions")
    db.session.commit()
    api = client.get("/api/v1/reports/reach", headers={"Authorization": f"Bearer {token}"}).json
    assert {row["code"]: row["sessions_attended"] for row in api["by_region"]} == (
        EXPECTED_REGION_SESSIONS
    )
    html = client.get("/reach").get_data(as_text=True)
    table = html.split('id="table-by-region"')[1].split("</table>")[0]
    europe = table.split("Western Europe")[1].split("</tr>")[0]
    assert re.findall(r'<td class="num"[^>]*>([\d.,]+)</td>', europe) == ["1", "1", "1", "13"]


GROUP_LABELS = ("Sessions attended by this group", "Host countries of those sessions")


@pytest.mark.parametrize("query", ["region=150", "country=FR", "agency_type=police"])
def test_a_filter_on_people_names_the_sessions_they_attended(client, scene, query):
    html = client.get(f"/reach?{query}").get_data(as_text=True)
    headline = html.split('class="stats reach-stats"')[1].split("</div>\n</div>")[0]
    for label in GROUP_LABELS:
        assert label in headline
    assert "Sessions delivered" not in headline
    year_table = html.split('id="table-by-year"')[1].split("</thead>")[0]
    assert all(label in year_table for label in GROUP_LABELS)

    header = csv_rows(client.get(f"/reach/export/by_year.csv?{query}").data)[0].keys()
    assert all(label in header for label in GROUP_LABELS)
    sheet = load_workbook(io.BytesIO(client.get(f"/reach/export/by_year.xlsx?{query}").data))
    assert all(
        label in next(sheet["by_year"].iter_rows(values_only=True)) for label in GROUP_LABELS
    )

    pdf = fetch_document(client, f"/reach/report.pdf?{query}").data
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert all(label in text for label in GROUP_LABELS)
    assert "Sessions delivered" not in text


def test_figures_for_europe_count_the_kenyan_session(client, scene, runner):
    # With a region filter the one session counted was held in Kenya, not in Europe.
    token = create_api_token(scene.manager, "labels")
    db.session.commit()
    api = client.get(
        "/api/v1/reports/reach?region=150", headers={"Authorization": f"Bearer {token}"}
    ).json
    assert (api["sessions_delivered"], api["host_countries"]) == (1, 1)
    assert api["labels"]["sessions_delivered"] == "Sessions attended by this group"
    assert api["labels"]["host_countries"] == "Host countries of those sessions"
    result = runner.invoke(args=["reports", "reach", "--region", "150"])
    assert "Sessions attended by this group: 1" in result.output
    assert "Host countries of those sessions: 1" in result.output
    whole = runner.invoke(args=["reports", "reach"]).output
    assert "Sessions delivered: 2" in whole and "Host countries: 2" in whole
    assert "Training hours delivered: 51.0" in whole


def test_without_a_filter_on_people_sessions_are_those_delivered(client, scene):
    html = client.get("/reach?host_country=KE").get_data(as_text=True)
    assert "Sessions delivered" in html and GROUP_LABELS[0] not in html
    header = csv_rows(client.get("/reach/export/by_year.csv").data)[0].keys()
    assert "Sessions delivered" in header and GROUP_LABELS[0] not in header


@pytest.mark.parametrize(
    "query", [{}, {"region": "202"}, {"course": "course-b", "from": "2024-01-01"}]
)
def test_cli_json_is_the_api_document(client, scene, runner, query):
    token = create_api_token(scene.manager, "document")
    db.session.commit()
    api = client.get(
        "/api/v1/reports/reach", query_string=query, headers={"Authorization": f"Bearer {token}"}
    ).json
    options = [part for key, value in query.items() for part in (f"--{key}", value)]
    cli = json.loads(runner.invoke(args=["reports", "reach", "--json", *options]).output)
    assert cli == api
    assert {
        "participants_trained",
        "countries_reached",
        "sessions_delivered",
        "host_countries",
        "training_hours",
        "by_country",
        "by_region",
        "by_year",
        "by_agency",
        "by_course",
    } <= set(cli)


def test_api_document_on_crafted_data(client, scene, runner):
    cli = json.loads(runner.invoke(args=["reports", "reach", "--json"]).output)
    assert {key: cli[key] for key in ("participants_trained", "countries_reached")} == {
        "participants_trained": 4,
        "countries_reached": 4,
    }
    assert (cli["sessions_delivered"], cli["host_countries"], cli["training_hours"]) == (2, 2, 51.0)
    africa = next(row for row in cli["by_region"] if row["code"] == "202")
    assert africa == {
        "code": "202",
        "name": "Sub-Saharan Africa",
        "level": "grouping",
        "parent": "002",
        "participants_trained": 3,
        "countries_reached": 3,
        "sessions_attended": 2,
        "training_hours": 38.0,
    }
    assert cli["by_agency"][0] == {
        "agency_type": "police",
        "label": "Police",
        "participants_trained": 2,
        "countries_reached": 2,
        "sessions_attended": 2,
        "training_hours": 30.0,
    }
    assert {row["course"]: row["training_hours"] for row in cli["by_course"]} == {
        "course-a": 39.0,
        "course-b": 12.0,
    }
    assert cli["by_year"][0] == {
        "year": 2023,
        "participants_trained": 3,
        "countries_reached": 2,
        "sessions_delivered": 1,
        "host_countries": 1,
        "training_hours": 39.0,
    }
