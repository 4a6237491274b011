"""UN M49 groupings 202 and 419 as filters and by-region rows, and the regions file itself."""

import re
from datetime import date
from types import SimpleNamespace

import pycountry
import pytest

from app.accounts.services import create_api_token
from app.extensions import db
from app.reporting import services
from app.reporting.filters import FilterError, parse_filters
from app.shared.regions import M49_FILE, country_regions, find_region, region_of, regions
from tests import factories as f
from tests.reporting.helpers import csv_rows


@pytest.fixture
def world(app):
    """Completions in both groupings and outside them, each course 10 h.

    Ana (NG) trains in Kenya; Ben trains in Kenya from KE, then in Brazil from ZA (two
    Sub-Saharan countries, one person); Chidi (EG, Northern Africa: not Sub-Saharan) in Egypt;
    Dana (BR), Eli (MX) and Finn (US, Northern America: not Latin America) in Brazil.
    """
    w = SimpleNamespace()
    w.manager = f.make_user(roles=("manager",), email="m49@example.org", name="M49 Manager")
    course = f.make_course(slug="m49-course", modules=[("m1", 4, ["all"]), ("m2", 6, ["all"])])
    kenya = f.make_training_session(
        course, host_country="KE", start=date(2024, 2, 5), status="completed", code="M-KE"
    )
    brazil = f.make_training_session(
        course, host_country="BR", start=date(2024, 4, 8), status="completed", code="M-BR"
    )
    egypt = f.make_training_session(
        course, host_country="EG", start=date(2024, 6, 3), status="completed", code="M-EG"
    )
    people = {
        name: f.make_participant(name, country)
        for name, country in [
            ("Ana Bello", "NG"),
            ("Ben Dlamini", "KE"),
            ("Chidi Farouk", "EG"),
            ("Dana Souza", "BR"),
            ("Eli Ramos", "MX"),
            ("Finn Clark", "US"),
        ]
    }
    f.make_enrolment(kenya, people["Ana Bello"], completed=True)
    f.make_enrolment(kenya, people["Ben Dlamini"], completed=True)
    f.make_enrolment(brazil, people["Ben Dlamini"], completed=True, country_code="ZA")
    f.make_enrolment(egypt, people["Chidi Farouk"], completed=True)
    for name in ("Dana Souza", "Eli Ramos", "Finn Clark"):
        f.make_enrolment(brazil, people[name], completed=True)
    db.session.commit()
    return w


def reach(**args):
    return services.compute_reach(parse_filters(args))


def test_by_region_rows_include_both_groupings_in_order(world):
    rows = reach().by_region
    assert [(row["code"], row["level"], row["name"]) for row in rows] == [
        ("002", "region", "Africa"),
        ("015", "sub_region", "Northern Africa"),
        ("202", "grouping", "Sub-Saharan Africa"),
        ("014", "sub_region", "Eastern Africa"),
        ("018", "sub_region", "Southern Africa"),
        ("011", "sub_region", "Western Africa"),
        ("019", "region", "Americas"),
        ("021", "sub_region", "Northern America"),
        ("419", "grouping", "Latin America and the Caribbean"),
        ("013", "sub_region", "Central America"),
        ("005", "sub_region", "South America"),
    ]
    by_code = {row["code"]: row for row in rows}
    # Ben counts once for Sub-Saharan Africa, though he served from two of its countries.
    assert by_code["202"]["participants_trained"] == 2
    assert by_code["202"]["countries_reached"] == 3
    assert by_code["202"]["training_hours"] == 30
    assert by_code["202"]["parent"] == "002"
    assert by_code["002"]["participants_trained"] == 3
    assert by_code["419"]["participants_trained"] == 2
    assert by_code["419"]["countries_reached"] == 2
    assert by_code["419"]["training_hours"] == 20
    assert by_code["019"]["participants_trained"] == 3


