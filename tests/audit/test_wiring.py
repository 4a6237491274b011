"""Each audited action leaves its entry when a user does it through the web pages."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from sqlalchemy import select

from app.accounts.services import create_api_token
from app.attendance import uploads
from app.audit.models import AuditEntry
from app.certificates.models import Certificate
from app.enrolment import services as enrolment_services
from app.extensions import db
from tests import factories
from tests.attendance.helpers import make_session
from tests.certificates.helpers import completed_session
from tests.documents.helpers import fetch_document
from tests.enrolment.helpers import participant_with_account, scene
from tests.history import helpers as history


def entries(action: str) -> list[AuditEntry]:
    """Return the entries of one action, oldest first."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def test_request_and_withdraw_own_place(client, login):
    s = scene()
    person = participant_with_account("Amina Yusuf")
    db.session.commit()
    login(person.user)
    client.post(f"/training-sessions/{s.training_session.id}/request")
    [requested] = entries("enrolment.requested")
    assert (requested.actor_id, requested.participant_id) == (person.user.id, person.id)
    assert requested.training_session_id == s.training_session.id
    assert requested.details == {"from": None}
    client.post(f"/enrolments/{requested.target_id}/withdraw-own", data={"confirmed": "yes"})
    [withdrawn] = entries("enrolment.withdrawn")
    assert withdrawn.target_id == requested.target_id
    assert withdrawn.details == {"from": "requested"}


def test_trainer_decisions(client, login):
    s = scene(capacity=1)
    a = participant_with_account("Person A")
    b = participant_with_account("Person B")
    ea = enrolment_services.request_place(a, s.training_session, a.user)
    eb = enrolment_services.request_place(b, s.training_session, b.user)
    db.session.commit()
    login(s.trainer)
    client.post(f"/enrolments/{ea.id}/approve")
    client.post(f"/enrolments/{eb.id}/approve")
    [approved] = entries("enrolment.enrolled")
    [waitlisted] = entries("enrolment.waitlisted")
    assert (approved.target_id, approved.actor_id) == (ea.id, s.trainer.id)
    assert approved.details == {"from": "requested"}
    assert waitlisted.target_id == eb.id
    client.post(f"/enrolments/{ea.id}/withdraw", data={"reason": "Reassigned", "confirmed": "yes"})
    [withdrawn] = entries("enrolment.withdrawn")
    promoted = entries("enrolment.enrolled")[-1]
    assert withdrawn.target_id == ea.id
    assert (promoted.target_id, promoted.details) == (eb.id, {"from": "waitlisted"})
    client.post(
        f"/enrolments/{eb.id}/decline", data={"reason": "Wrong audience", "confirmed": "yes"}
    )
    [declined] = entries("enrolment.declined")
    assert (declined.target_id, declined.actor_label) == (eb.id, s.trainer.email)
    assert "Wrong audience" not in str(declined.details)  # the reason stays on the enrolment


def test_trainer_adds_directly(client, login):
    s = scene()
    person = factories.make_participant("Somchai Jaidee", country_code="TH", email="s@example.org")
    db.session.commit()
    login(s.trainer)
    client.post(
        f"/training-sessions/{s.training_session.id}/enrolments/add",
        data={"participant_id": person.id, "email": "s@example.org"},
    )
    [added] = entries("enrolment.enrolled")
    assert (added.participant_id, added.details) == (person.id, {"from": None})
    assert added.target_id is not None


def test_merge(client, login):
    s = scene()
    keep = factories.make_participant("Somchai Jaidee", country_code="TH")
    remove = factories.make_participant("สมชาย ใจดี", country_code="TH")
    enrolment_services.add_directly(remove, s.training_session, s.trainer)
    admin = factories.make_user(roles=("admin",))
    db.session.commit()
    remove_id = remove.id
    login(admin)
    client.post(f"/participants/{keep.id}/merge", data={"other_id": remove_id, "keep": "this"})
    [merged] = entries("participant.merged")
    assert (merged.participant_id, merged.actor_id) == (keep.id, admin.id)
    assert merged.details == {"merged_from": remove_id, "moved": 1, "combined": 0}


