"""Large history imports run as jobs: recorded in the request, written by a worker, once."""

import io
import pathlib

import pytest
from sqlalchemy import select

from app.enrolment.models import Enrolment
from app.extensions import db
from app.history import jobs, services
from app.history.models import HistoryImport, ImportState
from app.jobs import runner
from app.scheduling.models import SessionStatus
from app.shared import pending_uploads
from tests import factories
from tests.history.helpers import counts, course, csv_bytes, row

UPLOAD = "/history/import"
CONFIRM = "/history/import/confirm"


@pytest.fixture
def app_overrides(tmp_path):
    # Three rows or more make a job, so that small files exercise the worker's path.
    return {"UPLOAD_DIR": str(tmp_path / "uploads"), "HISTORY_IMPORT_JOB_ROWS": 3}


def five_rows() -> bytes:
    return csv_bytes(
        [
            row(session_code="CYB-2019-KE-01", name=f"Person {n}", email=f"p{n}@x.example")
            for n in range(3)
        ]
        + [
            row(session_code="CYB-2019-KE-02", name=f"Person {n}", email=f"p{n}@x.example")
            for n in range(2)
        ]
    )


def upload_and_confirm(client, data: bytes):
    client.post(
        UPLOAD, data={"file": (io.BytesIO(data), "big.csv")}, content_type="multipart/form-data"
    )
    with client.session_transaction() as session:
        token = session["history_upload"]["token"]
    return client.post(CONFIRM, data={"token": token})


def kept_files(app):
    path = pathlib.Path(app.config["UPLOAD_DIR"])
    return sorted(path.glob("*.bin")) if path.exists() else []


def only_import() -> HistoryImport:
    db.session.expire_all()
    return db.session.scalars(select(HistoryImport)).one()


def test_a_large_file_is_imported_by_a_job_with_a_progress_page(app, client, as_role):
    course()
    manager = as_role("manager")
    db.session.commit()

    response = upload_and_confirm(client, five_rows())

    record = only_import()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/history/imports/{record.id}")
    # Jobs run synchronously in tests: by the time the request answers, the worker is done.
    assert record.state == ImportState.DONE and record.requested_by_id == manager.id
    assert (record.done, record.total) == (5, 5)
    assert record.summary["enrolments_created"] == 5
    assert counts() == (2, 3, 5)
    assert kept_files(app) == []  # the import discards the file once it is over
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "5</span> / 5" in page and "Sessions: 2 created" in page
    assert "/training-sessions?status=completed" in page
    assert 'http-equiv="refresh"' not in page and "progress.js" not in page

    progress = client.get(f"/history/imports/{record.id}.json").get_json()
    assert progress["finished"] is True and progress["state"] == "done"
    assert (progress["done"], progress["total"], progress["errors"]) == (5, 5, [])


def test_a_small_file_stays_in_the_request(app, client, as_role):
    course()
    as_role("manager")
    db.session.commit()
    response = upload_and_confirm(client, csv_bytes([row(), row(name="Ana", email="")]))
    assert response.headers["Location"].endswith(UPLOAD)
    assert counts() == (1, 2, 2)
    assert db.session.scalars(select(HistoryImport)).all() == []


def test_a_waiting_import_refreshes_without_and_with_javascript(app, client, as_role):
    manager = as_role("manager")
    record = HistoryImport(
        kind="history", requested_by=manager, filename="big.csv", file_token="t" * 32, total=10
    )
    db.session.add(record)
    db.session.commit()

    page = client.get(f"/history/imports/{record.id}").get_data(as_text=True)

    assert '<noscript><meta http-equiv="refresh"' in page
    assert "progress.js" in page and 'data-finished="false"' in page
    assert "0</span> / 10" in page and "Waiting for a worker" in page
    progress = client.get(f"/history/imports/{record.id}.json")
    assert progress.headers["Cache-Control"] == "no-store"
    assert progress.get_json()["finished"] is False