@pytest.mark.parametrize("value", ["202", "Sub-Saharan Africa", "sub-saharan  africa"])
def test_sub_saharan_filter(world, value):
    result = reach(region=value)
    assert result.filters.region.code == "202"
    assert result.totals["participants_trained"] == 2
    assert result.totals["countries_reached"] == 3
    assert {row["country"] for row in result.by_country} == {"KE", "NG", "ZA"}
    assert "Sub-Saharan Africa (M49 202)" in result.filters.describe_text()


def test_latin_america_filter(world):
    result = reach(region="419")
    assert result.totals["participants_trained"] == 2
    assert {row["country"] for row in result.by_country} == {"BR", "MX"}


def test_unknown_region_is_refused_truthfully(app):
    with pytest.raises(FilterError) as error:
        parse_filters({"region": "999"})
    assert "999 is not a UN M49 region, grouping or sub-region" in error.value.message


def test_cli_accepts_grouping(world, runner):
    result = runner.invoke(args=["reports", "reach", "--region", "202"])
    assert result.exit_code == 0, result.output
    assert "Sub-Saharan Africa (M49 202)" in result.output
    assert "Participants trained: 2" in result.output
    refused = runner.invoke(args=["reports", "reach", "--region", "999"])
    assert refused.exit_code != 0
    assert "grouping" in refused.output


def test_api_export_and_dashboard_accept_grouping(world, client, login):
    token = create_api_token(world.manager, "m49")
    db.session.commit()
    api = client.get(
        "/api/v1/reports/reach?region=419", headers={"Authorization": f"Bearer {token}"}
    ).json
    assert api["participants_trained"] == 2
    assert api["filters"]["region"] == "419"
    assert {
        "code": "419",
        "level": "grouping",
        "name": "Latin America and the Caribbean",
    }.items() <= (next(row for row in api["by_region"] if row["code"] == "419").items())
    login(world.manager)
    page = client.get("/reach?region=202").get_data(as_text=True)
    assert re.search(r'<option value="202" selected[^>]*>— Sub-Saharan Africa</option>', page)
    assert 'data-figure="participants_trained">2<' in page
    rows = csv_rows(client.get("/reach/export/by_region.csv?region=202").data)
    by_code = {row["M49 code"]: (row["Level"], row["Participants trained"]) for row in rows}
    assert by_code["202"] == ("grouping", "2")


def test_every_iso_code_is_in_the_regions_file():
    listed = set(country_regions()) | {"AQ"}
    assert {country.alpha_2 for country in pycountry.countries} <= listed


@pytest.mark.parametrize(
    ("code", "region", "sub_region"),
    [
        ("BV", "019", "005"),
        ("GS", "019", "005"),
        ("CC", "009", "053"),
        ("CX", "009", "053"),
        ("HM", "009", "053"),
        ("IO", "002", "014"),
        ("TF", "002", "014"),
        ("UM", "009", "057"),
    ],
)
def test_territories_once_missing_are_placed(code, region, sub_region):
    assert country_regions()[code][:2] == (region, sub_region)


def test_antarctica_has_no_region_and_the_header_places_taiwan_and_kosovo():
    assert region_of("AQ") is None
    assert "AQ," in M49_FILE.read_text(encoding="utf-8")
    header = "".join(
        line for line in M49_FILE.read_text(encoding="utf-8").splitlines(True) if line[0] == "#"
    )
    assert "Taiwan (TW)" in header
    assert "Kosovo (XK)" in header
    assert country_regions()["TW"][:2] == ("142", "030")
    assert country_regions()["XK"][:2] == ("150", "039")


def test_groupings_hold_exactly_their_m49_members():
    assert regions()["202"].countries == regions()["002"].countries - regions()["015"].countries
    assert regions()["419"].countries == regions()["019"].countries - regions()["021"].countries
    assert "SD" not in regions()["202"].countries  # M49 places Sudan in Northern Africa
    assert "SS" in regions()["202"].countries
    assert find_region("419").level == "grouping"
    assert all(re.fullmatch(r"\d{3}", code) for code in regions())
