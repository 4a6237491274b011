import hashlib
import re
from datetime import date, timedelta

import pytest

from app.certificates import services
from app.certificates.models import Certificate
from app.certificates.services import CertificateError
from app.extensions import db
from tests import factories
from tests.certificates.helpers import completed_session

NUMBER = re.compile(r"^CFCAC-2026-KE-01-\d{4}$")


def test_issue_refuses_incomplete_enrolment_with_reason(app):
    scene = completed_session(names=("Kwame Mensah",))
    with pytest.raises(CertificateError, match="Dropped Out has not completed"):
        services.issue(scene.incomplete, scene.trainer)


def test_issue_refuses_when_session_not_completed(app):
    scene = completed_session(names=("Kwame Mensah",))
    scene.training_session.status = "in_progress"
    with pytest.raises(CertificateError, match="not completed yet"):
        services.issue(scene.enrolments[0], scene.trainer)
    with pytest.raises(CertificateError, match="not completed yet"):
        services.issue_for_session(scene.training_session, scene.trainer)


def test_issue_is_idempotent(app):
    scene = completed_session(names=("Kwame Mensah",))
    first = services.issue(scene.enrolments[0], scene.trainer)
    again = services.issue(scene.enrolments[0], scene.trainer)
    assert again.id == first.id
    assert db.session.query(Certificate).count() == 1
    assert services.issue_for_session(scene.training_session, scene.trainer) == []


def test_issue_for_session_numbers_codes_and_hash(app, outbox):
    scene = completed_session(names=("Zoë Øster", "Kwame Mensah", "Ana Núñez"))
    issued = services.issue_for_session(scene.training_session, scene.trainer)
    assert [c.number for c in issued] == [
        "CFCAC-2026-KE-01-0001",
        "CFCAC-2026-KE-01-0002",
        "CFCAC-2026-KE-01-0003",
    ]
    codes = {c.verification_code for c in issued}
    assert len(codes) == 3
    for certificate in issued:
        assert NUMBER.match(certificate.number)
        assert re.fullmatch(r"[A-Za-z0-9_-]{20}", certificate.verification_code)
        assert certificate.verification_code not in certificate.number
        assert certificate.pdf.startswith(b"%PDF")
        assert certificate.sha256 == hashlib.sha256(certificate.pdf).hexdigest()
        assert certificate.issued_by == scene.trainer
    # The dropout gets none; every holder with an email is told, once the issue is committed.
    assert scene.incomplete.id not in {c.enrolment_id for c in issued}
    assert outbox.refresh() == []
    db.session.commit()
    messages = outbox.refresh()
    assert len(messages) == 3
    body = messages[0].get_content()
    assert "certificate" in messages[0]["Subject"].lower()
    assert "/certificates/CFCAC-2026-KE-01-0001.pdf" in body


def test_content_is_frozen_against_later_edits(app):
    scene = completed_session(names=("Kwame Mensah",))
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    pdf_before = certificate.pdf
    content_before = dict(certificate.content)
    assert content_before["name"] == "Kwame Mensah"
    assert content_before["course_title"] == "Investigating Online Child Sexual Exploitation"
    assert content_before["modules"] == [
        {"title": "Legal Frameworks", "hours": "3"},
        {"title": "Digital Evidence", "hours": "6"},
    ]
    assert content_before["total_hours"] == "9"
    assert content_before["trainers"] == ["Amina Odhiambo"]
    assert content_before["partners"][0]["name"] == "Northbridge Police Academy"
    assert content_before["signatories"][0]["name"] == "Amina Odhiambo"
    assert content_before["host_country_name"] == "Kenya"
    assert content_before["issuer"] == app.config["ISSUER_NAME"]

    scene.enrolments[0].participant.full_name = "Someone Else"
    scene.course.title = "Renamed course"
    scene.training_session.city = "Mombasa"
    scene.training_session.course_version.modules[0].hours = 99
    scene.trainer.name = "Renamed Trainer"
    db.session.commit()
    db.session.expire_all()

    stored = db.session.get(Certificate, certificate.id)
    assert stored.content == content_before
    assert stored.pdf == pdf_before
    assert services.public_facts(stored)["name"] == "Kwame Mensah"
    assert services.public_facts(stored)["city"] == "Nairobi"


