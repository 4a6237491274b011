import io
import json
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.accounts.services import create_api_token, revoke_api_token
from app.extensions import db
from app.reporting.models import TargetCountry
from tests.documents.helpers import fetch_document
from tests.reporting.helpers import EXPECTED, EXPECTED_BY_COUNTRY, build_scene, csv_rows


@pytest.fixture
def scene(app, login):
    scene = build_scene()
    db.session.commit()
    login(scene.manager)
    return scene


def figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="(\w+)">([^<]+)<', html))


def test_dashboard_shows_figures_map_trend_and_tables(client, scene):
    response = client.get("/reach")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    shown = figures(html)
    assert shown["participants_trained"] == "3"
    assert shown["countries_reached"] == "3"
    assert shown["sessions_delivered"] == "2"
    assert shown["host_countries"] == "2"
    assert shown["training_hours"] == "38"
    assert shown["targets_total"] == "196"  # INTERPOL's list, seeded with the schema
    assert shown["targets_reached"] == "3"
    assert db.session.query(TargetCountry).count() == 196
    assert 'class="reach-map"' in html and 'role="img"' in html
    assert "<title>Kenya: 2 participants trained</title>" in html
    assert 'class="trend-chart"' in html
    assert 'id="table-by-country"' in html
    for table in ("by-region", "by-year", "by-agency", "by-gender", "by-course"):
        assert f'id="table-{table}"' in html
    assert "Alice" not in html  # names never appear on reporting pages
    assert "<script" not in html.split('id="main"')[1].split("</main>")[0]  # no script needed
    assert "//cdn" not in html and 'src="http' not in html


def test_dashboard_lists_not_reached_targets(client, scene):
    client.get("/reach")
    db.session.query(TargetCountry).delete()
    db.session.add_all(TargetCountry(country_code=code) for code in ("KE", "TZ", "FR"))
    db.session.commit()
    html = client.get("/reach").get_data(as_text=True)
    assert '1</strong>\n  of <strong data-figure="targets_total">3' in html
    assert 'data-country="TZ"' in html and "A-NEXT-TZ" in html
    assert 'data-region="150"' in html


def test_dashboard_filter_by_region(client, scene):
    html = client.get("/reach?region=150").get_data(as_text=True)
    assert figures(html)["participants_trained"] == "0"
    assert "Europe" in html


def test_dashboard_bad_filter_names_the_field(client, scene):
    response = client.get("/reach?from=2024-99-01")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "from: 2024-99-01 is not a date" in html
    assert 'id="f-from" name="from" value="2024-99-01" aria-invalid="true"' in html
    response = client.get("/reach?country=Narnia")
    assert "country: Narnia is not a known country." in response.get_data(as_text=True)


def test_country_page_counts_without_names(client, scene):
    response = client.get("/reach/countries/KE")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert figures(html)["participants_trained"] == "2"
    assert figures(html)["sessions_attended"] == "2"
    assert "Kenya Police" in html  # organisation at the time (Bob)
    assert "A-2023-KE" in html  # session held there
    assert "Alice" not in html and "Bob" not in html
    # Countries reached is always one on a country's own page: no column or figure shows it.
    assert "Countries reached" not in html and "countries" not in html.split("trend-chart")[1]
    assert client.get("/reach/countries/ZZ").status_code == 404


def test_csv_export_names_filters_and_rows(client, scene):
    response = client.get("/reach/export/by_country.csv?region=014&from=2023-01-01")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert 'filename="reach-by_country-from-2023-01-01-region-014-' in disposition
    rows = csv_rows(response.data)
    assert [(row["Country code"], row["Participants trained"]) for row in rows] == [
        ("KE", "2"),
        ("RW", "1"),
        ("UG", "1"),
    ]
    assert rows[0]["Last training"] == scene.s2.end_date.isoformat()


@pytest.mark.parametrize(
    ("table", "first_column", "expected"),
    [
        (
            "by_region",
            "Region",
            {"Africa": "3", "Sub-Saharan Africa": "3", "Eastern Africa": "3"},
        ),
        ("by_year", "Year", {"2023": "2", "2024": "3"}),
        ("by_agency", "Code", {"police": "1", "prosecution": "1", "child_protection": "1"}),
        ("by_gender", "Code", {"female": "2", "male": "1"}),
        ("by_course", "Course code", {"course-a": "2", "course-b": "3"}),
    ],
)
def test_every_csv_table(client, scene, table, first_column, expected):
    response = client.get(f"/reach/export/{table}.csv")
    assert f'filename="reach-{table}-2' in response.headers["Content-Disposition"]  # no filter
    rows = csv_rows(response.data)
    assert {row[first_column]: row["Participants trained"] for row in rows} == expected


def test_not_reached_export(client, scene):
    client.get("/reach")
    db.session.query(TargetCountry).delete()
    db.session.add_all(TargetCountry(country_code=code) for code in ("KE", "TZ", "FR"))
    db.session.commit()
    rows = csv_rows(client.get("/reach/export/not_reached.csv").data)
    assert {row["Country code"]: row["Nearest upcoming session"] for row in rows} == {
        "TZ": "A-NEXT-TZ",
        "FR": "",
    }


