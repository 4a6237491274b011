import re

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.documents import services
from app.documents.models import DocumentState, RenderedDocument
from app.extensions import db
from tests import factories
from tests.attendance.helpers import make_session
from tests.documents.helpers import fetch_document


def _sheet_url(ts) -> str:
    return f"/training-sessions/{ts.id}/attendance/{ts.start_date.isoformat()}/sign-in-sheet.pdf"


def _audit_count(action: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    )


def _queued(user, **params) -> RenderedDocument:
    document = RenderedDocument(kind="sign_in_sheet", parameters=params, requested_by=user)
    db.session.add(document)
    db.session.commit()
    return document


def test_a_request_records_a_document_a_job_renders_and_its_owner_downloads(client, login):
    trainer = login(factories.make_user(roles=("trainer",)))
    ts, _ = make_session(2, trainer=trainer, code="DOC-2026-KE-01")
    db.session.commit()

    asked = client.post(_sheet_url(ts))

    assert asked.status_code == 302
    document = db.session.scalars(select(RenderedDocument)).one()
    assert asked.headers["Location"].endswith(f"/documents/{document.id}")
    assert (document.state, document.requested_by_id) == (DocumentState.DONE, trainer.id)
    assert document.filename == f"sign-in-DOC-2026-KE-01-{ts.start_date.isoformat()}.pdf"
    assert _audit_count("download.sign_in_sheet") == 0  # asking is not fetching

    page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert f'href="/documents/{document.id}/download"' in page
    assert 'http-equiv="refresh"' not in page  # finished: nothing left to wait for

    download = client.get(f"/documents/{document.id}/download")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.data.startswith(b"%PDF")
    assert document.filename in download.headers["Content-Disposition"]
    assert _audit_count("download.sign_in_sheet") == 1


def test_someone_else_is_told_the_document_does_not_exist(client, login):
    trainer = factories.make_user(roles=("trainer",))
    ts, _ = make_session(1, trainer=trainer)
    db.session.commit()
    login(trainer)
    fetch_document(client, _sheet_url(ts))
    document = db.session.scalars(select(RenderedDocument)).one()

    colleague = factories.make_user(roles=("trainer", "manager"))
    db.session.commit()
    login(colleague)
    for url in (f"/documents/{document.id}", f"/documents/{document.id}.json"):
        assert client.get(url).status_code == 404
    assert client.get(f"/documents/{document.id}/download").status_code == 404

    login(factories.make_user(roles=("admin",)))
    db.session.commit()
    assert client.get(f"/documents/{document.id}/download").status_code == 200


def test_the_json_says_where_the_document_is(client, login):
    trainer = login(factories.make_user(roles=("trainer",)))
    ts, _ = make_session(1, trainer=trainer)
    waiting = _queued(trainer, training_session_id=ts.id, day=ts.start_date.isoformat())

    before = client.get(f"/documents/{waiting.id}.json").get_json()
    assert before["state"] == "queued"
    assert before["finished"] is False
    assert before["download_url"] is None

    services.render_document(waiting.id)  # what the worker does
    db.session.commit()
    after = client.get(f"/documents/{waiting.id}.json")
    assert after.headers["Cache-Control"] == "no-store"
    data = after.get_json()
    assert (data["state"], data["finished"]) == ("done", True)
    assert data["download_url"] == f"/documents/{waiting.id}/download"


def test_the_page_refreshes_itself_without_javascript_while_waiting(client, login):
    trainer = login(factories.make_user(roles=("trainer",)))
    ts, _ = make_session(1, trainer=trainer)
    waiting = _queued(trainer, training_session_id=ts.id, day=ts.start_date.isoformat())

    page = client.get(f"/documents/{waiting.id}").get_data(as_text=True)

    assert re.search(r'<noscript><meta http-equiv="refresh" content="\d+"></noscript>', page)
    assert "js/progress.js" in page
    assert f'data-progress-url="/documents/{waiting.id}.json"' in page
    assert "/download" not in page
    assert client.get(f"/documents/{waiting.id}/download").status_code == 404


def test_a_sheet_that_cannot_be_made_says_why(client, login):
    trainer = login(factories.make_user(roles=("trainer",)))
    document = _queued(trainer, training_session_id=987654, day="2026-01-01")

    services.render_document(document.id)
    db.session.commit()

    assert document.state == DocumentState.FAILED
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "no longer exists" in page
    assert 'http-equiv="refresh"' not in page


def test_a_finished_document_is_not_rendered_again(client, login):
    trainer = login(factories.make_user(roles=("trainer",)))
    ts, _ = make_session(1, trainer=trainer)
    db.session.commit()
    client.post(_sheet_url(ts))
    document = db.session.scalars(select(RenderedDocument)).one()
    document.pdf = b"%PDF-1.7 kept"
    db.session.commit()

    services.render_document(document.id)  # the same job delivered twice
    db.session.commit()

    assert document.pdf == b"%PDF-1.7 kept"


def test_an_old_link_to_the_sheet_leads_to_the_page_with_the_buttons(client, login):
    trainer = login(factories.make_user(roles=("trainer",)))
    ts, _ = make_session(1, trainer=trainer)
    db.session.commit()

    response = client.get(_sheet_url(ts))

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/training-sessions/{ts.id}/attendance/summary")
    assert db.session.scalar(select(func.count()).select_from(RenderedDocument)) == 0
    summary = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<form method="post" action="{_sheet_url(ts)}"' in summary


def test_a_starting_worker_queues_again_what_a_killed_one_left(app, monkeypatch):
    from app.documents import services as documents
    from app.documents.models import RenderedDocument
    from app.jobs.signals import worker_starting

    owner = factories.make_user(roles=("trainer",))
    left = RenderedDocument(kind="reach_report", requested_by=owner, state="running")
    done = RenderedDocument(kind="reach_report", requested_by=owner, state="done")
    db.session.add_all([left, done])
    db.session.commit()
    queued = []
    monkeypatch.setattr(documents, "enqueue_after_commit", lambda *args, **_: queued.append(args))
    worker_starting.send(app)
    assert queued == [(documents.JOB, left.id)]


def test_only_a_made_document_is_ready(app):
    user = factories.make_user(roles=("trainer",))
    document = _queued(user)
    for state, ready in [
        (DocumentState.QUEUED, False),
        (DocumentState.RUNNING, False),
        (DocumentState.FAILED, False),
        (DocumentState.DONE, True),
    ]:
        document.state = state
        assert services.is_ready(document) is ready
