"""Limits on history imports: spreadsheet bombs, implausible dates, unsafe session codes."""

import io
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.history.services import COLUMNS, HistoryImportError, import_history
from tests.history.helpers import counts, course, csv_bytes, row
from tests.shared import bombs

UPLOAD = "/history/import"


@pytest.fixture
def app_overrides(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


def _upload(client, data: bytes, filename: str):
    return client.post(
        UPLOAD, data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data"
    )


@pytest.mark.parametrize(
    ("bomb", "message"),
    [
        (lambda: bombs.declares_a_million_rows(list(COLUMNS)), "declares more than 200,000"),
        (lambda: bombs.sparse_million_rows(list(COLUMNS)), "has more than 200,000 rows"),
        (lambda: bombs.wide_row(list(COLUMNS)), "Row 2 has more than 64 columns"),
        (bombs.unpacks_to, "declares 625 MB, more than the 256 MB allowed"),
        (bombs.many_entries, "more than 256 parts"),
    ],
)
def test_spreadsheet_bombs_are_refused_with_the_limit_named(app, client, as_role, bomb, message):
    as_role("manager")
    db.session.commit()
    response = _upload(client, bomb(), "past.xlsx")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert counts() == (0, 0, 0)


def test_a_csv_line_beyond_the_limit_is_refused(app):
    data = csv_bytes([row(organisation="x" * 20_000)])
    with pytest.raises(HistoryImportError, match="Line 2 is longer than 16,384 characters"):
        import_history("past.csv", data)


@pytest.fixture
def cyb(app):
    return course()


def _errors(**values) -> list[tuple[int, str, str]]:
    report = import_history("past.csv", csv_bytes([row(**values)]))
    return [(error.row, error.column, error.message) for error in report.errors]


@pytest.mark.parametrize(
    ("values", "columns"),
    [
        ({"start_date": "9999-12-31", "end_date": "9999-12-31"}, {"start_date", "end_date"}),
        ({"start_date": "1989-12-31"}, {"start_date"}),
        ({"end_date": "9999-12-31"}, {"end_date"}),
    ],
)
def test_dates_outside_a_plausible_window_are_refused_on_their_column(cyb, values, columns):
    errors = _errors(**values)
    assert {(number, name) for number, name, _message in errors} == {(2, c) for c in columns}
    assert "between 1 January 1990 and" in errors[0][2]


def test_a_session_longer_than_60_days_is_refused(cyb):
    assert _errors(start_date="2019-01-01", end_date="2019-03-02") == [
        (2, "end_date", "A session lasts at most 60 days; this one lasts 61.")
    ]
    assert _errors(start_date="2019-01-01", end_date="2019-03-01") == []


def test_ten_years_ahead_is_the_last_plausible_day(cyb):
    day = date.today() + timedelta(days=3650)
    assert _errors(start_date=day.isoformat(), end_date=day.isoformat()) == []
    later = (day + timedelta(days=4)).isoformat()
    assert [column for _row, column, _m in _errors(start_date=later, end_date=later)] == [
        "start_date",
        "end_date",
    ]


@pytest.mark.parametrize("code", ["SL/../x?y#z", "SL-2019\nKE", "SL 2019", "ŞL-2019", "-SL"])
def test_session_codes_use_letters_digits_and_hyphens(cyb, code):
    errors = _errors(session_code=code)
    assert [(number, column) for number, column, _message in errors] == [(2, "session_code")]
    assert "letters, digits and hyphens" in errors[0][2]


def test_a_line_break_in_a_session_code_is_refused_through_the_web(app, client, as_role):
    course()
    as_role("manager")
    db.session.commit()
    response = _upload(client, csv_bytes([row(session_code="SL-2019\nKE")]), "past.csv")
    assert response.status_code == 422
    assert "letters, digits and hyphens" in response.get_data(as_text=True)
    assert counts() == (0, 0, 0)
