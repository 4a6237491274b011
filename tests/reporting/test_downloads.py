"""Which reach tables can be downloaded, and the type and name each file is given."""

from datetime import UTC, datetime

from app.extensions import db
from app.reporting import exports, services
from app.reporting.filters import parse_filters
from tests.reporting.helpers import build_scene


def test_every_table_downloads_alone_and_all_only_as_a_workbook():
    assert exports.is_table("by_country", "csv") and exports.is_table("by_country", "xlsx")
    assert exports.is_table("all", "xlsx")
    assert not exports.is_table("all", "csv")
    assert not exports.is_table("users", "csv")


def test_download_names_the_table_and_the_day(app):
    build_scene()
    db.session.commit()
    reach = services.compute_reach(parse_filters({}))
    generated = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    progress = services.target_progress(reach, services.ensure_targets(), generated.date())
    body, mimetype, name = exports.download(reach, progress, "by_country", "csv", generated)
    assert (mimetype, name) == ("text/csv", "reach-by_country-20260302.csv")
    assert body.startswith("\ufeffCountry code,Country,".encode())
    body, mimetype, name = exports.download(reach, progress, "all", "xlsx", generated)
    assert (mimetype, name) == (exports.XLSX_MIMETYPE, "reach-all-20260302.xlsx")
    assert body.startswith(b"PK")  # a zipped workbook
