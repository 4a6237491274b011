from datetime import date
from decimal import Decimal
from email import message_from_bytes, policy

from app.enrolment import services
from app.extensions import db
from app.scheduling.models import AgendaItem
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


def _agenda_scene():
    """Return an open two-day French-language session at a venue, its agenda set day by day."""
    s = scene(
        capacity=5,
        code="OCSE-2026-SN-01",
        days=2,
        start=date(2027, 3, 3),
        language="fr",
        venue="Hôtel Terrou-Bi",
    )
    intro, evidence, _techniques = s.training_session.course_version.modules
    evidence.translations = {"fr": {"title": "La preuve numérique"}}
    first, second = s.training_session.days
    s.training_session.agenda_items = [
        AgendaItem(course_module=intro, day=first, position=0, hours=Decimal(3)),
        AgendaItem(course_module=evidence, day=first, position=1, hours=Decimal("4.5")),
        AgendaItem(course_module=evidence, day=second, position=0, hours=Decimal(6)),
    ]
    db.session.flush()
    return s


def _confirmation_body(app, outbox, language: str) -> str:
    """Approve the request of someone reading `language` (the trainer reads English); return it."""
    s = _agenda_scene()
    person = participant_with_account("Claire Dubois")
    person.user.language = language
    enrolment = services.request_place(person, s.training_session, person.user)
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        services.approve(enrolment, s.trainer)
        db.session.commit()
    return outbox.refresh()[-1].get_body(("plain",)).get_content()


def test_the_confirmation_lists_the_agenda_by_day_and_the_venue_in_english(app, outbox):
    body = _confirmation_body(app, outbox, "en")
    assert "3–4 March 2027" in body and "Hôtel Terrou-Bi, Nairobi, Kenya" in body
    agenda = body[body.index("Agenda") :]
    assert "Day 1 · 3 March 2027 (7.5 h)" in agenda and "Day 2 · 4 March 2027 (6 h)" in agenda
    # Module titles in the session's language (French), the reader's words in English.
    assert "Intro, 3 h" in agenda and "La preuve numérique, 4.5 h" in agenda
    assert agenda.index("Intro") < agenda.index("Day 2") < agenda.rindex("La preuve numérique")


def test_the_confirmation_agenda_speaks_the_recipients_language(app, outbox):
    body = _confirmation_body(app, outbox, "fr")
    assert "3–4 mars 2027" in body and "Hôtel Terrou-Bi, Nairobi, Kenya" in body
    assert "Programme" in body and "Agenda" not in body and "March" not in body
    assert "Jour 1 · 3 mars 2027 (7,5 h)" in body and "Jour 2 · 4 mars 2027 (6 h)" in body
    assert "La preuve numérique, 4,5 h" in body