def test_xlsx_export_has_filters_sheet_and_data(client, scene):
    response = client.get("/reach/export/by_country.xlsx?course=course-a")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["About", "by_country"]
    info = [tuple(row) for row in workbook["About"].iter_rows(values_only=True)]
    assert ("Filter: Course", "Course A (course-a)") in info
    assert any(row[0] == "Generated" for row in info)
    data = list(workbook["by_country"].iter_rows(values_only=True))
    assert data[0][0] == "Country code"
    assert [(row[0], row[4]) for row in data[1:]] == [("KE", 2)]


def test_xlsx_all_tables(client, scene):
    workbook = load_workbook(io.BytesIO(client.get("/reach/export/all.xlsx").data))
    assert workbook.sheetnames == [
        "About",
        "by_country",
        "by_region",
        "by_year",
        "by_agency",
        "by_gender",
        "by_course",
        "not_reached",
        "evaluation",
    ]
    assert client.get("/reach/export/all.csv").status_code == 404
    assert client.get("/reach/export/nope.csv").status_code == 404


def test_export_with_bad_filter_goes_back_to_the_dashboard(client, scene):
    response = client.get("/reach/export/by_year.csv?course=nope")
    assert response.status_code == 302
    assert "/reach?course=nope" in response.headers["Location"]


def test_pdf_report(client, scene):
    response = fetch_document(client, "/reach/report.pdf?region=Eastern+Africa")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Programme reach" in text
    assert "Participants trained" in text
    assert "Eastern Africa" in text  # filter and regional table
    assert "Generated" in text
    assert "Target countries not yet reached" in text
    assert "38" in text


def test_targets_page_edits_the_list(client, scene):
    page = client.get("/reach/targets").get_data(as_text=True)
    assert 'value="KE" id="t-KE" checked' in page
    assert "Eastern Africa" in page
    response = client.post("/reach/targets", data={"countries": ["KE", "FR", "TZ"]})
    assert response.status_code == 302
    assert sorted(db.session.scalars(db.select(TargetCountry.country_code))) == ["FR", "KE", "TZ"]
    response = client.post("/reach/targets", data={"countries": ["KE", "QQ"]})
    assert sorted(db.session.scalars(db.select(TargetCountry.country_code))) == ["FR", "KE", "TZ"]
    client.post("/reach/targets/reset")
    assert db.session.query(TargetCountry).count() == 196


def test_targets_need_csrf(app, client, scene):
    app.config["WTF_CSRF_ENABLED"] = True
    client.get("/reach/targets")
    response = client.post("/reach/targets", data={"countries": ["KE"]})
    assert response.status_code in (200, 400)
    assert db.session.query(TargetCountry).count() == 196


def test_non_managers_cannot_see_reach(client, app, as_role):
    as_role("trainer")
    assert client.get("/reach").status_code == 403
    assert client.get("/reach/report.pdf").status_code == 403
    assert client.post("/reach/report.pdf").status_code == 403


# --- API ---------------------------------------------------------------------------------------


def api(client, token=None, query=""):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1/reports/reach{query}", headers=headers)


def test_api_token_auth(app, scene):
    client = app.test_client()  # no session cookie
    token = create_api_token(scene.manager, "donor")
    db.session.commit()
    assert api(client).status_code == 401
    assert api(client).json["error"]
    assert api(client, "tp_wrong").status_code == 401
    response = api(client, token)
    assert response.status_code == 200
    body = response.json
    assert {key: body[key] for key in EXPECTED} == EXPECTED
    assert body["by_country"] == EXPECTED_BY_COUNTRY
    assert body["by_region"][0]["name"] == "Africa"
    assert [row["year"] for row in body["by_year"]] == [2023, 2024]
    assert body["filters"]["region"] is None
    # a manager who lost the role: the token is known but not allowed
    scene.manager.roles = {"trainer"}
    db.session.commit()
    assert api(client, token).status_code == 403
    scene.manager.roles = {"manager"}
    db.session.commit()
    from app.accounts.models import ApiToken

    revoke_api_token(db.session.scalar(db.select(ApiToken)))
    db.session.commit()
    assert api(client, token).status_code == 401


def test_api_filters_and_errors(app, scene):
    client = app.test_client()
    token = create_api_token(scene.manager, "donor")
    db.session.commit()
    body = api(client, token, "?country=RW&region=014").json
    assert body["participants_trained"] == 1
    assert body["filters"]["country"] == "RW"
    assert body["filters"]["region"] == "014"
    for query, field in (
        ("?from=2024-02-30", "from"),
        ("?country=Narnia", "country"),
        ("?course=nope", "course"),
        ("?host_country=XX", "host_country"),
        ("?agency_type=spy", "agency_type"),
    ):
        response = api(client, token, query)
        assert response.status_code == 400
        assert response.json["field"] == field
        assert response.json["error"]


def test_cli_reach_json(app, runner, scene):
    result = runner.invoke(args=["reports", "reach", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert {key: body[key] for key in EXPECTED} == EXPECTED
    assert body["by_country"] == EXPECTED_BY_COUNTRY
    result = runner.invoke(args=["reports", "reach", "--json", "--country", "RW"])
    assert json.loads(result.output)["participants_trained"] == 1
    result = runner.invoke(args=["reports", "reach", "--from", "nope"])
    assert result.exit_code != 0
    assert "--from" in result.output
    result = runner.invoke(args=["reports", "reach"])
    assert "Participants trained: 3" in result.output


def test_cli_targets(app, runner):
    result = runner.invoke(args=["reports", "targets", "--reset"])
    assert result.exit_code == 0
    assert "196" in result.output
    assert db.session.query(TargetCountry).count() == 196
