"""sync_courses: create, update in place, version, retire, and refuse bad files all-or-nothing."""

from decimal import Decimal
from pathlib import Path

import pytest

from app.curriculum.models import Course, CourseVersion
from app.curriculum.sync import (
    CourseFileError,
    modules_hash,
    read_courses,
    sync_courses,
)
from app.extensions import db
from tests import factories
from tests.curriculum.helpers import (
    copy_real_courses,
    course_data,
    db_state,
    get_course,
    write_course,
)


@pytest.fixture
def folder(tmp_path) -> Path:
    directory = tmp_path / "courses"
    write_course(directory, course_data())
    return directory


def test_sync_creates_the_real_courses(app, tmp_path):
    directory = copy_real_courses(tmp_path)
    report = sync_courses(directory)
    assert report.created == len(list(directory.glob("*.yaml")))
    assert report.summary().startswith(f"{report.created} created, 0 updated, 0 retired")
    cfcac = get_course("cfcac")
    assert cfcac.code == "CFCAC"
    assert cfcac.validity_months == 36
    assert cfcac.completion_threshold == Decimal("0.8")
    assert cfcac.source_file == "cfcac.yaml"
    version = cfcac.current_version
    assert (version.number, version.label) == (1, "2.1")
    assert [m.position for m in version.modules] == list(range(len(version.modules)))
    assert version.modules[0].objectives


def test_created_course_has_every_field(app, folder):
    sync_courses(folder)
    course = get_course("alpha")
    assert course.title == "Alpha course"
    assert course.audiences == ["law_enforcement"]
    assert course.languages == ["en", "fr"]
    assert course.validity_months is None
    assert course.certificate == {
        "title": None,
        "signatories": [],
        "partner_logos": [],
        "logos": [],
        "layout": "",
    }
    assert not course.retired
    version = course.current_version
    assert version.total_hours == Decimal("11.5")
    assert [m.slug for m in version.modules] == ["intro", "evidence", "covert"]
    assert version.modules[2].legal_traditions == ["common_law"]
    assert version.content_hash == modules_hash(
        [
            {
                "slug": m.slug,
                "title": m.title,
                "hours": format(m.hours.normalize(), "f"),
                "objectives": m.objectives,
                "legal_traditions": m.legal_traditions,
            }
            for m in version.modules
        ]
    )


def test_second_run_changes_nothing(app, tmp_path):
    directory = copy_real_courses(tmp_path)
    sync_courses(directory)
    db.session.commit()
    before = db_state()
    report = sync_courses(directory)
    db.session.commit()
    assert report.summary() == f"0 created, 0 updated, 0 retired, {len(before)} unchanged"
    assert not report.changed
    assert db_state() == before


def test_module_change_makes_a_new_version_and_sessions_keep_theirs(app, folder):
    sync_courses(folder)
    course = get_course("alpha")
    training_session = factories.make_training_session(course=course)
    first_version_id = training_session.course_version_id
    db.session.commit()

    data = course_data(version="1.1")
    data["modules"][1]["hours"] = 7
    write_course(folder, data)
    report = sync_courses(folder)
    db.session.commit()

    assert report.summary() == "0 created, 1 updated, 0 retired, 0 unchanged"
    course = get_course("alpha")
    assert [(v.number, v.label) for v in course.versions] == [(1, "1.0"), (2, "1.1")]
    assert course.current_version.modules[1].hours == Decimal(7)
    assert course.versions[0].modules[1].hours == Decimal("6.5")
    db.session.refresh(training_session)
    assert training_session.course_version_id == first_version_id
    assert report.warnings == []


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m[0].update(slug="opening"),
        lambda m: m[0].update(title="Opening"),
        lambda m: m[0]["objectives"].append("Explain the course rules."),
        lambda m: m[2].update(legal_traditions=["civil_law"]),
        lambda m: m.reverse(),
        lambda m: m.pop(),
    ],
    ids=["slug", "title", "objectives", "traditions", "order", "removed"],
)
def test_any_module_content_change_makes_a_new_version(app, folder, change):
    sync_courses(folder)
    data = course_data()
    change(data["modules"])
    write_course(folder, data)
    report = sync_courses(folder)
    assert "new version 2" in str(report.changes[0])
    assert len(get_course("alpha").versions) == 2
    # Forgetting to raise the label is allowed, but sync says so.
    assert report.warnings and "1.0" in report.warnings[0]


