from datetime import timedelta

import pytest

from app.extensions import db
from app.reporting import services
from app.reporting.filters import FilterError, parse_filters
from app.shared.clock import today_in
from tests import factories as f
from tests.reporting.helpers import EXPECTED, EXPECTED_BY_COUNTRY, build_scene


@pytest.fixture
def scene(app):
    scene = build_scene()
    db.session.commit()
    return scene


def reach(**args):
    return services.compute_reach(parse_filters(args))


def test_exact_figures_on_crafted_data(scene):
    result = reach()
    assert result.totals == EXPECTED
    assert result.summary_json()["by_country"] == EXPECTED_BY_COUNTRY
    kenya = result.by_country[0]
    # Alice trained twice from Kenya, Bob once from Kenya before moving to Rwanda.
    assert kenya["country"] == "KE"
    assert kenya["sessions_attended"] == 2
    assert kenya["last_training_date"] == scene.s2.end_date
    assert kenya["training_hours"] == 13 + 13 + 4


def test_breakdowns(scene):
    result = reach()
    regions = {row["name"]: row for row in result.by_region}
    assert regions["Africa"]["participants_trained"] == 3
    assert regions["Africa"]["level"] == "region"
    assert regions["Eastern Africa"]["participants_trained"] == 3
    assert regions["Eastern Africa"]["countries_reached"] == 3
    assert [row["name"] for row in result.by_region] == [
        "Africa",
        "Sub-Saharan Africa",
        "Eastern Africa",
    ]
    years = {row["year"]: row for row in result.by_year}
    assert years[2023]["participants_trained"] == 2
    assert years[2023]["sessions_delivered"] == 1
    assert years[2023]["countries_reached"] == 1
    assert years[2024]["participants_trained"] == 3
    assert years[2024]["training_hours"] == 12
    assert {row["agency_type"]: row["participants_trained"] for row in result.by_agency} == {
        "police": 1,
        "prosecution": 1,
        "child_protection": 1,
    }
    assert {row["label"] for row in result.by_agency} >= {"Police", "Child protection"}
    assert {row["gender"]: row["participants_trained"] for row in result.by_gender} == {
        "female": 2,
        "male": 1,
    }
    assert {row["course"]: row["participants_trained"] for row in result.by_course} == {
        "course-a": 2,
        "course-b": 3,
    }


def test_regions_count_countries_and_hours_on_each_level(scene):
    # A French officer trained in Kenya: Europe appears, Africa keeps its three countries.
    gael = f.make_participant("Gaël Lefèvre", "FR", agency_type="police")
    f.make_enrolment(scene.s1, gael, completed=True)
    db.session.commit()
    result = reach()
    regions = {row["name"]: row for row in result.by_region}
    assert [row["name"] for row in result.by_region] == [
        "Africa",
        "Sub-Saharan Africa",
        "Eastern Africa",
        "Europe",
        "Western Europe",
    ]
    assert regions["Africa"]["countries_reached"] == 3
    assert regions["Eastern Africa"]["countries_reached"] == 3
    assert regions["Europe"]["countries_reached"] == 1
    assert regions["Western Europe"]["participants_trained"] == 1
    assert regions["Western Europe"]["training_hours"] == 13
    assert regions["Africa"]["training_hours"] == 38
    assert result.totals["countries_reached"] == 4
    assert result.totals["participants_trained"] == 4


def test_gender_not_recorded_is_its_own_row(scene):
    scene.fay.gender = None
    db.session.commit()
    rows = {row["gender"]: row for row in reach().by_gender}
    assert rows[""]["label"] == "Not recorded"
    assert rows[""]["participants_trained"] == 1


