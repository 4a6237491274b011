"""Large history files: accepted at once, checked and written by workers, never half-lost."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.history import jobs
from app.history.models import HistoryImport, ImportState
from app.shared import pending_uploads
from app.shared.models import utcnow
from tests.history.helpers import counts, course, csv_bytes, row

UPLOAD = "/history/import"


@pytest.fixture
def app_overrides(tmp_path):
    # Any file of 200 bytes or more is checked by a worker, as a 200,000-row file would be.
    return {
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "HISTORY_IMPORT_JOB_BYTES": 200,
        "HISTORY_IMPORT_JOB_ROWS": 2,
        "HISTORY_IMPORT_MAX_BYTES": 2000,
        "MAX_CONTENT_LENGTH": 1500,
    }


def three_rows() -> bytes:
    return csv_bytes([row(name=f"Person {n}", email=f"p{n}@x.example") for n in range(3)])


def _upload(client, data: bytes, filename: str = "big.csv"):
    return client.post(
        UPLOAD, data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data"
    )


def only_import() -> HistoryImport:
    db.session.expire_all()
    return db.session.scalars(select(HistoryImport)).one()


def test_a_large_file_is_accepted_at_once_checked_by_a_worker_then_confirmed(client, as_role):
    course()
    as_role("manager")
    db.session.commit()

    response = _upload(client, three_rows())

    record = only_import()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/history/imports/{record.id}")
    assert record.state == ImportState.CHECKED and counts() == (0, 0, 0)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The file is valid" in page and "People: 3 created" in page
    assert f"/history/imports/{record.id}/confirm" in page

    confirmed = client.post(f"/history/imports/{record.id}/confirm")

    assert confirmed.headers["Location"].endswith(f"/history/imports/{record.id}")
    assert only_import().state == ImportState.DONE and counts() == (1, 3, 3)
    again = client.post(f"/history/imports/{record.id}/confirm")
    follow = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "no longer waiting for confirmation" in follow and counts() == (1, 3, 3)


def test_errors_found_by_the_worker_are_listed_by_row_and_nothing_is_written(client, as_role):
    course()
    as_role("manager")
    db.session.commit()
    data = csv_bytes([row(), row(name="B", email="b@x", start_date="2019-3-4")] * 2)

    response = _upload(client, data)

    record = only_import()
    assert record.state == ImportState.FAILED and record.errors[0]["row"] == 3
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is not a date (YYYY-MM-DD)" in page and counts() == (0, 0, 0)


def test_a_history_file_may_pass_the_general_request_limit_but_not_its_own(client, as_role):
    course()
    as_role("manager")
    db.session.commit()
    fits = csv_bytes([row(name=f"Person {n}", email=f"p{n}@x.example") for n in range(12)])
    assert 1500 < len(fits) < 2000
    assert _upload(client, fits).status_code == 302

    refused = _upload(client, fits * 2, "huge.csv")
    assert refused.status_code == 422
    assert "huge.csv is 0 MB; a history import reads files up to 0 MB" in refused.get_data(
        as_text=True
    )
    beyond = _upload(client, b"x" * 1_100_000)
    assert beyond.status_code == 413
    assert "larger than the 0 MB a history import reads" in beyond.get_data(as_text=True)


def test_a_worker_starting_queues_again_what_a_killed_worker_left(
    app, client, as_role, monkeypatch
):
    course()
    as_role("manager")
    db.session.commit()
    _upload(client, three_rows())
    record = only_import()
    # A killed worker never gets to discard the file.
    monkeypatch.setattr(pending_uploads, "discard", lambda token: None)
    client.post(f"/history/imports/{record.id}/confirm")
    # As if the worker had been killed while writing, ten minutes ago.
    record = only_import()
    record.state, record.summary = ImportState.RUNNING, {}
    record.updated_at = utcnow() - timedelta(minutes=11)
    db.session.commit()

    assert [r.id for r in jobs.requeue_stale()] == [record.id]
    db.session.commit()  # the job runs after the commit

    record = only_import()
    assert record.state == ImportState.DONE and record.summary["enrolments_present"] == 3
    assert counts() == (1, 3, 3)


def test_an_import_that_keeps_dying_is_given_up_with_a_message(app, as_role):
    manager = as_role("manager")
    record = HistoryImport(
        kind="history", requested_by=manager, filename="big.csv", file_token="t" * 32,
        state=ImportState.RUNNING, attempts=jobs.MAX_ATTEMPTS,
        updated_at=utcnow() - timedelta(hours=1),
    )  # fmt: skip
    db.session.add(record)
    db.session.commit()

    jobs.requeue_stale()
    db.session.commit()

    record = only_import()
    assert record.state == ImportState.FAILED
    assert "big.csv stopped 3 times" in record.errors[0]["message"]