def test_rows_made_wrong_meanwhile_fail_the_import_with_errors_by_row(app, client, as_role):
    course()
    as_role("manager")
    db.session.commit()
    data = five_rows()
    client.post(
        UPLOAD, data={"file": (io.BytesIO(data), "big.csv")}, content_type="multipart/form-data"
    )
    # Between the preview and the job, someone records session 02 with other dates.
    factories.make_training_session(code="CYB-2019-KE-02", status=SessionStatus.COMPLETED)
    db.session.commit()
    before = counts()
    with client.session_transaction() as session:
        token = session["history_upload"]["token"]

    response = client.post(CONFIRM, data={"token": token})

    record = only_import()
    assert record.state == ImportState.FAILED
    assert record.errors[0]["row"] == 5 and record.errors[0]["column"] == "session_code"
    assert counts() == before  # nothing written
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "nothing was imported" in page and "CYB-2019-KE-02" in page
    assert client.get(f"/history/imports/{record.id}.json").get_json()["errors"][0]["row"] == 5


def test_a_worker_stopped_half_way_then_run_again_imports_each_row_once(
    app, client, as_role, monkeypatch
):
    course()
    as_role("manager")
    db.session.commit()
    monkeypatch.setattr(services, "INSERT_BATCH", 2)
    real_advance = jobs._advance
    calls = []

    def dying_advance(import_id, done):
        real_advance(import_id, done)
        calls.append(done)
        if len(calls) == 3:  # the start, then two chunks committed
            raise RuntimeError("worker killed")

    monkeypatch.setattr(jobs, "_advance", dying_advance)
    upload_and_confirm(client, five_rows())

    record = only_import()
    assert record.state == ImportState.RUNNING and record.done == 4
    assert counts() == (
        2,
        3,
        4,
    )  # whole chunks only: every written enrolment has its session and person

    monkeypatch.setattr(jobs, "_advance", real_advance)
    runner.run(jobs.JOB, record.id)  # the retry

    record = only_import()
    assert record.state == ImportState.DONE and record.done == 5
    assert counts() == (2, 3, 5)
    assert record.summary["enrolments_present"] == 4 and record.summary["enrolments_created"] == 1
    pairs = db.session.execute(
        select(Enrolment.training_session_id, Enrolment.participant_id)
    ).all()
    assert len(pairs) == len(set(pairs))


def test_the_job_run_twice_adds_nothing_the_second_time(app, client, as_role, monkeypatch):
    course()
    as_role("manager")
    db.session.commit()
    # As if the worker died after committing, before it discarded the file.
    monkeypatch.setattr(pending_uploads, "discard", lambda token: None)
    upload_and_confirm(client, five_rows())
    record = only_import()
    assert counts() == (2, 3, 5)

    runner.run(jobs.JOB, record.id)  # finished already: nothing to do
    record.state = ImportState.RUNNING
    db.session.commit()
    runner.run(jobs.JOB, record.id)  # a second delivery of the same job

    record = only_import()
    assert record.state == ImportState.DONE
    assert counts() == (2, 3, 5)
    assert record.summary["enrolments_created"] == 0 and record.summary["people_matched"] == 3


def test_an_import_is_followed_only_by_who_asked_for_it_and_administrators(
    app, client, as_role, login
):
    course()
    as_role("manager")
    db.session.commit()
    upload_and_confirm(client, five_rows())
    record = only_import()
    another = factories.make_user(roles=("manager",))
    admin = factories.make_user(roles=("admin",))
    db.session.commit()
    login(another)
    for url in (f"/history/imports/{record.id}", f"/history/imports/{record.id}.json"):
        assert client.get(url).status_code == 403  # their file's names and errors are not theirs
    assert client.post(f"/history/imports/{record.id}/confirm").status_code == 403
    login(admin)
    assert client.get(f"/history/imports/{record.id}").status_code == 200