@pytest.mark.parametrize(
    ("args", "people", "countries", "sessions"),
    [
        ({"from": "2024-01-01"}, 3, 3, 1),
        ({"to": "2023-12-31"}, 2, 1, 1),
        ({"course": "course-a"}, 2, 1, 1),
        ({"region": "Eastern Africa"}, 3, 3, 2),
        ({"region": "014"}, 3, 3, 2),
        ({"region": "africa"}, 3, 3, 2),
        ({"region": "Europe"}, 0, 0, 0),
        ({"agency_type": "police"}, 1, 1, 2),
        ({"agency_type": "child_protection"}, 1, 1, 1),
        ({"partner": "Regional Police Academy"}, 2, 1, 1),
        ({"host_country": "UG"}, 3, 3, 1),
        ({"host_country": "Uganda"}, 3, 3, 1),
        ({"country": "RW"}, 1, 1, 1),
        ({"country": "KEN"}, 2, 1, 2),
        ({"country": "KE", "from": "2024-01-01"}, 1, 1, 1),
    ],
)
def test_every_filter(scene, args, people, countries, sessions):
    result = reach(**args)
    assert result.totals["participants_trained"] == people
    assert result.totals["countries_reached"] == countries
    assert result.totals["sessions_delivered"] == sessions


def test_partner_filter_by_id(scene):
    assert reach(partner=str(scene.partner.id)).totals["participants_trained"] == 2


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"from": "2024-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2024-02-01", "to": "2024-01-01"}, "to"),
        ({"course": "no-such-course"}, "course"),
        ({"region": "Atlantis"}, "region"),
        ({"agency_type": "spies"}, "agency_type"),
        ({"partner": "999999"}, "partner"),
        ({"host_country": "XX"}, "host_country"),
        ({"country": "Narnia"}, "country"),
    ],
)
def test_bad_filters_name_the_field(app, args, field):
    with pytest.raises(FilterError) as caught:
        parse_filters(args)
    assert caught.value.field == field
    assert caught.value.message.startswith(field)


def test_filters_describe_themselves(scene):
    filters = parse_filters({"region": "014", "course": "course-a", "country": "ken"})
    text = filters.describe_text()
    assert "Eastern Africa" in text
    assert "Course A" in text
    assert "Kenya" in text
    assert filters.query_args() == {"region": "014", "course": "course-a", "country": "KE"}
    assert parse_filters({}).describe_text().startswith("none")


def test_target_list_seeded_with_interpol_members(app):
    codes = services.ensure_targets()
    db.session.commit()
    assert len(codes) == 196
    assert {"KE", "PS", "VA", "FR"} <= set(codes)
    assert "AQ" not in codes
    assert services.ensure_targets() == codes  # not seeded twice


def test_not_reached_grouped_by_region_with_nearest_upcoming_session(scene):
    services.set_targets(["KE", "RW", "UG", "TZ", "ET", "FR"])
    db.session.commit()
    result = reach()
    progress = services.target_progress(result, services.ensure_targets(), today_in(None))
    assert (progress.reached, progress.total) == (3, 6)
    groups = {group["name"]: group for group in progress.not_reached}
    assert list(groups) == ["Africa", "Europe"]
    africa = groups["Africa"]
    assert [row["country"] for row in africa["countries"]] == ["ET", "TZ"]
    tanzania = africa["countries"][1]
    assert tanzania["upcoming"]["code"] == "A-NEXT-TZ"  # the nearest, not the later draft
    assert africa["countries"][0]["upcoming"] is None  # Ethiopia's session started yesterday
    assert africa["nearest"]["code"] == "A-NEXT-TZ"
    assert groups["Europe"]["countries"][0]["upcoming"] is None
    assert groups["Europe"]["nearest"] is None


def test_targets_narrowed_by_region_filter(scene):
    services.set_targets(["KE", "RW", "UG", "TZ", "FR"])
    result = reach(region="Europe")
    progress = services.target_progress(result, services.ensure_targets(), today_in(None))
    assert (progress.reached, progress.total) == (0, 1)


def test_set_targets_refuses_unknown_codes(app):
    with pytest.raises(services.ReportingError, match="ZZ"):
        services.set_targets(["KE", "ZZ"])


def test_upcoming_ignores_past_and_cancelled(scene):
    from tests import factories as f

    f.make_training_session(
        scene.course_a,
        host_country="FR",
        start=today_in(None) + timedelta(days=5),
        status="cancelled",
    )
    services.set_targets(["FR"])
    progress = services.target_progress(reach(), ["FR"], today_in(None))
    assert progress.not_reached[0]["countries"][0]["upcoming"] is None