def test_attendance_override(client, login):
    s = completed_session(names=("Kwame Mensah",))
    enrolment = s.incomplete
    db.session.commit()
    login(s.trainer)
    client.post(
        f"/training-sessions/{s.training_session.id}/enrolments/{enrolment.id}/completion",
        data={"completed": "yes", "reason": "Attended the make-up day."},
    )
    [override] = entries("attendance.override")
    assert (override.target_id, override.actor_id) == (enrolment.id, s.trainer.id)
    assert override.details == {
        "completed": True,
        "personal": {"reason": "Attended the make-up day."},
    }


def test_certificate_issue_revoke_and_reissue(client, login):
    s = completed_session(names=("Kwame Mensah", "Zoë Øster"))
    db.session.commit()
    login(s.trainer)
    client.post(f"/enrolments/{s.enrolments[0].id}/certificate/issue")
    [issued] = entries("certificate.issued")
    assert (issued.target_type, issued.participant_id) == (
        "Certificate",
        s.enrolments[0].participant_id,
    )
    assert issued.training_session_id == s.training_session.id
    client.post(f"/training-sessions/{s.training_session.id}/certificates/issue")
    assert len(entries("certificate.issued")) == 2

    first = db.session.get(Certificate, issued.target_id)
    client.post(f"/certificates/{first.number}/reissue", data={"reason": "Name corrected"})
    [reissued] = entries("certificate.reissued")
    assert reissued.details == {"replaces": first.id}
    [revoked] = entries("certificate.revoked")
    assert revoked.target_id == first.id

    replacement = db.session.get(Certificate, reissued.target_id)
    client.post(
        f"/certificates/{replacement.number}/revoke",
        data={"reason": "Falsified", "confirmed": "yes"},
    )
    latest = entries("certificate.revoked")[-1]
    assert (latest.target_id, latest.details) == (
        replacement.id,
        {"personal": {"reason": "Falsified"}},
    )


# --- views: pages of people, imports, exports, downloads, the API ------------------------------


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    """Keep uploads waiting for confirmation in the test's own folders."""
    return {
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "HISTORY_UPLOAD_DIR": str(tmp_path / "history"),
    }


def _upload(client, url: str, text: str, filename: str):
    return client.post(
        url,
        data={"file": (io.BytesIO(text.encode()), filename)},
        content_type="multipart/form-data",
    )


