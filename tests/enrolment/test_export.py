import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from tests import factories
from tests.enrolment.helpers import scene


def _scene():
    s = scene(capacity=1)
    factories.make_enrolment(
        s.training_session,
        factories.make_participant(
            "José Pérez", email="jose@example.org", organisation="=HYPERLINK()"
        ),
    )
    factories.make_enrolment(
        s.training_session,
        factories.make_participant("أمينة يوسف", latin_name="Amina Yusuf"),
        status="waitlisted",
    )
    db.session.commit()
    return s


def test_the_trainer_downloads_the_list_as_csv_header_first(client, login):
    s = _scene()
    login(s.trainer)
    response = client.get(f"/training-sessions/{s.training_session.id}/enrolments.csv")
    assert response.status_code == 200
    assert s.training_session.code in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["Full name", "Name in Latin script", "Email"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["José Pérez"][2] == "jose@example.org"
    assert by_name["José Pérez"][4] == "'=HYPERLINK()"  # no formula runs when opened
    assert by_name["أمينة يوسف"][6:8] == ["waitlisted", "1"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export.enrolments"))
    assert entry.training_session_id == s.training_session.id


def test_the_xlsx_has_the_list_first_and_an_about_sheet(client, as_role):
    s = _scene()
    as_role("manager")  # managers read the enrolment page, so they may take the list
    response = client.get(f"/training-sessions/{s.training_session.id}/enrolments.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    first = workbook.worksheets[0]
    assert first["A1"].value == "Full name" and first.max_row == 3
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert about["Session"] == s.training_session.code


def test_the_list_is_refused_like_the_enrolment_page(client, as_role):
    s = _scene()
    as_role("trainer")  # not this session's
    assert (
        client.get(f"/training-sessions/{s.training_session.id}/enrolments.csv").status_code == 403
    )
    assert client.get(f"/training-sessions/{s.training_session.id}/enrolments.pdf").status_code in (
        403,
        404,
    )
