"""Certificate batches as jobs: recorded in the request, issued once each, resumable, shown."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.certificates import batches, services
from app.certificates.models import BatchStatus, Certificate, CertificateBatch, ItemStatus
from app.extensions import db
from app.jobs.runner import run as run_job
from tests.certificates.helpers import completed_session

NAMES = ("Kwame Mensah", "Ana Núñez", "王小明", "Zoë Øster", "Fatima Zahra")
NO_FONT_HAS = "\ue000"  # a private-use character: no installed font draws it


def _certificates() -> list[Certificate]:
    db.session.expire_all()
    return list(db.session.scalars(select(Certificate).order_by(Certificate.number)))


def _batch(batch_id: int) -> CertificateBatch:
    db.session.expire_all()
    return db.session.get(CertificateBatch, batch_id)


def _assert_each_once(scene) -> list[Certificate]:
    certificates = _certificates()
    numbers = [c.number for c in certificates]
    assert len(numbers) == len(set(numbers)) == len(scene.enrolments)
    assert sorted(c.enrolment_id for c in certificates) == sorted(e.id for e in scene.enrolments)
    return certificates


@pytest.fixture
def no_worker(monkeypatch):
    """Record batches without running them, as when the worker has not picked them up yet."""
    monkeypatch.setattr(batches, "enqueue_after_commit", lambda *args, **kwargs: None)


def _start(scene, **options) -> int:
    batch = batches.start_batch(scene.training_session, scene.trainer, **options)
    db.session.commit()
    return batch.id


def test_the_request_records_one_pending_certificate_per_person_and_issues_nothing(app, no_worker):
    scene = completed_session(names=NAMES)
    batch = _batch(_start(scene))
    assert batch.status == BatchStatus.PENDING and batch.total == len(NAMES)
    assert [item.status for item in batch.items] == [ItemStatus.PENDING] * len(NAMES)
    assert _certificates() == []
    # Asking again while it waits gives the same batch, not a second one.
    assert batches.start_batch(scene.training_session, scene.trainer).id == batch.id


def test_running_the_job_twice_issues_each_certificate_once(app, outbox):
    scene = completed_session(names=NAMES)
    batch_id = _start(scene)  # no worker in tests: the job runs right after the commit
    first = {c.enrolment_id: (c.number, c.verification_code) for c in _certificates()}
    assert len(first) == len(NAMES)
    assert len(outbox.refresh()) == len(NAMES)

    run_job(batches.JOB, batch_id)  # the same job again, say queued twice
    # A second run that read the batch before the first one finished: everything pending.
    batch = _batch(batch_id)
    batch.status = BatchStatus.RUNNING
    for item in batch.items:
        item.status, item.certificate_id = ItemStatus.PENDING, None
    db.session.commit()
    run_job(batches.JOB, batch_id)

    again = {c.enrolment_id: (c.number, c.verification_code) for c in _assert_each_once(scene)}
    assert again == first
    assert _batch(batch_id).done == len(NAMES)
    assert len(outbox.refresh()) == len(NAMES)  # nobody is mailed twice


def test_a_job_that_dies_half_way_resumes_and_issues_everyone_once(
    app, outbox, monkeypatch, runner, caplog
):
    scene = completed_session(names=NAMES)
    monkeypatch.setattr(batches, "CHUNK", 2)
    real_store = services.store
    stored = []

    def dies_on_the_third(*args, **kwargs):
        if len(stored) == 2:
            raise RuntimeError("worker killed")
        stored.append(1)
        return real_store(*args, **kwargs)

    monkeypatch.setattr(services, "store", dies_on_the_third)
    batch_id = _start(scene)
    assert "worker killed" in caplog.text
    # The first chunk was committed, with its emails; the chunk being rendered left nothing.
    assert len(_certificates()) == 2
    assert len(outbox.refresh()) == 2
    batch = _batch(batch_id)
    assert (batch.status, batch.done) == (BatchStatus.RUNNING, 2)

    monkeypatch.setattr(services, "store", real_store)
    fresh = runner.invoke(args=["certificates", "sweep"])
    assert "0 stale batches" in fresh.output  # still within the time a worker may take
    swept = runner.invoke(args=["certificates", "sweep", "--older-than", "0"])
    assert swept.exit_code == 0, swept.output
    assert f"batch {batch_id} (issue, 5/5) queued again" in swept.output

    certificates = _assert_each_once(scene)
    assert [c.number[-4:] for c in certificates] == ["0001", "0002", "0003", "0004", "0005"]
    assert len(outbox.refresh()) == len(NAMES)
    batch = _batch(batch_id)
    assert (batch.status, batch.done, batch.failed) == (BatchStatus.DONE, 5, 0)


def test_the_progress_json_counts_and_names_who_could_not_be_issued(app, client, login, no_worker):
    scene = completed_session(names=("Kwame Mensah", f"Ana {NO_FONT_HAS} Silva", "Ana Núñez"))
    batch_id = _start(scene)
    login(scene.trainer)
    url = f"/training-sessions/{scene.training_session.id}/certificates/batches/{batch_id}.json"
    waiting = client.get(url).get_json()
    assert waiting["finished"] is False
    assert (waiting["done"], waiting["failed"], waiting["total"]) == (0, 0, 3)
    assert waiting["result_url"] is None

    run_job(batches.JOB, batch_id)
    done = client.get(url).get_json()
    assert done["finished"] is True
    assert (done["done"], done["failed"], done["total"]) == (2, 1, 3)
    [error] = done["errors"]
    assert error["name"] == f"Ana {NO_FONT_HAS} Silva"
    assert "cannot be printed" in error["message"] and "U+E000" in error["message"]
    assert done["result_url"].endswith(
        f"/training-sessions/{scene.training_session.id}/certificates#certificates"
    )
    # Another session's id in the address finds nothing.
    other = completed_session(names=("Lena Berg",), code="CFCAC-2026-KE-02")
    db.session.commit()
    login(other.trainer)
    wrong = f"/training-sessions/{other.training_session.id}/certificates/batches/{batch_id}.json"
    assert client.get(wrong).status_code == 404


def test_the_page_shows_progress_without_javascript_and_the_result_when_done(
    app, client, login, no_worker
):
    scene = completed_session(names=NAMES)
    db.session.commit()
    login(scene.trainer)
    page_url = f"/training-sessions/{scene.training_session.id}/certificates"
    response = client.post(f"{page_url}/issue", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "this page shows how far it has got" in text
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in text
    assert re.search(r'<progress max="5" value="0">', text)
    assert "<span data-progress-done>0</span> / 5" in text
    assert "js/progress.js" in text
    assert "<script>" not in text and "style=" not in text  # CSP: files only
    batch_id = int(re.search(r"/batches/(\d+)\.json", text)[1])

    run_job(batches.JOB, batch_id)
    finished = client.get(f"{page_url}?batch={batch_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in finished
    assert "progress.js" not in finished
    assert "<span data-progress-done>5</span> / 5" in finished
    assert "See the certificates" in finished
    assert "CFCAC-2026-KE-01-0005" in finished
    # Without ?batch= a finished batch is no longer reported.
    assert "See the certificates" not in client.get(page_url).get_data(as_text=True)


def test_issuing_from_the_page_with_a_name_that_cannot_be_printed_names_it(app, client, login):
    scene = completed_session(names=("Kwame Mensah", f"Ana {NO_FONT_HAS} Silva"))
    db.session.commit()
    login(scene.trainer)
    response = client.post(
        f"/training-sessions/{scene.training_session.id}/certificates/issue",
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "1 certificate issued." in text
    assert "1 certificate could not be issued; see why below." in text
    assert f"<bdi>Ana {NO_FONT_HAS} Silva</bdi>: " in text and "U+E000" in text


def test_a_zip_batch_bundles_the_valid_certificates(app, client, login):
    scene = completed_session(names=NAMES[:3])
    _start(scene)
    login(scene.trainer)
    base = f"/training-sessions/{scene.training_session.id}/certificates"
    response = client.post(f"{base}/zip", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "The ZIP of every valid certificate is ready." in text
    link = re.search(rf'href="({base}/batches/\d+\.zip)"', text)[1]
    download = client.get(link)
    assert download.status_code == 200 and download.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert sorted(names) == [
        f"CFCAC-2026-KE-01-000{n} {name}.pdf" for n, name in enumerate(NAMES[:3], start=1)
    ]


def test_a_reissue_batch_replaces_every_valid_certificate_once(app, client, login):
    scene = completed_session(names=("Kwame Mensa", "Ana Nunez"))
    _start(scene)
    scene.enrolments[0].participant.full_name = "Kwame Mensah"
    db.session.commit()
    login(scene.trainer)
    response = client.post(
        f"/training-sessions/{scene.training_session.id}/certificates/reissue",
        data={"reason": "Names corrected"},
        follow_redirects=True,
    )
    assert "2 certificates issued." in response.get_data(as_text=True)
    certificates = _certificates()
    live = [c for c in certificates if c.revoked_at is None]
    assert [c.number[-4:] for c in live] == ["0003", "0004"]
    assert {c.replaces.number[-4:] for c in live} == {"0001", "0002"}
    assert "Kwame Mensah" in {c.content["name"] for c in live}
    revoked = [c for c in certificates if c.revoked_at is not None]
    assert all("Names corrected" in c.revocation_reason for c in revoked)


def test_sweeper_leaves_recent_and_finished_batches_alone(app, no_worker):
    scene = completed_session(names=NAMES[:2])
    batch_id = _start(scene)
    assert batches.requeue_stale() == []
    later = _batch(batch_id).updated_at + timedelta(minutes=6)
    assert [b.id for b in batches.requeue_stale(now=later)] == [batch_id]
    assert _batch(batch_id).attempts == 2


def test_a_starting_worker_queues_again_what_a_killed_one_left(app, monkeypatch):
    from app.jobs.signals import worker_starting

    queued = []
    monkeypatch.setattr(batches, "enqueue_after_commit", lambda *args, **_: queued.append(args))
    scene = completed_session(names=NAMES[:2])
    batch_id = _start(scene)
    queued.clear()
    stale = _batch(batch_id)
    stale.updated_at = stale.updated_at - timedelta(minutes=10)
    db.session.commit()
    worker_starting.send(app)
    assert [args[1] for args in queued] == [batch_id]