def test_same_hours_written_differently_is_not_a_change(app, folder):
    sync_courses(folder)
    data = course_data()
    data["modules"][0]["hours"] = 2.0
    write_course(folder, data)
    assert sync_courses(folder).unchanged == 1


def test_title_only_change_updates_in_place(app, folder):
    sync_courses(folder)
    db.session.commit()
    before = get_course("alpha")
    course_id, version_ids = before.id, [v.id for v in before.versions]

    write_course(folder, course_data(title="Alpha course, revised", summary="New summary."))
    report = sync_courses(folder)
    db.session.commit()

    assert report.summary() == "0 created, 1 updated, 0 retired, 0 unchanged"
    assert "changed title, summary" in str(report.changes[0])
    course = get_course("alpha")
    assert (course.id, course.title, course.summary) == (
        course_id,
        "Alpha course, revised",
        "New summary.",
    )
    assert [v.id for v in course.versions] == version_ids


def test_label_only_change_renames_the_current_version(app, folder):
    sync_courses(folder)
    write_course(folder, course_data(version="1.0.1"))
    report = sync_courses(folder)
    assert report.updated == 1
    course = get_course("alpha")
    assert [(v.number, v.label) for v in course.versions] == [(1, "1.0.1")]


def test_missing_file_retires_and_returning_file_restores(app, folder):
    write_course(folder, course_data(slug="beta", code="BETA", title="Beta"))
    sync_courses(folder)
    course = get_course("beta")
    training_session = factories.make_training_session(course=course)
    db.session.commit()

    (folder / "beta.yaml").unlink()
    report = sync_courses(folder)
    db.session.commit()
    assert report.summary() == "0 created, 0 updated, 1 retired, 1 unchanged"
    assert get_course("beta").retired is True
    assert db.session.get(Course, course.id) is not None
    assert training_session.course.slug == "beta"

    # Running again with the file still gone retires nothing more.
    assert sync_courses(folder).summary() == "0 created, 0 updated, 0 retired, 1 unchanged"

    write_course(folder, course_data(slug="beta", code="BETA", title="Beta"))
    report = sync_courses(folder)
    db.session.commit()
    assert report.summary() == "0 created, 1 updated, 0 retired, 1 unchanged"
    assert "restored" in str(report.changes[1])
    restored = get_course("beta")
    assert restored.retired is False
    assert restored.id == course.id
    assert len(restored.versions) == 1


def test_dry_run_writes_nothing(app, folder):
    report = sync_courses(folder, dry_run=True)
    assert report.created == 1 and report.dry_run
    assert not db.session.new and db_state() == []

    sync_courses(folder)
    db.session.commit()
    before = db_state()
    data = course_data(title="Changed")
    data["modules"].pop()
    write_course(folder, data)
    write_course(folder, course_data(slug="gamma", code="GAMMA"))
    report = sync_courses(folder, dry_run=True)
    assert report.summary() == "1 created, 1 updated, 0 retired, 0 unchanged"
    assert db_state() == before
    (folder / "alpha.yaml").unlink()
    report = sync_courses(folder, dry_run=True)
    assert report.retired == 1
    assert db_state() == before


# --- validation: every problem names file and field, and nothing is written --------------


def _bad_module(**changes) -> dict:
    data = course_data()
    data["modules"][1].update(changes)
    return data


def _without(key: str) -> dict:
    data = course_data()
    del data[key]
    return data


def _without_module_key(key: str) -> dict:
    data = course_data()
    del data["modules"][0][key]
    return data


