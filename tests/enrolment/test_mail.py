from email import message_from_bytes, policy

from app.enrolment import services
from app.extensions import db
from tests import factories
from tests.enrolment.helpers import participant_with_account, scene


def _read(received) -> list:
    """Parse what the SMTP server received into (to, subject, body) triples."""
    messages = []
    for raw in received:
        parsed = message_from_bytes(raw.as_bytes(), policy=policy.default)
        messages.append((parsed["To"], parsed["Subject"], parsed.get_body().get_content()))
    return messages


def test_enrolment_emails_travel_through_a_real_smtp_server(smtp_server):
    s = scene(capacity=1, code="OCSE-2026-KE-07")
    first = participant_with_account("Amina Yusuf")
    second = participant_with_account("ณัฐพล ศรีสุข", country_code="TH")
    third = participant_with_account("محمد عبد الله", country_code="EG")
    course = s.training_session.course.title

    one = services.request_place(first, s.training_session, first.user)
    db.session.commit()
    to, subject, body = _read(smtp_server)[-1]
    assert to == first.email and "OCSE-2026-KE-07" in subject
    assert "received your request" in body and course in body and "Amina Yusuf" in body

    services.approve(one, s.trainer)
    db.session.commit()
    to, subject, body = _read(smtp_server)[-1]
    assert to == first.email and subject == "Your place is confirmed: OCSE-2026-KE-07"
    assert course in body and "/my-trainings" in body

    two = services.request_place(second, s.training_session, second.user)
    services.approve(two, s.trainer)
    db.session.commit()
    to, subject, body = _read(smtp_server)[-1]
    assert to == second.email and "waitlist" in subject and "Session full (1 places)" in body

    three = services.request_place(third, s.training_session, third.user)
    services.decline(three, s.trainer, "The course is for investigators")
    db.session.commit()
    to, subject, body = _read(smtp_server)[-1]
    assert to == third.email and "not accepted" in subject
    assert "The course is for investigators" in body and "محمد عبد الله" in body

    services.withdraw(one, first.user)
    db.session.commit()
    to, subject, body = _read(smtp_server)[-1]
    assert to == second.email and subject == "A place is yours: OCSE-2026-KE-07"
    assert "ณัฐพล ศรีสุข" in body and course in body
    assert len(smtp_server) == 7


def test_invitation_goes_through_smtp(smtp_server):
    person = factories.make_participant("Lina Haddad", country_code="JO", email="lina@example.org")
    services.invite_participant(person)
    db.session.commit()
    ((to, subject, body),) = _read(smtp_server)
    assert to == "lina@example.org" and "invitation" in subject.lower()
    assert "/set-password/" in body


def _attachments(message) -> dict[str, tuple[str, str]]:
    """Return each attachment's file name with its content type and text."""
    return {
        part.get_filename(): (part.get_content_type(), part.get_content())
        for part in message.iter_attachments()
    }


def test_the_confirmation_carries_an_ics_invitation_and_other_emails_do_not(outbox):
    s = scene(capacity=1, code="OCSE-2026-KE-07")
    person = participant_with_account("Amina Yusuf")
    enrolment = services.request_place(person, s.training_session, person.user)
    db.session.commit()
    assert _attachments(outbox.refresh()[-1]) == {}
    services.approve(enrolment, s.trainer)
    db.session.commit()
    confirmation = outbox.refresh()[-1]
    assert confirmation["Subject"] == "Your place is confirmed: OCSE-2026-KE-07"
    assert "/my-trainings" in confirmation.get_body(("plain",)).get_content()
    ((name, (kind, text)),) = _attachments(confirmation).items()
    assert name == "OCSE-2026-KE-07.ics" and kind == "text/calendar"
    start = s.training_session.start_date
    assert "BEGIN:VEVENT" in text and f"DTSTART;VALUE=DATE:{start:%Y%m%d}" in text
    assert "UID:OCSE-2026-KE-07@" in text


def test_the_ics_invitation_speaks_the_recipients_language_not_the_trainers(app, outbox):
    s = scene(capacity=1, code="OCSE-2026-KE-08")
    person = participant_with_account("Claire Dubois")
    person.user.language = "fr"
    enrolment = services.request_place(person, s.training_session, person.user)
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):  # the trainer's English
        services.approve(enrolment, s.trainer)
        db.session.commit()
    confirmation = outbox.refresh()[-1]
    ((_name, (_kind, text)),) = _attachments(confirmation).items()
    assert "Détails et programme" in text.replace("\r\n ", "")
    assert "Details and agenda" not in text.replace("\r\n ", "")
