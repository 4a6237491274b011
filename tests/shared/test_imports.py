"""The one import pipeline: header names, rows by column, row errors, kept files."""

import io

import pytest

from app.extensions import db
from app.shared.imports import PendingFiles, RowError, read_table
from app.shared.spreadsheets import Limits, SpreadsheetError
from app.shared.unit_of_work import DomainError

LIMITS = Limits(max_rows=10)


class RefusedError(DomainError):
    pass


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


def test_headers_read_alike_in_every_domain(app):
    table = read_table("a.csv", b" Session  Code ,EMAIL\nX-1,a@x\n", LIMITS)
    assert table.header == ["session_code", "email"]


def test_rows_come_by_column_stripped_blank_ones_skipped(app):
    text = "name,day,name\n Ana ,2019-03-04,other\n,,\nBo\n"
    rows = list(read_table("a.csv", text.encode(), LIMITS).columns(["day", "name"]))
    assert rows == [(2, ["2019-03-04", "Ana"]), (4, ["", "Bo"])]
    records = list(read_table("a.csv", text.encode(), LIMITS).records())
    assert records[0] == (2, {"name": "other", "day": "2019-03-04"})


def test_an_open_file_is_read_like_bytes(app):
    stream = io.BytesIO("name\nJosé\n".encode())
    assert list(read_table("a.csv", stream, LIMITS).records()) == [(2, {"name": "José"})]


def test_an_empty_file_is_refused(app):
    for data in (b"", b",,\n"):
        with pytest.raises(SpreadsheetError, match="The file is empty"):
            read_table("a.csv", data, LIMITS)


def test_a_row_error_names_row_and_column(app):
    assert str(RowError(3, "email", "Not an address.")) == "Row 3, email: Not an address."
    assert str(RowError(1, "", "Empty.")) == "Row 1: Empty."
    assert RowError(3, "email", "x").as_dict() == {"row": 3, "column": "email", "message": "x"}


def test_a_kept_file_is_returned_only_in_its_scope_and_refusals_speak_the_domain(app):
    pending = PendingFiles("test", RefusedError)
    checked, token = pending.preview("a.csv", b"a\n", {"user_id": 1}, lambda n, d: d, ok=bool)
    assert checked == b"a\n" and pending.load(token, {"user_id": 1}) == ("a.csv", b"a\n")
    with pytest.raises(RefusedError, match="expired"):
        pending.load(token, {"user_id": 2})
    assert pending.preview("b.csv", b"", {"user_id": 1}, lambda n, d: d, ok=bool) == (b"", None)


def test_headings_people_write_are_read_as_the_field_and_the_table_says_which(app):
    text = "Full name;E-mail;Country of service;Remarks\nAmina;a@x.org;KE;late\n"
    aliases = {"name": ("Full name", "Nom"), "email": ("E-mail", "Courriel")}
    aliases = {**aliases, "country": ("Country of service", "País")}
    table = read_table("a.csv", text.encode(), LIMITS, fields=FIELDS, aliases=aliases)
    assert table.header == ["name", "email", "country", "remarks"]
    assert [(column.heading, column.field, column.renamed) for column in table.columns_read] == [
        ("Full name", "name", True),
        ("E-mail", "email", True),
        ("Country of service", "country", True),
        ("Remarks", "", False),
    ]
    accented = read_table(
        "a.csv", "NOM,país\nAna,MX\n".encode(), LIMITS, fields=FIELDS, aliases=aliases
    )
    assert accented.header == ["name", "country"]


FIELDS = ("name", "email", "country")


def test_the_table_says_which_encoding_a_csv_was_read_in(app):
    data = "name\nFrançoise\n".encode("cp1252")
    assert read_table("a.csv", data, LIMITS).encoding == "cp1252"
    assert read_table("a.csv", data, LIMITS, encoding="cp1251").encoding == "cp1251"
    assert read_table("a.csv", b"name\nAna\n", LIMITS).encoding == "utf-8"


def test_a_kept_file_the_user_must_choose_again_for_stays_kept(app):
    pending = PendingFiles("test", RefusedError)
    token = pending.keep("a.csv", b"a\n", {"user_id": 1})
    with app.test_request_context():
        pending.confirm(token, {"user_id": 1}, lambda n, d: None, used=lambda applied: False)
        db.session.commit()
    assert pending.load(token, {"user_id": 1}) == ("a.csv", b"a\n")
