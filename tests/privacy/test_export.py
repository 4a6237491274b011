"""A person downloads everything held about them; an administrator downloads anyone's."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.extensions import db
from tests import factories
from tests.privacy.helpers import person_with_history, rows, unzip


@pytest.fixture
def person(app):
    person = person_with_history()
    db.session.commit()
    return person


def test_own_export_holds_account_trainings_certificates_and_audit(client, login, person):
    login(person.user)
    response = client.post("/profile/my-data")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    files = unzip(response.data)

    [account] = rows(files, "users")
    assert account["email"] == person.email
    assert "password_hash" not in account
    assert [r["role"] for r in rows(files, "user_roles")] == ["participant"]
    [record] = rows(files, "participants")
    assert record["full_name"] == person.name
    assert record["organisation"] == "Cybercrime Unit Kisumu"
    enrolments = rows(files, "enrolments")
    assert {e["status"] for e in enrolments} == {"enrolled", "requested"}
    assert rows(files, "attendance_records")[0]["status"] == "present"
    assert any(e["note"] == "Zawadi asked by phone" for e in rows(files, "enrolment_events"))
    [certificate] = rows(files, "certificates")
    assert certificate["content"]["name"] == person.name
    # The PDF issued, byte for byte, as rendered by the certificates' renderer.
    pdf = files[f"certificates/{person.certificate.number}.pdf"]
    assert pdf == person.certificate.pdf and pdf.startswith(b"%PDF")
    actions = {entry["action"] for entry in rows(files, "audit_entries")}
    assert {"account.login", "account.login_failed", "enrolment.approve"} <= actions
    assert b"token_hash" not in b"".join(files.values())
    assert "README.txt" in files


def test_own_export_holds_nobody_elses_data(client, login, person):
    login(person.user)
    files = unzip(client.post("/profile/my-data").data)
    everything = b"".join(content for name, content in files.items() if name.endswith(".json"))
    assert b"Someone Else Entirely" not in everything
    assert b"else@example.org" not in everything
    assert {r["id"] for r in rows(files, "participants")} == {person.participant.id}


def test_staff_without_a_participant_record_get_their_account(client, login, person):
    login(person.trainer)
    files = unzip(client.post("/profile/my-data").data)
    assert rows(files, "users")[0]["email"] == person.trainer.email
    assert "participants.json" not in files


def test_export_is_written_to_the_audit_trail(client, login, person):
    login(person.admin)
    response = client.post(f"/participants/{person.participant.id}/data-export")
    assert response.status_code == 200
    assert rows(unzip(response.data), "participants")[0]["full_name"] == person.name
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "export.personal_data")
    ).one()
    assert (entry.actor_id, entry.participant_id) == (person.admin.id, person.participant.id)


def test_a_participant_without_an_account_is_exported_by_an_administrator(client, login, person):
    login(person.admin)
    files = unzip(client.post(f"/participants/{person.other.id}/data-export").data)
    assert rows(files, "participants")[0]["email"] == "else@example.org"
    assert "users.json" not in files


def test_profile_offers_the_download(client, login, person):
    login(person.user)
    html = client.get("/profile").get_data(as_text=True)
    assert 'action="/profile/my-data"' in html
    assert "Download my data" in html


def test_the_persons_page_offers_export_and_erasure_to_administrators_only(client, login, person):
    url = f"/participants/{person.participant.id}"
    login(person.admin)
    html = client.get(url).get_data(as_text=True)
    assert f"/participants/{person.participant.id}/data-export" in html
    assert f"/participants/{person.participant.id}/erase" in html
    login(factories.make_user(roles=("trainer",)))
    db.session.commit()
    page = client.get(url)
    assert f"/participants/{person.participant.id}/erase" not in page.get_data(as_text=True)


class TestCsrf:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_download_needs_the_pages_csrf_token(self, client, login, person):
        import re

        login(person.user)
        refused = client.post("/profile/my-data")
        assert refused.status_code == 400
        html = client.get("/profile").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        assert client.post("/profile/my-data", data={"csrf_token": token}).status_code == 200


def test_export_holds_test_scores_and_which_surveys_were_answered_not_the_answers(
    client, login, person
):
    from datetime import date

    from app.evaluation.models import SurveyRespondent, TestAttempt

    db.session.add_all(
        [
            TestAttempt(
                enrolment_id=person.enrolment.id,
                instrument="cfcac-knowledge",
                phase="pre",
                form="A",
                score=9,
                max_score=13,
                taken_on=date(2026, 3, 2),
            ),
            SurveyRespondent(instrument="reaction", enrolment_id=person.enrolment.id),
        ]
    )
    db.session.commit()
    login(person.user)
    files = unzip(client.post("/profile/my-data").data)
    [attempt] = rows(files, "test_attempts")
    assert (attempt["phase"], attempt["score"], attempt["max_score"]) == ("pre", 9, 13)
    assert [r["instrument"] for r in rows(files, "survey_respondents")] == ["reaction"]
    assert not any(name.startswith("survey_answers") for name in files)
