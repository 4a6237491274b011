"""Reach exports never hand a spreadsheet a formula to run."""

import csv
import io

import pytest
from openpyxl import load_workbook

from app.extensions import db
from tests.reporting.helpers import build_scene

FORMULA = '=HYPERLINK("http://attacker.example","Open")'


@pytest.fixture
def scene(app, login):
    scene = build_scene()
    scene.course_a.title = FORMULA
    scene.course_b.title = "@SUM(1+1)"
    db.session.commit()
    login(scene.manager)
    return scene


def test_csv_cells_that_start_like_a_formula_are_quoted(client, scene):
    body = client.get("/reach/export/by_course.csv?course=course-a").data.decode("utf-8-sig")
    header, *data = csv.reader(io.StringIO(body))
    assert header[:2] == ["Course code", "Course"]
    assert [row[1] for row in data] == ["'" + FORMULA]


def test_xlsx_cells_are_text_not_formulas_and_numbers_stay_numbers(client, scene):
    workbook = load_workbook(io.BytesIO(client.get("/reach/export/all.xlsx").data))
    formulas = [
        cell.coordinate
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    by_course = workbook["by_course"]
    titles = {row[1] for row in by_course.iter_rows(min_row=2, values_only=True)}
    assert titles == {"'" + FORMULA, "'@SUM(1+1)"}
    assert all(
        isinstance(value, int)
        for row in by_course.iter_rows(min_row=2, values_only=True)
        for value in row[2:3]
    )
