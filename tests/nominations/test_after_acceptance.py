"""After a seat is given: a new person gets an account; the enrolment's real state shows."""

from __future__ import annotations

import re

from app.extensions import db
from app.nominations import services
from app.nominations.models import NominationStatus as S
from tests.nominations.helpers import nominated, scene, vetted


def test_a_new_person_accepted_is_invited_and_confirms_through_the_link(client, login, outbox):
    s = scene()
    nomination = services.nominate_new_person(
        s.call,
        {"full_name": "Wanjiru Kamau", "country_code": "KE", "email": "wanjiru@example.org"},
        s.kenya,
    )
    assert nomination.participant.user is None  # a focal point's new person has no account
    vetted(s, nomination)
    services.accept(nomination, s.trainer)
    db.session.commit()

    mails = [m for m in outbox.refresh() if m["To"] == "wanjiru@example.org"]
    bodies = [mail.get_body().get_content() for mail in mails]
    link = next(re.search(r"https?://\S+/set-password/\S+", b) for b in bodies if "/set-pass" in b)
    accepted = next(b for b in bodies if "Accepted" in b)
    assert "set your password" in accepted  # the acceptance tells them what to do first

    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    response = client.post(
        "/" + path, data={"password": "a long good password 7", "confirm": "a long good password 7"}
    )
    assert response.status_code == 302
    login(nomination.participant.user)
    client.post(f"/my/nominations/{nomination.id}/answer", data={"target": "confirmed"})
    db.session.refresh(nomination)
    assert nomination.status == S.CONFIRMED


def test_the_focal_point_sees_an_enrolment_withdrawn_after_the_nomination(client, login):
    s = scene()
    nomination = vetted(s, nominated(s, full_name="Wanjiru Kamau"))
    services.accept(nomination, s.trainer)
    services.confirm(nomination, nomination.participant.user)
    services.enrol(nomination, s.trainer)
    db.session.commit()

    login(s.trainer)
    client.post(
        f"/enrolments/{nomination.enrolment_id}/withdraw",
        data={"confirmed": "yes", "reason": "Cannot travel"},
    )
    db.session.refresh(nomination.enrolment)
    assert nomination.enrolment.status == "withdrawn"
    review = client.get(f"/nominations/calls/{s.call.id}/review").get_data(as_text=True)
    assert "Enrolment withdrawn" in review
    assert "1 nominee was enrolled, then withdrawn or declined" in review  # the call's report

    login(s.kenya)
    page = client.get(f"/nominations/calls/{s.call.id}").get_data(as_text=True)
    assert "Enrolment withdrawn" in page
    assert "Kenya: 2 seats offered, 1 nominated, 0 accepted" in page  # the seat is free again
