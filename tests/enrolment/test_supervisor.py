"""A participant's optional supervisor: the form, the page and the upload's columns."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.enrolment import upload
from app.enrolment.models import Participant
from app.extensions import db
from tests.enrolment.helpers import scene

pytestmark = pytest.mark.usefixtures("app")

PERSON = {
    "full_name": "Grace Wanjiru",
    "email": "",
    "country_code": "KE",
    "agency_type": "police",
    "supervisor_name": "  Chief   Inspector Otieno ",
    "supervisor_email": "J.Otieno@Example.org",
}


def test_a_manager_records_the_supervisor_and_the_page_shows_it(client, as_role):
    as_role("manager")
    assert client.post("/participants/new", data=PERSON).status_code == 302
    person = db.session.scalar(select(Participant))
    assert (person.supervisor_name, person.supervisor_email) == (
        "Chief Inspector Otieno",
        "j.otieno@example.org",
    )
    page = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "Chief Inspector Otieno" in page and "j.otieno@example.org" in page
    edit = client.get(f"/participants/{person.id}/edit").get_data(as_text=True)
    assert 'value="j.otieno@example.org"' in edit


def test_a_bad_supervisor_email_is_refused_by_the_form(client, as_role):
    as_role("manager")
    response = client.post("/participants/new", data={**PERSON, "supervisor_email": "otieno"})
    assert response.status_code == 200 and db.session.scalar(select(Participant)) is None


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("Supervisor", "Supervisor email"),
        ("Nom du supérieur", "Courriel du supérieur"),
        ("Nombre del supervisor", "Correo del supervisor"),
    ],
)
def test_the_upload_reads_the_supervisor_under_its_usual_headings(name, email):
    s = scene()
    content = f"name,country,{name},{email}\nGrace Wanjiru,KE,Chief Otieno,J.Otieno@example.org\n"
    preview = upload.parse_upload("list.csv", content.encode(), s.training_session)
    assert preview.valid, preview.errors
    upload.apply_upload(preview, s.training_session, s.trainer)
    person = db.session.scalar(select(Participant).where(Participant.full_name == "Grace Wanjiru"))
    assert (person.supervisor_name, person.supervisor_email) == (
        "Chief Otieno",
        "j.otieno@example.org",
    )


def test_a_bad_supervisor_email_in_the_upload_names_its_row_and_column():
    s = scene()
    content = "name,country,supervisor_email\nGrace Wanjiru,KE,not-an-address\n"
    preview = upload.parse_upload("list.csv", content.encode(), s.training_session)
    (error,) = preview.errors
    assert (error.row, error.column) == (2, "supervisor_email")