BAD_FILES = {
    "missing title": (_without("title"), "title", "is required"),
    "missing modules": (_without("modules"), "modules", "is required"),
    "missing module hours": (_without_module_key("hours"), "modules[0].hours", "is required"),
    "missing objectives": (
        _without_module_key("objectives"),
        "modules[0].objectives",
        "is required",
    ),
    "negative hours": (_bad_module(hours=-2), "modules[1].hours", "positive number"),
    "zero hours": (_bad_module(hours=0), "modules[1].hours", "positive number"),
    "text hours": (_bad_module(hours="six"), "modules[1].hours", "must be a number"),
    "too precise hours": (_bad_module(hours=1.255), "modules[1].hours", "2 decimal places"),
    "bad tradition": (
        _bad_module(legal_traditions=["roman_law"]),
        "modules[1].legal_traditions[0]",
        "is not one of: common_law, civil_law, all",
    ),
    "all mixed with a tradition": (
        _bad_module(legal_traditions=["all", "civil_law"]),
        "modules[1].legal_traditions",
        "cannot be combined",
    ),
    "empty objectives": (_bad_module(objectives=[]), "modules[1].objectives", "non-empty list"),
    "bad audience": (
        course_data(audiences=["police"]),
        "audiences[0]",
        "'police' is not an audience code",
    ),
    "bad language": (course_data(languages=["en", "english"]), "languages[1]", "ISO 639-1"),
    "norway problem": (course_data(languages=[False]), "languages[0]", "in quotes"),
    "unknown key": (course_data(langauges=["en"]), "langauges", "unknown key"),
    "unknown module key": (_bad_module(objective=["x"]), "modules[1].objective", "unknown key"),
    "duplicate module slug": (_bad_module(slug="intro"), "modules[1].slug", "already used"),
    "bad slug": (course_data(slug="Alpha Course"), "slug", "lowercase"),
    "bad code": (course_data(code="alpha"), "code", "capital letters"),
    "numeric version": (course_data(version=2.1), "version", "in quotes"),
    "threshold above 1": (
        course_data(completion_threshold=1.2),
        "completion_threshold",
        "between 0 and 1",
    ),
    "threshold below 0": (
        course_data(completion_threshold=-0.1),
        "completion_threshold",
        "between 0 and 1",
    ),
    "bad validity": (course_data(validity_months=0), "validity_months", "whole number"),
    "bad certificate key": (
        course_data(certificate={"titel": "x"}),
        "certificate.titel",
        "unknown key",
    ),
    "signatory without title": (
        course_data(certificate={"signatories": [{"name": "A. Person"}]}),
        "certificate.signatories[0].title",
        "is required",
    ),
    "missing logo": (
        course_data(certificate={"partner_logos": ["nowhere.svg"]}),
        "certificate.partner_logos[0]",
        "is not in static/img/partners/",
    ),
    "not a mapping": ("- just\n- a list\n", "", "must be a YAML mapping"),
    "malformed yaml": ("slug: alpha\ntitle: [unclosed\n", "line 3", "is not valid YAML"),
    "duplicate key": ("slug: alpha\nslug: beta\n", "line 2", "appears twice"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=str)
def test_bad_file_is_refused_with_file_and_field(app, tmp_path, case):
    data, where, message = BAD_FILES[case]
    directory = tmp_path / "courses"
    write_course(directory, course_data(slug="good", code="GOOD"))
    sync_courses(directory)
    db.session.commit()
    before = db_state()

    # One good file (changed, so that it would be written) and one bad file: nothing happens.
    write_course(directory, course_data(slug="good", code="GOOD", title="Good, changed"))
    bad = write_course(directory, data, name="bad.yaml")
    with pytest.raises(CourseFileError) as raised:
        sync_courses(directory)
    text = str(raised.value)
    assert str(bad) in text or "bad.yaml" in text
    matching = [str(p) for p in raised.value.problems if message in p.message]
    assert matching, text
    assert any(f"bad.yaml: {where}" in line for line in matching), text
    assert not db.session.new and not db.session.dirty
    assert db_state() == before


def test_all_problems_are_listed_at_once(app, tmp_path):
    directory = tmp_path / "courses"
    data = course_data(audiences=["police"], completion_threshold=2)
    data["modules"][0]["hours"] = -1
    write_course(directory, data, name="one.yaml")
    write_course(directory, "slug: [\n", name="two.yaml")
    with pytest.raises(CourseFileError) as raised:
        read_courses(directory)
    fields = [(Path(p.file).name, p.field) for p in raised.value.problems]
    assert ("one.yaml", "audiences[0]") in fields
    assert ("one.yaml", "completion_threshold") in fields
    assert ("one.yaml", "modules[0].hours") in fields
    assert any(name == "two.yaml" for name, _ in fields)


def test_duplicate_slug_across_files(app, tmp_path):
    directory = tmp_path / "courses"
    write_course(directory, course_data(), name="alpha.yaml")
    write_course(directory, course_data(code="OTHER"), name="alpha-copy.yaml")
    with pytest.raises(CourseFileError) as raised:
        sync_courses(directory)
    (problem,) = raised.value.problems
    assert problem.field == "slug"
    assert problem.file.endswith("alpha.yaml")
    assert "alpha-copy.yaml" in problem.message
    assert db_state() == []


def test_duplicate_code_across_files(app, tmp_path):
    directory = tmp_path / "courses"
    write_course(directory, course_data())
    write_course(directory, course_data(slug="beta"))
    with pytest.raises(CourseFileError) as raised:
        sync_courses(directory)
    assert [(p.field, Path(p.file).name) for p in raised.value.problems] == [("code", "beta.yaml")]


def test_empty_or_missing_folder_is_refused(app, tmp_path):
    sync_courses(write_course(tmp_path / "courses", course_data()).parent)
    db.session.commit()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CourseFileError, match="refusing to retire"):
        sync_courses(empty)
    with pytest.raises(CourseFileError, match="is not a folder"):
        sync_courses(tmp_path / "missing")
    assert get_course("alpha").retired is False


