"""Alternative modules: declared in course files, validated by sync, counted once."""

import copy
from datetime import date
from decimal import Decimal

import pytest

from app.curriculum.sync import CourseFileError, sync_courses
from app.extensions import db
from app.scheduling import services as scheduling
from tests import factories
from tests.curriculum.helpers import (
    copy_real_courses,
    course_data,
    db_state,
    get_course,
    write_course,
)

CIVIL = {
    "slug": "covert-civil",
    "title": "Covert operations under judicial supervision",
    "hours": 3,
    "legal_traditions": ["civil_law"],
    "objectives": ["Request a judicial authorisation."],
}


def grouped(**changes) -> dict:
    """Return the base course with its common-law module and a civil-law twin as alternatives."""
    data = course_data()
    civil = copy.deepcopy(CIVIL) | changes.pop("civil", {})
    data["modules"].append(civil)
    data["modules"][2]["alternative_group"] = "covert"
    civil.setdefault("alternative_group", "covert")
    for key, value in changes.items():
        data["modules"][2][key] = value
    return data


def test_real_courses_declare_their_alternatives(app, tmp_path):
    sync_courses(copy_real_courses(tmp_path))
    cfcac = get_course("cfcac").current_version
    groups = {m.slug: m.alternative_group for m in cfcac.modules if m.alternative_group}
    assert groups == {
        "undercover-common-law": "covert-operations",
        "special-techniques-civil-law": "covert-operations",
    }
    assert cfcac.total_hours == 42  # every module in the file
    for tradition in (None, "common_law", "civil_law", "mixed"):
        assert cfcac.delivery_hours(tradition) == 39, tradition
    judges = get_course("prosecutors-judges").current_version
    assert (judges.total_hours, judges.delivery_hours(None)) == (24, 21)


def test_the_tradition_chooses_the_alternative(app, tmp_path):
    directory = tmp_path / "courses"
    write_course(directory, grouped())
    sync_courses(directory)
    version = get_course("alpha").current_version
    slugs = {
        tradition: [m.slug for m in version.delivered_modules(tradition)]
        for tradition in ("common_law", "civil_law", "mixed", None)
    }
    assert slugs["common_law"] == ["intro", "evidence", "covert"]
    assert slugs["civil_law"] == ["intro", "evidence", "covert-civil"]
    # A mixed or unknown tradition does not choose: the first alternative stands in, once.
    assert slugs["mixed"] == slugs[None] == ["intro", "evidence", "covert"]
    assert version.delivery_hours(None) == Decimal("11.5")


BAD_GROUPS = {
    "group of one": (
        lambda: course_data(
            modules=[
                *course_data()["modules"][:2],
                course_data()["modules"][2] | {"alternative_group": "covert"},
            ]
        ),
        "modules[2].alternative_group",
        "'covert' names no other module",
    ),
    "different hours": (
        lambda: grouped(civil={"hours": 4}),
        "modules[2].alternative_group",
        "must have the same hours (covert 3 h, covert-civil 4 h)",
    ),
    "taught everywhere": (
        lambda: grouped(civil={"legal_traditions": ["all"]}),
        "modules[3].alternative_group",
        "covert-civil is taught under every tradition, so it has no alternative",
    ),
    "same tradition twice": (
        lambda: grouped(civil={"legal_traditions": ["common_law"]}),
        "modules[3].alternative_group",
        "covert-civil and covert both cover common_law",
    ),
    "not a name": (
        lambda: grouped(civil={"alternative_group": "Covert Ops"}),
        "modules[3].alternative_group",
        "must use lowercase letters",
    ),
    "misspelt key": (
        lambda: grouped(civil={"alternative": "covert"}),
        "modules[3].alternative",
        "unknown key",
    ),
}


@pytest.mark.parametrize("case", BAD_GROUPS, ids=str)
def test_inconsistent_groups_are_refused(app, tmp_path, case):
    build, where, message = BAD_GROUPS[case]
    directory = tmp_path / "courses"
    write_course(directory, course_data(slug="good", code="GOOD"))
    sync_courses(directory)
    db.session.commit()
    before = db_state()
    write_course(directory, build(), name="bad.yaml")
    with pytest.raises(CourseFileError) as raised:
        sync_courses(directory)
    lines = [str(problem) for problem in raised.value.problems]
    assert any(f"bad.yaml: {where}" in line and message in line for line in lines), lines
    assert db_state() == before


def test_groups_are_set_in_place_on_every_version(app, tmp_path):
    directory = tmp_path / "courses"
    ungrouped = grouped()
    for module in ungrouped["modules"]:
        module.pop("alternative_group", None)
    write_course(directory, ungrouped)
    sync_courses(directory)
    changed = copy.deepcopy(ungrouped)
    changed["version"] = "1.1"
    changed["modules"][0]["hours"] = 3  # a content change: version 2
    write_course(directory, changed)
    sync_courses(directory)
    old_session = factories.make_training_session(
        get_course("alpha"), status="completed", imported=True
    )
    old_session.course_version = get_course("alpha").versions[0]
    db.session.commit()
    assert old_session.taught_hours() == Decimal("14.5")  # both alternatives, before the groups

    with_groups = copy.deepcopy(changed)
    with_groups["modules"][2]["alternative_group"] = "covert"
    with_groups["modules"][3]["alternative_group"] = "covert"
    write_course(directory, with_groups)
    report = sync_courses(directory)
    db.session.commit()

    assert report.summary() == "0 created, 1 updated, 0 retired, 0 unchanged"
    assert str(report.changes[0]) == "updated   alpha: alternative groups set on 2 version(s)"
    course = get_course("alpha")
    assert [v.number for v in course.versions] == [1, 2]  # no new version for a grouping
    assert db.session.get(type(old_session), old_session.id).taught_hours() == Decimal("11.5")
    assert str(sync_courses(directory).changes[0]) == "unchanged alpha"


def test_suggested_agenda_places_one_alternative(app, tmp_path):
    directory = tmp_path / "courses"
    write_course(directory, grouped())
    sync_courses(directory)
    course = get_course("alpha")
    for tradition, expected in (("civil_law", "covert-civil"), ("mixed", "covert")):
        training_session = factories.make_training_session(
            course, start=date(2026, 3, 2), days=2, legal_tradition=tradition
        )
        scheduling.set_agenda(training_session, scheduling.suggest_agenda(training_session))
        placed = [module.slug for module, _hours in training_session.taught_modules()]
        assert placed == ["intro", "evidence", expected], tradition
        assert training_session.taught_hours() == Decimal("11.5")
        assert scheduling.modules_not_on_agenda(training_session) == []
