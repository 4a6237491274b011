"""Emails speak the recipient's language (the account's, else the record's), not the sender's."""

from flask_babel import force_locale

from app.accounts.services import request_password_reset, send_invitation
from app.enrolment import services as enrolment
from app.extensions import db
from tests import factories
from tests.enrolment.helpers import scene


def _only(outbox):
    (message,) = outbox.refresh()
    return message


def test_a_french_account_gets_its_invitation_in_french(app, outbox):
    user = factories.make_user(roles=("participant",), name="Awa Diop", language="fr")
    send_invitation(user)
    db.session.commit()
    message = _only(outbox)
    assert message["Subject"] == "Votre invitation à la plateforme de formation"
    assert "Bonjour Awa Diop," in message.get_content()


def test_a_spanish_participant_record_gets_its_request_received_in_spanish(app, outbox):
    s = scene(code="BOG-2026-CO-01")
    person = factories.make_participant(
        "Ana Gómez", country_code="CO", email="ana@example.org", preferred_language="es"
    )
    enrolment.request_place(person, s.training_session, None)
    db.session.commit()
    message = _only(outbox)
    assert message["Subject"] == "Hemos recibido su solicitud: BOG-2026-CO-01"
    assert "Estimado/a Ana Gómez:" in message.get_content()


def test_an_arabic_account_gets_its_password_reset_in_arabic(app, outbox):
    user = factories.make_user(roles=("trainer",), email="omar@example.org", language="ar")
    db.session.commit()
    request_password_reset(user.email)
    db.session.commit()
    assert _only(outbox)["Subject"] == "إعادة تعيين كلمة المرور"


def test_a_reader_without_a_language_gets_english_whatever_the_sender_reads(app, outbox):
    user = factories.make_user(roles=("participant",), name="Ruth")
    with app.test_request_context(), force_locale("fr"):
        send_invitation(user)
    db.session.commit()
    assert _only(outbox)["Subject"] == "Your invitation to the training platform"