def _hidden_fields(html: str) -> dict[str, str]:
    """Return the hidden inputs of a preview page: what its confirm button posts."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="hidden"' in tag:
            name = re.search(r'name="([^"]+)"', tag).group(1)
            value = re.search(r'value="([^"]*)"', tag)
            fields[name] = unescape(value.group(1)) if value else ""
    fields.pop("csrf_token", None)
    return fields


def test_viewing_a_persons_page(client, login):
    admin = factories.make_user(roles=("admin",))
    person = factories.make_participant("Grace Wanjiru")
    db.session.commit()
    login(admin)
    assert client.get(f"/participants/{person.id}").status_code == 200
    [viewed] = entries("participant.viewed")
    assert (viewed.participant_id, viewed.actor_id) == (person.id, admin.id)


def test_participants_upload_confirmed(client, login):
    s = scene()
    db.session.commit()
    login(s.trainer)
    url = f"/training-sessions/{s.training_session.id}/enrolments/upload"
    preview = _upload(client, url, "name,country,email\nสมชาย ใจดี,TH,\n", "people.csv")
    assert entries("import.participants") == []
    client.post(f"{url}/confirm", data=_hidden_fields(preview.get_data(as_text=True)))
    [imported] = entries("import.participants")
    assert imported.training_session_id == s.training_session.id
    assert (imported.details["enrolled"], imported.details["created"]) == (1, 1)
    assert imported.details["personal"] == {"filename": "people.csv"}


def test_paper_roll_call_confirmed(client, login):
    trainer = factories.make_user(roles=("trainer",))
    ts, _enrolments = make_session(2, days=1, trainer=trainer, code="AUD-2026-KE-09")
    db.session.commit()
    login(trainer)
    lines = uploads.template_csv(ts).lstrip("\ufeff").strip().splitlines()
    filled = "\n".join([lines[0]] + [line + "present" for line in lines[1:]]) + "\n"
    url = f"/training-sessions/{ts.id}/attendance/upload"
    preview = _upload(client, url, filled, "roll.csv")
    client.post(f"{url}/confirm", data=_hidden_fields(preview.get_data(as_text=True)))
    [imported] = entries("import.roll_call")
    assert imported.training_session_id == ts.id
    assert imported.details == {"created": 2, "updated": 0}


def test_history_import_confirmed(client, as_role):
    history.course()
    manager = as_role("manager")
    db.session.commit()
    data = history.csv_bytes([history.row()]).decode()
    preview = _upload(client, "/history/import", data, "past.csv")
    client.post("/history/import/confirm", data=_hidden_fields(preview.get_data(as_text=True)))
    [imported] = entries("import.history")
    assert (imported.actor_id, imported.details["rows"]) == (manager.id, 1)
    assert imported.details["personal"] == {"filename": "past.csv"}


def test_sign_in_sheet_and_attendance_template(client, login):
    trainer = factories.make_user(roles=("trainer",))
    ts, _enrolments = make_session(1, days=1, trainer=trainer)
    db.session.commit()
    login(trainer)
    day = ts.start_date.isoformat()
    sheet_url = f"/training-sessions/{ts.id}/attendance/{day}/sign-in-sheet.pdf"
    assert fetch_document(client, sheet_url).status_code == 200
    assert client.get(f"/training-sessions/{ts.id}/attendance/template.csv").status_code == 200
    [sheet] = entries("download.sign_in_sheet")
    [template] = entries("export.attendance_template")
    assert sheet.training_session_id == template.training_session_id == ts.id


def test_transcripts_and_certificate_bundle(client, login):
    s = completed_session(names=("Kwame Mensah",))
    db.session.commit()
    person = s.enrolments[0].participant
    manager = login(factories.make_user(roles=("manager",)))
    assert client.get(f"/participants/{person.id}/transcript.pdf").status_code == 200
    login(s.trainer)
    zipped = client.get(f"/training-sessions/{s.training_session.id}/certificates.zip")
    assert zipped.status_code == 200
    login(s.users[0])
    assert client.get("/my-trainings/transcript.pdf").status_code == 200
    staff, own = entries("download.transcript")
    assert (staff.actor_id, staff.participant_id) == (manager.id, person.id)
    assert (own.actor_id, own.participant_id) == (s.users[0].id, person.id)
    [bundle] = entries("download.certificates_zip")
    assert bundle.training_session_id == s.training_session.id


def test_reach_exports(client, as_role):
    manager = as_role("manager")
    db.session.commit()
    assert client.get("/reach/export/by_country.csv?from=2020-01-01").status_code == 200
    [export] = entries("export.reach")
    assert export.actor_id == manager.id
    assert export.details == {
        "table": "by_country",
        "format": "csv",
        "filters": {"from": "2020-01-01"},
    }
    assert fetch_document(client, "/reach/report.pdf").status_code == 200
    [report] = entries("export.reach_report")
    assert report.actor_id == manager.id


def test_api_token_use(client):
    manager = factories.make_user(roles=("manager",))
    token = create_api_token(manager, "board")
    db.session.commit()
    response = client.get("/api/v1/reports/reach", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    [used] = entries("api.token_used")
    assert (used.actor_id, used.details) == (manager.id, {"endpoint": "reporting.api_reach"})
    client.get("/api/v1/reports/reach", headers={"Authorization": "Bearer wrong"})
    assert len(entries("api.token_used")) == 1
