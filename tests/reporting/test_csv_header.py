"""A reach CSV starts with its header row in the exporter's language; filters are elsewhere."""

import csv
import io

import pytest
from openpyxl import load_workbook

from app.extensions import db
from tests.reporting.helpers import build_scene

FRENCH_HEADER = (
    "Code pays,Pays,Région,Sous-région,Participants formés,Sessions suivies,"
    "Dernière formation,Heures de formation"
)

NAME = "reach-by_year-from-2019-01-01-course-course-a-country-KE-"


@pytest.fixture
def scene(app, login):
    scene = build_scene()
    db.session.commit()
    login(scene.manager)
    return scene


def test_the_first_line_of_a_french_csv_is_the_french_header_row(client, scene):
    scene.manager.language = "fr"
    db.session.commit()
    text = client.get("/reach/export/by_country.csv?course=course-a").data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == FRENCH_HEADER
    assert not any(line.startswith(("#", '"#')) for line in lines)
    rows = list(csv.reader(lines[1:]))
    assert [(row[0], row[4]) for row in rows] == [("KE", "2")]  # codes and numbers unchanged


def test_the_filters_are_in_the_file_name_and_the_about_sheet(client, scene):
    query = "?course=course-a&from=2019-01-01&country=KE"
    response = client.get(f"/reach/export/by_year.csv{query}")
    name = response.headers["Content-Disposition"]
    assert f'filename="{NAME}' in name and name.endswith('.csv"')
    response = client.get(f"/reach/export/by_year.xlsx{query}")
    assert f'filename="{NAME}' in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["About", "by_year"]
    about = [tuple(row) for row in workbook["About"].iter_rows(values_only=True)]
    assert ("Filter: Course", "Course A (course-a)") in about
    assert ("Filter: From", "2019-01-01") in about
    # A filter on people: the sheet says what the session columns count.
    assert ("sessions_delivered", "Sessions attended by this group") in about