def test_defaults_and_optional_fields(app, tmp_path):
    directory = tmp_path / "courses"
    data = course_data(
        completion_threshold=0.75,
        validity_months=36,
        certificate={
            "title": "Certificate of Completion",
            "signatories": [{"name": "Dr Helena Marsh", "title": "Director"}],
        },
    )
    del data["modules"][0]["legal_traditions"]
    write_course(directory, data)
    sync_courses(directory)
    course = get_course("alpha")
    assert course.completion_threshold == Decimal("0.75")
    assert course.validity_months == 36
    assert course.certificate["signatories"] == [
        {"name": "Dr Helena Marsh", "title": "Director", "signature": None}
    ]
    assert course.current_version.modules[0].legal_traditions == ["all"]
    assert db.session.query(CourseVersion).count() == 1


def test_certificate_images_are_checked_under_static_img(app, tmp_path):
    images = tmp_path / "img"
    (images / "partners").mkdir(parents=True)
    (images / "signatures").mkdir()
    (images / "partners" / "academy.svg").write_text("<svg/>")
    (images / "signatures" / "director.svg").write_text("<svg/>")
    directory = tmp_path / "courses"
    certificate = {
        "title": "Certificate of Completion",
        "layout": "classic",
        "signatories": [
            {"name": "Dr Helena Marsh", "title": "Director", "signature": "director.svg"}
        ],
        "partner_logos": ["academy.svg"],
    }
    write_course(directory, course_data(certificate=certificate))
    sync_courses(directory, image_dir=images)
    stored = get_course("alpha").certificate
    assert stored["partner_logos"] == ["academy.svg"]
    assert stored["logos"] == ["img/partners/academy.svg"]
    assert stored["signatories"][0]["signature"] == "img/signatures/director.svg"
    assert stored["layout"] == "classic"

    certificate["signatories"][0]["signature"] = "../secret.svg"
    certificate["partner_logos"] = ["missing.svg"]
    write_course(directory, course_data(certificate=certificate))
    with pytest.raises(CourseFileError) as raised:
        sync_courses(directory, image_dir=images)
    fields = [p.field for p in raised.value.problems]
    assert fields == ["certificate.signatories[0].signature", "certificate.partner_logos[0]"]