def test_signatories_and_logos_come_from_course_settings(app):
    scene = completed_session(
        names=("Kwame Mensah",),
        certificate_settings={
            "signatories": [
                {
                    "name": "Dr. Jane Director",
                    "title": "Programme Director",
                    "signature": "signatures/director.svg",
                },
            ],
            "logos": ["partners/meridian-forensics-institute.svg", "../../etc/passwd"],
        },
    )
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    content = certificate.content
    assert content["signatories"] == [
        {
            "name": "Dr. Jane Director",
            "title": "Programme Director",
            "signature": "img/signatures/director.svg",
        }
    ]
    # Course logos first, then partner logos; paths outside static/img are dropped.
    assert content["logos"] == [
        "img/partners/meridian-forensics-institute.svg",
        "img/partners/northbridge-police-academy.svg",
    ]


def test_revoke_requires_reason(app):
    scene = completed_session(names=("Kwame Mensah",))
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    with pytest.raises(CertificateError, match="reason"):
        services.revoke(certificate, scene.trainer, "   ")
    services.revoke(certificate, scene.trainer, "Attendance records were falsified")
    assert services.certificate_status(certificate) == "revoked"
    assert certificate.revoked_by == scene.trainer
    with pytest.raises(CertificateError, match="already revoked"):
        services.revoke(certificate, scene.trainer, "again")
    # After revocation a new certificate may be issued, with the next number.
    replacement = services.issue(scene.enrolments[0], scene.trainer)
    assert replacement.number.endswith("-0002")


def test_reissue_chain(app):
    scene = completed_session(names=("Kwame Mensa",))
    original = services.issue(scene.enrolments[0], scene.trainer)
    scene.enrolments[0].participant.full_name = "Kwame Mensah"
    replacement = services.reissue(original, scene.trainer, "Misspelt name")
    assert replacement.number == "CFCAC-2026-KE-01-0002"
    assert replacement.verification_code != original.verification_code
    assert replacement.content["name"] == "Kwame Mensah"
    assert replacement.replaces == original
    assert original.replaced_by == [replacement]
    assert original.revoked_at is not None
    assert original.revocation_reason == "Replaced by CFCAC-2026-KE-01-0002: Misspelt name"
    assert services.current_certificate(scene.enrolments[0]) == replacement
    assert services.public_facts(original)["replaced_by"] == replacement.number
    with pytest.raises(CertificateError, match="revoked"):
        services.reissue(original, scene.trainer)
    third = services.reissue(replacement, scene.trainer)
    assert third.replaces == replacement and third.number.endswith("-0003")


def test_find_by_number_code_and_pdf_hash(app):
    scene = completed_session(names=("Kwame Mensah",))
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    assert services.find_certificate(certificate.number) == certificate
    assert services.find_certificate(certificate.number.lower()) == certificate
    assert services.find_certificate(certificate.verification_code) == certificate
    assert services.find_certificate(certificate.verification_code.swapcase()) in (None,)
    assert services.find_certificate("nope") is None
    assert services.find_by_pdf(certificate.pdf) == certificate
    edited = certificate.pdf.replace(b"Kwame", b"Kwama", 1)
    assert services.find_by_pdf(edited + b" ") is None


def test_expiry_from_course_validity(app):
    scene = completed_session(names=("Kwame Mensah",), validity_months=36)
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    # Counted from the session's last day, not from the day it was issued.
    assert certificate.expires_on == services.add_months(scene.training_session.end_date, 36)
    assert services.certificate_status(certificate) == "valid"
    assert services.certificate_status(certificate, certificate.expires_on) == "valid"
    later = certificate.expires_on + timedelta(days=1)
    assert services.certificate_status(certificate, later) == "expired"
    assert services.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert services.add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)


def test_no_expiry_without_validity(app):
    scene = completed_session(names=("Kwame Mensah",))
    assert services.issue(scene.enrolments[0], scene.trainer).expires_on is None


def test_remind_expiring_once(app, outbox):
    scene = completed_session(names=("Kwame Mensah", "Ana Núñez"), validity_months=12)
    soon, later = services.issue_for_session(scene.training_session, scene.trainer, notify=False)
    soon.expires_on = date.today() + timedelta(days=30)
    later.expires_on = date.today() + timedelta(days=200)
    reminded = services.remind_expiring(60)
    assert reminded == [soon]
    assert soon.expiry_reminder_sent_at is not None
    assert services.remind_expiring(60) == []
    assert outbox.refresh() == []  # reminders leave only once their marks are committed
    db.session.commit()
    messages = outbox.refresh()
    assert len(messages) == 1
    assert "expires" in messages[0]["Subject"]
    assert soon.number in messages[0].get_content()


