from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.enrolment.models import Enrolment, Participant
from app.extensions import db
from app.history.services import HistoryImportError, import_history
from app.scheduling.models import TrainingSession
from tests import factories
from tests.history.helpers import counts, course, csv_bytes, row, xlsx_bytes


def run(rows, write=True, filename="history.csv", **kwargs):
    return import_history(filename, csv_bytes(rows, **kwargs), write=write)


def test_happy_path_creates_completed_sessions_people_and_enrolments(app):
    cyb = course()
    rows = [
        row(),
        row(name="Peter Otieno", email="", country="UGA", agency_type="Prosecution",
            organisation="Office of the DPP", completed="no"),
        row(session_code="CYB-2021-TZ-02", host_country="Tanzania", city="Arusha",
            start_date="2021-06-07", end_date="2021-06-09", name="Ольга Петрова",
            email="Olga@Example.org", country="UA", agency_type="", completed="1"),
    ]  # fmt: skip

    report = run(rows)

    assert report.ok, report.errors
    assert report.written
    assert (report.sessions_created, report.sessions_matched) == (2, 0)
    assert (report.people_created, report.people_matched) == (3, 0)
    assert (report.enrolments_created, report.enrolments_present) == (3, 0)
    sessions = {ts.code: ts for ts in db.session.scalars(select(TrainingSession))}
    nairobi = sessions["CYB-2019-KE-01"]
    assert nairobi.status == "completed" and nairobi.imported
    assert nairobi.course_id == cyb.id and nairobi.course_version_id == cyb.current_version.id
    assert (nairobi.host_country, nairobi.city, nairobi.language) == ("KE", "Nairobi", "en")
    # Scheduling decides what a past session's unknowns are: hours in UTC, no legal tradition.
    assert (nairobi.timezone, nairobi.legal_tradition, nairobi.venue) == ("UTC", None, "")
    assert (nairobi.start_date, nairobi.end_date) == (date(2019, 3, 4), date(2019, 3, 8))
    assert nairobi.capacity == 2 and nairobi.notes == "Imported from history.csv."
    assert sessions["CYB-2021-TZ-02"].host_country == "TZ"
    assert sessions["CYB-2021-TZ-02"].capacity == 1

    olga = db.session.scalar(select(Participant).where(Participant.email == "olga@example.org"))
    assert olga.full_name == "Ольга Петрова" and olga.country_code == "UA"
    assert olga.agency_type == "other"
    peter = db.session.scalar(select(Participant).where(Participant.full_name == "Peter Otieno"))
    assert peter.email is None and peter.name_key == "otieno peter"
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.participant_id == peter.id))
    assert enrolment.status == "enrolled" and enrolment.completed is False
    assert (enrolment.country_code, enrolment.organisation, enrolment.agency_type) == (
        "UG",
        "Office of the DPP",
        "prosecution",
    )
    assert isinstance(enrolment.created_at, datetime) and enrolment.created_at.tzinfo
    completed = {
        e.participant.full_name: e.completed for e in db.session.scalars(select(Enrolment))
    }
    assert completed == {"Amina Njeri": True, "Peter Otieno": False, "Ольга Петрова": True}


def test_dry_run_counts_without_writing(app):
    course()
    report = run([row(), row(name="B", email="b@x.org")], write=False)
    assert report.ok and not report.written
    assert (report.sessions_created, report.people_created, report.enrolments_created) == (1, 2, 2)
    assert counts() == (0, 0, 0)


def test_session_matched_by_code(app):
    cyb = course()
    existing = factories.make_training_session(
        course=cyb, code="CYB-2019-KE-01", start=date(2019, 3, 4), days=5, status="completed"
    )
    report = run([row()])
    assert (report.sessions_created, report.sessions_matched) == (0, 1)
    assert counts() == (1, 1, 1)
    assert db.session.scalar(select(Enrolment)).training_session_id == existing.id


def test_people_matched_by_email_ignoring_case(app):
    course()
    person = factories.make_participant("A. Njeri", email="amina@police.example", country_code="UG")
    report = run([row(email="AMINA@Police.Example")])
    assert (report.people_created, report.people_matched) == (0, 1)
    enrolment = db.session.scalar(select(Enrolment))
    assert enrolment.participant_id == person.id
    assert enrolment.country_code == "KE"  # the snapshot comes from the row


@pytest.mark.parametrize(
    "written", ["josé  PÉREZ", "Perez, Jose", "PEREZ JOSE", "jose perez"], ids=str
)
def test_people_matched_by_normalised_name_and_country(app, written):
    course()
    person = factories.make_participant("José Pérez", country_code="KE")
    report = run([row(name=written, email="", country="KEN")])
    assert (report.people_created, report.people_matched) == (0, 1)
    assert db.session.scalar(select(Enrolment)).participant_id == person.id


