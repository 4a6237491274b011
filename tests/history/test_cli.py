from app.extensions import db
from tests.history.helpers import counts, course, csv_bytes, row, xlsx_bytes


def test_import_history_writes_and_reports_counts(app, runner, tmp_path):
    course()
    db.session.commit()
    path = tmp_path / "past.csv"
    path.write_bytes(csv_bytes([row(), row(name="Peter Otieno", email="", completed="no")]))

    result = runner.invoke(args=["import", "history", str(path)])

    assert result.exit_code == 0, result.output
    assert "Imported 2 rows from past.csv." in result.output
    assert "Sessions: 1 created, 0 matched." in result.output
    assert "People: 2 created, 0 matched." in result.output
    assert "Enrolments: 2 created, 0 already present." in result.output
    db.session.expire_all()
    assert counts() == (1, 2, 2)

    again = runner.invoke(args=["import", "history", str(path)])
    assert again.exit_code == 0, again.output
    assert "Sessions: 0 created, 1 matched." in again.output
    assert "Enrolments: 0 created, 2 already present." in again.output
    assert counts() == (1, 2, 2)


def test_dry_run_writes_nothing(app, runner, tmp_path):
    course()
    db.session.commit()
    path = tmp_path / "past.xlsx"
    header = list(row())
    path.write_bytes(xlsx_bytes([[row()[c] for c in header]], header=header))

    result = runner.invoke(args=["import", "history", "--dry-run", str(path)])

    assert result.exit_code == 0, result.output
    assert "Dry run: 1 row checked in past.xlsx; nothing written." in result.output
    assert "Sessions: 1 created, 0 matched." in result.output
    assert counts() == (0, 0, 0)


def test_errors_exit_non_zero_and_write_nothing(app, runner, tmp_path):
    course()
    db.session.commit()
    path = tmp_path / "past.csv"
    path.write_bytes(csv_bytes([row(), row(name="B", completed="maybe"), row(country="Mars")]))

    result = runner.invoke(args=["import", "history", str(path)])

    assert result.exit_code == 1
    assert "Row 3, completed: “maybe” is not one of yes, no" in result.output
    assert "Row 4, country: Unknown country “Mars”." in result.output
    assert "2 error(s) in past.csv; nothing was imported." in result.output
    assert counts() == (0, 0, 0)


def test_file_errors_exit_non_zero(app, runner, tmp_path):
    path = tmp_path / "past.csv"
    path.write_bytes(b"course,name\nx,y\n")
    result = runner.invoke(args=["import", "history", str(path)])
    assert result.exit_code == 1
    assert "lacks the columns session_code, host_country" in result.output
    missing = runner.invoke(args=["import", "history", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2
