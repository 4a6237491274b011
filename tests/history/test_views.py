import io
import pathlib
import stat
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.history.services import COLUMNS
from app.scheduling.models import TrainingSession
from tests import factories
from tests.history.helpers import COURSE_SLUG, counts, course, csv_bytes, row, xlsx_bytes

UPLOAD = "/history/import"
CONFIRM = "/history/import/confirm"


@pytest.fixture
def app_overrides(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


def upload(client, data: bytes, filename: str = "past.csv"):
    return client.post(
        UPLOAD,
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def kept_files(app):
    """Return the kept uploads' content files."""
    path = pathlib.Path(app.config["UPLOAD_DIR"])
    return sorted(path.glob("*.bin")) if path.exists() else []


def test_upload_page_lists_the_columns(app, client, as_role):
    as_role("manager")
    page = client.get(UPLOAD)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Import past trainings" in html and 'enctype="multipart/form-data"' in html
    for column in ("session_code", "agency_type", "completed"):
        assert f"<code>{column}</code>" in html


def test_manager_uploads_previews_and_confirms(app, client, as_role):
    course()
    manager = as_role("manager")
    db.session.commit()
    data = csv_bytes([row(), row(name="Ana Silva", email="", country="BR", completed="no")])

    preview = upload(client, data)

    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "sessions to create" in html and "enrolments to create" in html
    assert "CYB-2019-KE-01" in html
    assert counts() == (0, 0, 0)
    files = kept_files(app)
    assert len(files) == 1 and files[0].read_bytes() == data
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    with client.session_transaction() as session:
        token = session["history_upload"]["token"]
    assert token in html

    done = client.post(CONFIRM, data={"token": token})

    assert done.status_code == 302
    assert done.headers["Location"].endswith(UPLOAD)
    assert counts() == (1, 2, 2)
    assert kept_files(app) == []
    assert db.session.scalar(select(TrainingSession.created_by_id)) == manager.id
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Imported 2 rows from past.csv." in page and "Sessions: 1 created" in page

    # The token is used up; and the same file again has nothing to create.
    replay = client.post(CONFIRM, data={"token": token})
    assert replay.status_code == 302 and counts() == (1, 2, 2)
    again = upload(client, data).get_data(as_text=True)
    assert "0 created, nothing to import" in again
    assert 'name="token"' not in again


def test_preview_with_errors_lists_rows_and_imports_nothing(app, client, as_role):
    course()
    as_role("admin")
    db.session.commit()
    data = csv_bytes([row(), row(name="B", email="b@x", start_date="2019-3-4")])

    response = upload(client, data)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "2 problems found" in html
    assert "is not an email address" in html and "is not a date (YYYY-MM-DD)" in html
    assert '<td class="num">3</td>' in html
    assert counts() == (0, 0, 0)
    # The file waits for a choice (another encoding, or leaving the bad rows out), never applied.
    assert len(kept_files(app)) == 1 and "Leave out the 1 row with problems" in html


def test_file_level_error_is_shown(app, client, as_role):
    as_role("manager")
    response = upload(client, b"course,name\nx,y\n")
    assert response.status_code == 422
    assert "lacks the columns" in response.get_data(as_text=True)


def test_xlsx_upload(app, client, as_role):
    course()
    as_role("manager")
    db.session.commit()
    header = list(row())
    response = upload(client, xlsx_bytes([[row()[c] for c in header]], header=header), "a.xlsx")
    assert response.status_code == 200
    assert "people to create" in response.get_data(as_text=True)
    assert len(kept_files(app)) == 1


def test_other_extensions_are_refused(app, client, as_role):
    as_role("manager")
    response = upload(client, b"x", "past.txt")
    assert response.status_code == 400
    assert "Upload a .csv or .xlsx file." in response.get_data(as_text=True)


def test_confirm_needs_this_browsers_upload(app, client, as_role):
    course()
    as_role("manager")
    db.session.commit()
    upload(client, csv_bytes([row()]))
    response = client.post(CONFIRM, data={"token": "b" * 32})
    assert response.status_code == 302
    assert counts() == (0, 0, 0)
    # Another manager cannot confirm the first one's upload with its token.
    with client.session_transaction() as session:
        token = session["history_upload"]["token"]
    other = app.test_client()
    with other.session_transaction() as session:
        intruder = factories.make_user(roles=("manager",))
        db.session.commit()
        session["_user_id"] = intruder.get_id()
    response = other.post(CONFIRM, data={"token": token})
    assert response.status_code == 302 and counts() == (0, 0, 0)


def test_confirm_rechecks_the_file(app, client, as_role):
    cyb = course()
    as_role("manager")
    db.session.commit()
    upload(client, csv_bytes([row()]))
    with client.session_transaction() as session:
        token = session["history_upload"]["token"]
    # Meanwhile someone schedules an open session with the same code.
    factories.make_training_session(course=cyb, code="CYB-2019-KE-01", start=date(2019, 3, 4))
    db.session.commit()
    response = client.post(CONFIRM, data={"token": token})
    assert response.status_code == 422
    assert "Session CYB-2019-KE-01 already exists" in response.get_data(as_text=True)
    assert counts() == (1, 0, 0)


def test_template_csv_has_the_columns(app, client, as_role):
    as_role("manager")
    response = client.get("/history/import/template.csv")
    assert response.mimetype == "text/csv"
    assert response.data.decode("utf-8-sig").startswith("Course,Session,Host country,City")


def test_the_template_and_the_help_use_courses_that_exist_and_the_template_imports(
    app, client, as_role
):
    course()
    as_role("manager")
    page = client.get(UPLOAD).get_data(as_text=True)
    assert "Download a ready template" in page and "cybercrime-investigation" not in page
    assert f"<code>{COURSE_SLUG}</code>" in page
    template = client.get("/history/import/template.csv").data
    assert f"\n{COURSE_SLUG},CYB-2019-" in template.decode("utf-8-sig")
    page = upload(client, template, "past-trainings-template.csv").get_data(as_text=True)
    assert "The file is valid" in page


def test_headings_in_other_words_are_read(app, client, as_role):
    course()
    as_role("manager")
    aliased = {"course": "Course", "name": "Full name", "email": "E-mail", "country": "Pays"}
    data = (
        csv_bytes([row()])
        .decode()
        .replace(",".join(COLUMNS), ",".join(aliased.get(column, column) for column in COLUMNS), 1)
    )
    assert "The file is valid" in upload(client, data.encode()).get_data(as_text=True)


@pytest.mark.parametrize("role", ["trainer", "participant"])
def test_trainers_and_participants_are_refused(app, client, as_role, role):
    as_role(role)
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, csv_bytes([row()])).status_code == 403


def test_anonymous_is_sent_to_login(app, client):
    response = client.get(UPLOAD)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