def test_same_name_in_another_country_is_another_person(app):
    course()
    factories.make_participant("José Pérez", country_code="KE")
    report = run([row(name="Jose Perez", email="", country="UG")])
    assert (report.people_created, report.people_matched) == (1, 0)


def test_person_without_email_is_matched_by_a_row_with_email_once(app):
    course()
    known = factories.make_participant("Amina Njeri", country_code="KE")
    rows = [
        row(email="amina@police.example"),
        row(session_code="CYB-2020-KE-02", email="other.amina@police.example",
            start_date="2020-01-06", end_date="2020-01-08"),
        row(session_code="CYB-2020-KE-02", email="", start_date="2020-01-06",
            end_date="2020-01-08", completed="no"),
    ]  # fmt: skip
    report = run(rows)
    assert report.ok, report.errors
    # Row 2 takes the known person; row 3 brings a second email, so a second Amina;
    # row 4 has no email and is matched by name to the first one.
    assert (report.people_created, report.people_matched) == (1, 1)
    enrolled = sorted(
        (e.training_session.code, e.participant_id) for e in db.session.scalars(select(Enrolment))
    )
    second = db.session.scalar(
        select(Participant.id).where(Participant.email == "other.amina@police.example")
    )
    assert enrolled == sorted(
        [("CYB-2019-KE-01", known.id), ("CYB-2020-KE-02", second), ("CYB-2020-KE-02", known.id)]
    )


def test_rows_of_one_file_match_each_other(app):
    course()
    rows = [
        row(email=""),
        row(session_code="CYB-2020-KE-02", name="NJERI, Amina", email="",
            start_date="2020-01-06", end_date="2020-01-06"),
    ]  # fmt: skip
    report = run(rows)
    assert (report.people_created, report.enrolments_created) == (1, 2)


def test_reimporting_the_same_file_changes_nothing(app):
    course()
    rows = [
        row(),
        row(name="Peter Otieno", email=""),
        row(session_code="CYB-2020-KE-02", start_date="2020-01-06", end_date="2020-01-06"),
    ]
    first = run(rows)
    db.session.commit()
    before = counts()
    again = run(rows)
    db.session.commit()
    assert first.created == 7
    assert again.ok and again.created == 0
    assert (again.sessions_matched, again.people_matched, again.enrolments_present) == (2, 2, 3)
    assert counts() == before == (2, 2, 3)
    assert "Sessions: 0 created, 2 matched." in again.summary_lines()


def test_repeated_row_is_counted_once(app):
    course()
    report = run([row(), row()])
    assert report.ok and report.duplicate_rows == 1
    assert counts() == (1, 1, 1)


def test_blank_lines_are_skipped_but_keep_row_numbers(app):
    course()
    data = csv_bytes([row(), {}, row(name="", email="x@y.org")])
    report = import_history("history.csv", data)
    assert report.rows == 2
    assert [(e.row, e.column) for e in report.errors] == [(4, "name")]


