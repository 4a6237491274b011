"""`flask courses sync` on copies of the course folder."""

from app.extensions import db
from tests.curriculum.helpers import (
    copy_real_courses,
    course_data,
    db_state,
    get_course,
    write_course,
)


def test_sync_prints_changes_and_counts(runner, tmp_path):
    directory = copy_real_courses(tmp_path)
    count = len(list(directory.glob("*.yaml")))
    result = runner.invoke(args=["courses", "sync", "--dir", str(directory)])
    assert result.exit_code == 0, result.output
    assert "created   cfcac: version 1 (2.1)" in result.stdout
    assert result.stdout.strip().endswith(f"{count} created, 0 updated, 0 retired, 0 unchanged")
    assert get_course("cfcac") is not None

    again = runner.invoke(args=["courses", "sync", "--dir", str(directory)])
    assert again.exit_code == 0
    assert again.stdout.strip() == f"0 created, 0 updated, 0 retired, {count} unchanged"


def test_sync_defaults_to_the_project_courses_folder(runner, app):
    result = runner.invoke(args=["courses", "sync", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "cfcac" in result.stdout


def test_dry_run_writes_nothing(runner, tmp_path):
    directory = copy_real_courses(tmp_path)
    result = runner.invoke(args=["courses", "sync", "--dry-run", "--dir", str(directory)])
    assert result.exit_code == 0
    assert "Dry run: nothing was written." in result.stdout
    assert db_state() == []


def test_bad_file_lists_every_problem_and_exits_non_zero(runner, tmp_path):
    directory = copy_real_courses(tmp_path)
    runner.invoke(args=["courses", "sync", "--dir", str(directory)])
    before = db_state()

    data = course_data(audiences=["police"])
    data["modules"][3 - 1]["hours"] = "lots"
    write_course(directory, data, name="x.yaml")
    (directory / "cfcac.yaml").write_text(
        (directory / "cfcac.yaml")
        .read_text()
        .replace("title: Investigating", "titel: x\ntitle: I"),
        encoding="utf-8",
    )
    result = runner.invoke(args=["courses", "sync", "--dir", str(directory)])
    assert result.exit_code != 0
    assert "x.yaml: audiences[0]: 'police' is not an audience code" in result.stderr
    assert "x.yaml: modules[2].hours: must be a number" in result.stderr
    assert "cfcac.yaml: titel: unknown key" in result.stderr
    assert "3 problems found; nothing was changed." in result.stderr
    db.session.rollback()
    assert db_state() == before


def test_module_change_reports_new_version(runner, tmp_path):
    directory = tmp_path / "courses"
    write_course(directory, course_data())
    runner.invoke(args=["courses", "sync", "--dir", str(directory)])
    data = course_data(version="1.1")
    data["modules"][0]["title"] = "Opening session"
    write_course(directory, data)
    result = runner.invoke(args=["courses", "sync", "--dir", str(directory)])
    assert result.exit_code == 0
    assert "updated   alpha: new version 2 (1.1): modules changed" in result.stdout
    assert "0 created, 1 updated, 0 retired, 0 unchanged" in result.stdout
    assert [v.label for v in get_course("alpha").versions] == ["1.0", "1.1"]


def test_retire_is_printed(runner, tmp_path):
    directory = tmp_path / "courses"
    write_course(directory, course_data())
    write_course(directory, course_data(slug="beta", code="BETA"))
    runner.invoke(args=["courses", "sync", "--dir", str(directory)])
    (directory / "beta.yaml").unlink()
    result = runner.invoke(args=["courses", "sync", "--dir", str(directory)])
    assert "retired   beta: beta.yaml is gone" in result.stdout
    assert "0 created, 0 updated, 1 retired, 1 unchanged" in result.stdout
