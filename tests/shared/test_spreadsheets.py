import codecs
import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from app.shared.spreadsheets import (
    Limits,
    SpreadsheetError,
    detect_encoding,
    read_rows,
    safe_cell,
    safe_row,
)
from tests.shared import bombs

pytestmark = pytest.mark.usefixtures("app")
HEADER = ["name", "country"]
LIMITS = Limits(max_rows=100, max_columns=8, max_line_chars=200)


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for values in rows:
        workbook.active.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _refusal(filename: str, data: bytes, limits: Limits = LIMITS) -> str:
    with pytest.raises(SpreadsheetError) as caught:
        list(read_rows(filename, data, limits))
    return str(caught.value)


def test_csv_rows_are_numbered_from_the_header_in_any_delimiter():
    for text in ("\ufeffname,country\nAmina,KE\n\nJosé,MX\n", "name;country\nAmina;KE\n\nJosé;MX"):
        rows = list(read_rows("list.csv", text.encode(), LIMITS))
        assert rows == [(1, HEADER), (2, ["Amina", "KE"]), (4, ["José", "MX"])]


def test_xlsx_cells_read_as_csv_text():
    data = _xlsx([HEADER, ["Ana", 12.0, date(2019, 3, 4), datetime(2019, 3, 5, 9), True, None]])
    rows = list(read_rows("list.xlsx", data, LIMITS))
    assert rows == [(1, HEADER), (2, ["Ana", "12", "2019-03-04", "2019-03-05", "true"])]


LEGACY_LISTS = {
    "cp1252": "name,country,organisation\nFrançoise Lefèvre,FR,Gendarmerie nationale\n"
    "José Müller,ES,Policía Nacional\n",
    "cp1256": "name,country\nفاطمة الزهراء,EG\nمحمد علي,MA\n",
    "cp1251": "name,country\nАлександра Петрова,RU\nИван Иванов,UA\n",
}


@pytest.mark.parametrize("encoding", sorted(LEGACY_LISTS))
def test_csv_saved_by_excel_in_a_windows_code_page_reads_as_written(encoding):
    text = LEGACY_LISTS[encoding]
    data = text.encode(encoding)
    assert detect_encoding(data) == encoding
    rows = list(read_rows("list.csv", data, LIMITS))
    assert [",".join(cells) for _number, cells in rows] == text.strip().split("\n")


def test_csv_in_utf8_with_or_without_bom_and_in_utf16_reads_alike():
    text = "name,country\nفاطمة,EG\nJosé,MX\n"
    for data, encoding in (
        (text.encode("utf-8"), "utf-8"),
        (text.encode("utf-8-sig"), "utf-8"),
        (text.encode("utf-16"), "utf-16"),  # Excel's "Unicode text", with its byte-order mark
        (codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "utf-16"),
    ):
        assert detect_encoding(data) == encoding
        assert list(read_rows("list.csv", data, LIMITS)) == [
            (1, HEADER),
            (2, ["فاطمة", "EG"]),
            (3, ["José", "MX"]),
        ]


def test_a_short_ambiguous_legacy_file_reads_as_windows_1252_and_another_choice_is_kept():
    data = "name,country\nJosé,MX\n".encode("cp1252")
    assert detect_encoding(data) == "cp1252"
    assert list(read_rows("list.csv", data, LIMITS, "cp1251"))[1] == (2, ["Josй", "MX"])


def test_a_file_that_does_not_decode_in_the_chosen_encoding_says_so():
    assert "cannot be read as UTF-8" in _refusal_in("utf-8", "name\nJosé\n".encode("cp1252"))


def _refusal_in(encoding: str, data: bytes) -> str:
    with pytest.raises(SpreadsheetError) as caught:
        list(read_rows("list.csv", data, LIMITS, encoding))
    return str(caught.value)


def test_files_that_are_not_what_they_say_are_refused():
    assert "readable XLSX" in _refusal("list.xlsx", b"not a workbook")
    assert "readable XLSX" in _refusal("list.xlsx", b"PK\x05\x06" + b"\0" * 18)
    assert ".csv or .xlsx" in _refusal("list.pdf", b"a")


def test_csv_over_the_row_column_and_line_limits_is_refused_naming_the_limit():
    rows = "name,country\n" + "Amina,KE\n" * 101
    assert "more than 100 rows" in _refusal("list.csv", rows.encode())
    assert list(read_rows("list.csv", ("name,country\n" + "A,KE\n" * 100).encode(), LIMITS))
    assert "Row 2 has more than 8 columns" in _refusal("list.csv", b"a,b\n" + b"x," * 9 + b"x\n")
    # Empty trailing cells, as spreadsheet programs write them, do not count.
    assert list(read_rows("list.csv", b"a,b\nx,y,,,,,,,,,,,\n,,\n", LIMITS)) == [
        (1, ["a", "b"]),
        (2, ["x", "y"]),
    ]
    assert "Line 2 is longer than 200 characters" in _refusal(
        "list.csv", b"name\n" + b"x" * 201 + b"\n"
    )


def test_xlsx_over_the_row_and_column_limits_is_refused_while_reading():
    assert "more than 100 rows" in _refusal("list.xlsx", _xlsx([HEADER] + [["A", "KE"]] * 101))
    assert "Row 2 has more than 8 columns" in _refusal("list.xlsx", _xlsx([HEADER, list(range(9))]))


@pytest.mark.parametrize(
    ("bomb", "message"),
    [
        (bombs.declares_a_million_rows, "declares more than 100 rows"),
        (bombs.sparse_million_rows, "has more than 100 rows"),
        (bombs.wide_row, "Row 2 has more than 8 columns"),
    ],
)
def test_small_workbooks_that_claim_a_million_rows_are_refused(bomb, message):
    data = bomb(HEADER)
    assert len(data) < 10_000
    assert message in _refusal("bomb.xlsx", data)


def test_a_workbook_unpacking_to_625_mb_is_refused_before_it_is_opened():
    data = bombs.unpacks_to(625)
    assert len(data) < 5_000_000
    message = _refusal("bomb.xlsx", data, Limits(max_rows=100, max_unpacked_bytes=64_000_000))
    assert "declares 625 MB, more than the 64 MB allowed" in message


def test_an_archive_of_thousands_of_entries_is_refused_before_it_is_listed():
    assert "more than 256 parts" in _refusal("bomb.xlsx", bombs.many_entries(5000))
    # An end record that understates the entries is caught by the directory's size.
    data = bytearray(bombs.many_entries(10_000))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (3).to_bytes(2, "little") * 2
    assert "more than 256 parts" in _refusal("bomb.xlsx", bytes(data))


def test_a_real_workbook_fits_the_limits():
    data = _xlsx([HEADER] + [["Amina Njeri", "KE"]] * 100)
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    assert len(list(read_rows("list.xlsx", data, LIMITS))) == 101


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_a_spreadsheet_would_run_is_quoted(text):
    assert safe_cell(text) == "'" + text


def test_numbers_dates_and_plain_text_are_kept():
    values = [-3, 2.5, date(2026, 1, 1), None, "Amina", "", "a=b"]
    assert safe_row(values) == values


def test_quoted_text_stays_text_in_a_workbook():
    workbook = Workbook()
    workbook.active.append(safe_row(['=HYPERLINK("http://x")', -1]))
    out = io.BytesIO()
    workbook.save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert [cell.data_type for cell in sheet[1]] == ["s", "n"]