@pytest.mark.parametrize(
    ("values", "column", "text"),
    [
        ({"course": "no-such-course"}, "course", "Unknown course"),
        ({"start_date": "2019-02-30"}, "start_date", "is not a date"),
        ({"start_date": "04/03/2019"}, "start_date", "is not a date"),
        ({"end_date": ""}, "end_date", "A date is required"),
        ({"end_date": "2019-03-01"}, "end_date", "before the start date"),
        ({"host_country": "Atlantis"}, "host_country", "Unknown country"),
        ({"country": "XX"}, "country", "Unknown country"),
        ({"agency_type": "military"}, "agency_type", "Unknown agency type"),
        ({"completed": "maybe"}, "completed", "is not one of yes, no"),
        ({"completed": ""}, "completed", "is not one of yes, no"),
        ({"name": "  "}, "name", "A name is required"),
        ({"email": "amina-at-police"}, "email", "is not an email address"),
        ({"session_code": ""}, "session_code", "A session code is required"),
        ({"city": "x" * 121}, "city", "Longer than 120"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_each_invalid_value_names_row_and_column(app, values, column, text):
    course()
    report = run([row(name="Someone Else", email="s@e.org"), row(**values)])
    assert not report.ok and not report.written
    assert [(error.row, error.column) for error in report.errors] == [(3, column)]
    assert text in report.errors[0].message
    assert str(report.errors[0]).startswith(f"Row 3, {column}: ")
    assert counts() == (0, 0, 0)


def test_every_error_is_reported_in_row_order(app):
    course()
    rows = [row(completed="perhaps"), row(), row(course="nope", country="Narnia")]
    report = run(rows)
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "completed"),
        (4, "course"),
        (4, "country"),
    ]


def test_one_bad_row_writes_nothing(app):
    course()
    rows = [row(name=f"Person {n}", email=f"p{n}@x.org") for n in range(20)]
    rows[13]["start_date"] = "2019-13-01"
    report = run(rows, write=True)
    assert [error.row for error in report.errors] == [15]
    assert counts() == (0, 0, 0)


def test_missing_columns_are_a_file_error_naming_them(app):
    course()
    columns = [c for c in row() if c not in ("email", "completed")]
    with pytest.raises(HistoryImportError, match="columns email, completed"):
        run([row()], columns=columns)


def test_columns_in_any_order_case_and_extra_columns(app):
    course()
    data = (
        b"Completed,NAME,notes,course,session_code,host_country,city,start_date,end_date,"
        b"email,country,organisation,agency_type\r\n"
        b"No,Amina Njeri,x,cyber-investigation,C-1,KE,Nairobi,2019-03-04,2019-03-05,,KE,NPS,\r\n"
    )
    report = import_history("old.csv", data, write=True)
    assert report.ok, report.errors
    assert db.session.scalar(select(Enrolment)).completed is False


def test_semicolon_csv_with_bom(app):
    course()
    text = ";".join(row()) + "\n" + ";".join(row().values()) + "\n"
    report = import_history("excel.csv", b"\xef\xbb\xbf" + text.encode(), write=True)
    assert report.ok, report.errors
    assert counts() == (1, 1, 1)


def test_conflicting_rows_of_one_session_name_the_rows(app):
    course()
    rows = [row(), row(name="B", email="b@x.org", end_date="2019-03-09", host_country="UG")]
    report = run(rows)
    assert [(e.row, e.column) for e in report.errors] == [(3, "session_code")]
    message = report.errors[0].message
    assert "row 2" in message and "host_country" in message and "end_date" in message


def test_existing_session_with_other_dates_or_status_is_an_error(app):
    cyb = course()
    factories.make_training_session(
        course=cyb, code="CYB-2019-KE-01", start=date(2019, 3, 4), days=2, status="completed"
    )
    factories.make_training_session(
        course=cyb, code="CYB-2030-KE-09", start=date(2030, 1, 7), days=1, status="open"
    )
    rows = [
        row(),
        row(session_code="CYB-2030-KE-09", start_date="2030-01-07", end_date="2030-01-07"),
    ]
    report = run(rows)
    messages = [(e.row, e.message) for e in report.errors]
    assert "different end_date" in messages[0][1] and messages[0][0] == 2
    assert "not completed" in messages[1][1] and messages[1][0] == 3


def test_same_person_twice_in_a_session_with_different_completion(app):
    course()
    report = run([row(), row(completed="no")])
    assert [(e.row, e.column) for e in report.errors] == [(3, "completed")]


def test_many_errors_are_capped_for_display(app):
    course()
    rows = [row(name=f"P {n}", email=f"p{n}@x.org", completed="?") for n in range(260)]
    report = run(rows)
    assert len(report.errors) == 260
    assert len(report.shown_errors) == 200 and report.hidden_error_count == 60


def test_unreadable_files_are_file_errors(app):
    course()
    with pytest.raises(HistoryImportError, match="not a CSV or XLSX"):
        import_history("history.txt", b"x")
    with pytest.raises(HistoryImportError, match="not a readable XLSX"):
        import_history("history.xlsx", b"not a zip")
    with pytest.raises(HistoryImportError, match="no rows"):
        run([])


def test_a_csv_saved_in_windows_1252_is_read_in_it(app):
    course()
    data = csv_bytes([row(name="Françoise Lefèvre", city="Besançon")]).decode().encode("cp1252")
    report = import_history("history.csv", data, write=True)
    assert report.ok, report.errors
    assert db.session.scalar(select(Participant.full_name)) == "Françoise Lefèvre"


def test_xlsx_with_date_cells_and_numbers(app):
    course()
    header = list(row())
    first = row()
    cells = [first[c] for c in header]
    cells[header.index("start_date")] = date(2019, 3, 4)
    cells[header.index("end_date")] = datetime(2019, 3, 8, 0, 0)
    cells[header.index("completed")] = 0
    other = [*cells]
    other[header.index("name")] = "Ana Silva"
    other[header.index("email")] = None
    other[header.index("start_date")] = "2019-03-04"
    other[header.index("end_date")] = "2019-03-08"
    other[header.index("completed")] = 1
    bad = [*other]
    bad[header.index("name")] = "Bad Date"
    bad[header.index("start_date")] = "4 March"
    report = import_history("past.xlsx", xlsx_bytes([cells, other, bad]))
    assert [(e.row, e.column) for e in report.errors] == [(4, "start_date")]

    report = import_history("past.xlsx", xlsx_bytes([cells, other]), write=True)
    assert report.ok, report.errors
    session = db.session.scalar(select(TrainingSession))
    assert (session.start_date, session.end_date) == (date(2019, 3, 4), date(2019, 3, 8))
    completed = {
        e.participant.full_name: e.completed for e in db.session.scalars(select(Enrolment))
    }
    assert completed == {"Amina Njeri": False, "Ana Silva": True}