def test_holders_without_email_get_no_mail(app, outbox):
    scene = completed_session(names=("Kwame Mensah",), with_accounts=False)
    services.issue_for_session(scene.training_session, scene.trainer)
    assert outbox.refresh() == []


def test_transcript_lists_completed_trainings_and_total(app):
    scene = completed_session(names=("Kwame Mensah",))
    services.issue(scene.enrolments[0], scene.trainer)
    participant = scene.enrolments[0].participant
    other = factories.make_training_session(
        course=factories.make_course(title="Hotline Cooperation", modules=[("m", 7.5, ["all"])]),
        start=date(2025, 6, 2),
        status="completed",
        code="HOT-2025-UG-01",
    )
    factories.make_enrolment(other, participant, completed=True)
    factories.make_enrolment(
        factories.make_training_session(status="completed"), participant, completed=False
    )
    rows, total = services.transcript_rows(participant)
    assert [row["code"] for row in rows] == ["HOT-2025-UG-01", "CFCAC-2026-KE-01"]
    assert total == 9 + 7.5
    assert rows[1]["certificate"] == "CFCAC-2026-KE-01-0001"
    data = services.transcript_pdf(participant)
    assert data.startswith(b"%PDF")


def test_parallel_batch_matches_sequential_rendering(app, monkeypatch):
    monkeypatch.setattr(services, "PARALLEL_THRESHOLD", 1)
    scene = completed_session(names=("Kwame Mensah", "Ana Núñez", "王小明"))
    issued = services.issue_for_session(scene.training_session, scene.trainer, notify=False)
    assert len(issued) == 3
    for certificate in issued:
        assert certificate.pdf.startswith(b"%PDF")
        assert certificate.sha256 == hashlib.sha256(certificate.pdf).hexdigest()


def test_layout_is_chosen_per_course_and_sanitised(app):
    plain = completed_session(names=("Kwame Mensah",), certificate_settings={"layout": "plain"})
    certificate = services.issue(plain.enrolments[0], plain.trainer)
    assert certificate.content["layout"] == "plain"
    html = services.certificate_html(
        certificate.content, certificate.number, "code", date.today(), None
    )
    assert 'class="layout-plain' in html
    for layout in ("../../etc/passwd", "missing"):
        content = {**certificate.content, "layout": layout}
        html = services.certificate_html(content, certificate.number, "code", date.today(), None)
        assert 'class="layout-classic' in html


def test_unsupported_session_language_prints_in_english(app):
    scene = completed_session(names=("Kwame Mensah",), language="pt")
    content = services.freeze_content(scene.enrolments[0])
    assert content["language"] == "pt"
    html = services.certificate_html(content, "X-0001", "code", date.today(), None)
    assert "Certificate of Completion" in html and 'lang="en"' in html


def test_certificate_lists_what_the_agenda_taught_with_its_hours(app):
    from decimal import Decimal

    from app.certificates.services import freeze_content
    from app.scheduling.models import AgendaItem
    from tests.certificates.helpers import completed_session

    scene = completed_session()
    training_session = scene.training_session
    legal, evidence = training_session.course_version.modules
    training_session.agenda_items = [
        AgendaItem(course_module=evidence, day=training_session.start_date, hours=Decimal(4)),
        AgendaItem(course_module=evidence, day=training_session.end_date, hours=Decimal("1.5")),
    ]
    content = freeze_content(scene.enrolments[0])
    assert content["modules"] == [{"title": evidence.title, "hours": "5.5"}]
    assert content["total_hours"] == "5.5"


def test_without_an_agenda_only_modules_of_the_sessions_tradition_are_listed(app):
    from app.certificates.services import freeze_content
    from tests import factories

    course = factories.make_course(
        modules=[
            ("intro", 2, ["all"]),
            ("undercover", 3, ["common_law"]),
            ("judicial-supervision", 3, ["civil_law"]),
        ]
    )
    training_session = factories.make_training_session(
        course=course, status="completed", legal_tradition="civil_law"
    )
    enrolment = factories.make_enrolment(training_session, completed=True)
    content = freeze_content(enrolment)
    assert [module["title"] for module in content["modules"]] == ["Intro", "Judicial Supervision"]
    assert content["total_hours"] == "5"
