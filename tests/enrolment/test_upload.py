import io
import pathlib
import stat

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.enrolment import upload
from app.enrolment.models import Enrolment, Participant
from app.enrolment.services import EnrolmentError
from app.extensions import db
from tests import factories
from tests.enrolment.helpers import scene
from tests.shared import bombs

pytestmark = pytest.mark.usefixtures("app")

HEADER = "name,latin_name,email,country,organisation,agency_type,job_title,gender,language\n"
GOOD = (
    HEADER
    + "محمد عبد الله,Mohamed Abdallah,m.abdallah@example.org,EGY,Egyptian Police,police,"
    + "Captain,male,Arabic\n"
    + "สมชาย ใจดี,Somchai Jaidee,,thailand,Royal Thai Police,Police,Major,,th\n"
    + "Grace Wanjiru,,grace@example.org,ke,ODPP,Prosecution,Prosecutor,female,en\n"
    + ",,,,,,,,\n"
    + "Іван Петренко,Ivan Petrenko,,Ukraine,National Police,child protection,,undisclosed,\n"
)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _preview(content: str | bytes, s, filename: str = "list.csv"):
    data = content.encode() if isinstance(content, str) else content
    return upload.parse_upload(filename, data, s.training_session)


def test_valid_csv_previews_then_enrols_everyone():
    s = scene()
    preview = _preview(GOOD, s)
    assert preview.valid and [row.row for row in preview.rows] == [2, 3, 4, 6]
    assert _count(Participant) == 0  # the preview writes nothing
    first = preview.rows[0].data
    assert first["country_code"] == "EG" and first["preferred_language"] == "ar"
    assert preview.rows[1].data["country_code"] == "TH"
    assert preview.rows[1].data["agency_type"] == "police"
    assert preview.rows[3].data["agency_type"] == "child_protection"
    summary = upload.apply_upload(preview, s.training_session, s.trainer)
    assert (summary.created, summary.enrolled, summary.already) == (4, 4, 0)
    assert _count(Enrolment) == 4
    person = db.session.scalar(
        select(Participant).where(Participant.latin_name == "Somchai Jaidee")
    )
    assert person.full_name == "สมชาย ใจดี" and person.email is None


def test_errors_name_row_and_column_and_nothing_is_written():
    s = scene()
    content = (
        HEADER
        + "Good Person,,good@example.org,KE,Police,police,,,\n"
        + "Bad Country,,,Atlantis,Police,police,,,\n"
        + "Bad Email,,not-an-email,KE,Police,police,,,\n"
        + ",,,KE,Police,police,,,\n"
        + "Bad Agency,,,KE,Police,spies,,,\n"
        + "Bad Gender,,,KE,Police,police,,robot,\n"
        + "Good Person,,GOOD@example.org,KE,Police,police,,,\n"
    )
    preview = _preview(content, s)
    assert not preview.valid
    found = {(e.row, e.column) for e in preview.errors}
    assert found == {
        (3, "country"),
        (4, "email"),
        (5, "name"),
        (6, "agency_type"),
        (7, "gender"),
        (8, "email"),
    }
    message = next(e.message for e in preview.errors if e.row == 3)
    assert "Atlantis" in message
    assert next(e.message for e in preview.errors if e.row == 8) == "Same email as row 2."
    with pytest.raises(EnrolmentError):
        upload.apply_upload(preview, s.training_session, s.trainer)
    assert _count(Participant) == 0 and _count(Enrolment) == 0


def test_header_problems_are_reported_on_row_one():
    s = scene()
    preview = _preview("name,nationality\nX,KE\n", s)
    assert [(e.row, e.column) for e in preview.errors] == [(1, "")]
    assert "nationality" in preview.errors[0].message
    assert "country" in _preview("name,email\nX,x@example.org\n", s).errors[0].message
    assert not _preview("name,country\n", s).valid
    assert "csv" in _preview("a", s, "list.pdf").errors[0].message


def test_reuploading_the_same_file_creates_no_duplicates():
    s = scene()
    upload.apply_upload(_preview(GOOD, s), s.training_session, s.trainer)
    db.session.commit()
    again = _preview(GOOD, s)
    assert again.valid and all(row.already_enrolled for row in again.rows)
    summary = upload.apply_upload(again, s.training_session, s.trainer)
    assert (summary.created, summary.matched, summary.already) == (0, 4, 4)
    assert _count(Participant) == 4 and _count(Enrolment) == 4


def test_people_are_matched_by_email_then_by_name_and_country():
    s = scene()
    by_email = factories.make_participant(
        "M. Abdallah", country_code="EG", email="m.abdallah@example.org"
    )
    by_name = factories.make_participant("ใจดี สมชาย", country_code="TH", organisation="")
    factories.make_participant("Grace Wanjiru", country_code="UG")  # other country: new person
    preview = _preview(GOOD, s)
    matches = [(row.match, row.match_by) for row in preview.rows]
    assert matches[0] == (by_email, "email")
    assert matches[1] == (by_name, "name")
    assert matches[2] == (None, None)
    summary = upload.apply_upload(preview, s.training_session, s.trainer)
    assert (summary.created, summary.matched) == (2, 2)
    assert by_name.organisation == "Royal Thai Police"  # empty fields are filled in
    assert by_email.full_name == "M. Abdallah"  # existing names are not overwritten


def test_people_beyond_capacity_or_quota_are_waitlisted():
    s = scene(capacity=3, country_quota=1)
    content = HEADER + "".join(f"Officer {n},,,KE,Police,police,,,\n" for n in range(2))
    content += "Officer UG,,,UG,Police,police,,,\nOfficer TZ,,,TZ,Police,police,,,\n"
    content += "Officer RW,,,RW,Police,police,,,\n"
    summary = upload.apply_upload(_preview(content, s), s.training_session, s.trainer)
    assert (summary.enrolled, summary.waitlisted) == (3, 2)


def test_xlsx_is_read_like_csv():
    s = scene()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Country", "Email", "Agency_Type"])
    sheet.append(["ณัฐพล ศรีสุข", "THA", "nat@example.org", "Judiciary"])
    sheet.append([None, None, None, None])
    sheet.append(["Ana Souza", "Brasil", None, "ngo"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = _preview(buffer.getvalue(), s, "list.xlsx")
    assert [(e.row, e.column) for e in preview.errors] == [(4, "country")]
    sheet["B4"] = "Brazil"
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = _preview(buffer.getvalue(), s, "list.xlsx")
    assert preview.valid
    assert [row.data["country_code"] for row in preview.rows] == ["TH", "BR"]
    assert preview.rows[0].data["agency_type"] == "judiciary"
    assert not _preview(b"not a workbook", s, "list.xlsx").valid


def test_semicolon_csv_from_spreadsheet_programs():
    s = scene()
    preview = _preview("\ufeffname;country\nJean Dupont;France\n", s)
    assert preview.valid and preview.rows[0].data["country_code"] == "FR"


def test_same_person_twice_in_a_file_is_an_error():
    s = scene()
    preview = _preview("name,country\nJosé Pérez,MX\nPEREZ Jose,mex\n", s)
    assert [(e.row, e.column, e.message) for e in preview.errors] == [
        (3, "name", "Same person as row 2.")
    ]


def test_a_kept_upload_is_confirmed_only_by_its_uploader_for_its_session_and_once():
    s = scene()
    other_session = factories.make_training_session(trainers=[s.trainer])
    other_trainer = factories.make_user(roles=("trainer",))
    preview, token = upload.preview_upload("list.csv", GOOD.encode(), s.training_session, s.trainer)
    assert preview.valid and token
    for training_session, user in ((other_session, s.trainer), (s.training_session, other_trainer)):
        with pytest.raises(EnrolmentError):
            upload.confirm_upload(token, training_session, user)
    for bad in ("../../etc/passwd", "", "short"):
        with pytest.raises(EnrolmentError):
            upload.confirm_upload(bad, s.training_session, s.trainer)
    _preview_again, summary = upload.confirm_upload(token, s.training_session, s.trainer)
    db.session.commit()
    assert summary.enrolled + summary.waitlisted == 4
    with pytest.raises(EnrolmentError):
        upload.confirm_upload(token, s.training_session, s.trainer)


def test_a_list_that_cannot_be_read_at_all_is_not_kept():
    s = scene()
    preview, token = upload.preview_upload(
        "list.xlsx", b"not a workbook", s.training_session, s.trainer
    )
    assert not preview.valid and token is None


# --- Real spreadsheets: headings, encodings, conflicts, bad rows left out ------------------


def test_headings_in_other_words_and_languages_are_read_and_the_preview_says_which():
    s = scene()
    preview = _preview("Nom;Courriel;Pays\nAmina Yusuf;amina@example.org;Kenya\n", s)
    assert preview.valid and preview.rows[0].data["email"] == "amina@example.org"
    assert [(c.heading, c.field) for c in preview.columns_read] == [
        ("Nom", "name"),
        ("Courriel", "email"),
        ("Pays", "country"),
    ]
    spanish = _preview("Nombre,E-mail,País,Organización\nJosé Pérez,jp@example.org,MX,PGR\n", s)
    assert spanish.valid and spanish.rows[0].data["organisation"] == "PGR"
    english = _preview("Full name,Country of service,Rank\nGrace Achieng,KE,Inspector\n", s)
    assert english.valid and english.rows[0].data["job_title"] == "Inspector"


def test_a_list_saved_in_windows_1256_reads_in_arabic_and_another_encoding_can_be_chosen():
    s = scene()
    data = "name,country\nفاطمة الزهراء,EG\nمحمد علي,MA\n".encode("cp1256")
    preview, token = upload.preview_upload("list.csv", data, s.training_session, s.trainer)
    assert preview.encoding == "cp1256" and token
    assert preview.rows[0].data["full_name"] == "فاطمة الزهراء"
    choices = upload.UploadChoices(encoding="cp1251", reread=True)
    again, summary = upload.confirm_upload(token, s.training_session, s.trainer, choices)
    assert summary is None and again.encoding == "cp1251"
    assert again.rows[0].data["full_name"] != "فاطمة الزهراء"
    db.session.commit()
    # Reading again keeps the file: it can still be confirmed in its own encoding.
    choices = upload.UploadChoices(encoding="cp1256")
    _again, summary = upload.confirm_upload(token, s.training_session, s.trainer, choices)
    assert summary.created == 2
    assert (
        db.session.scalar(select(Participant.full_name).order_by(Participant.id)) == "فاطمة الزهراء"
    )


CONFLICT = (
    "name,email,country,organisation\nGrace Achieng,grace.new@example.org,KE,DCI Cyber Unit\n"
)


def test_a_name_and_country_match_with_another_email_asks_and_nothing_is_applied_unasked():
    s = scene()
    known = factories.make_participant(
        "Grace Achieng", country_code="KE", email="grace.old@example.org", organisation="CID"
    )
    preview, token = upload.preview_upload(
        "l.csv", CONFLICT.encode(), s.training_session, s.trainer
    )
    assert [row.conflict for row in preview.conflicts] == [known] and preview.undecided
    assert preview.rows[0].match is None and not preview.can_apply()
    _again, summary = upload.confirm_upload(token, s.training_session, s.trainer)
    assert summary is None and _count(Enrolment) == 0
    db.session.commit()
    same = upload.UploadChoices(decisions={2: upload.SAME_PERSON})
    _again, summary = upload.confirm_upload(token, s.training_session, s.trainer, same)
    assert (summary.created, summary.matched, summary.enrolled) == (0, 1, 1)
    assert (known.email, known.organisation) == ("grace.new@example.org", "DCI Cyber Unit")


def test_a_different_person_of_the_same_name_is_created_with_the_files_email():
    s = scene()
    known = factories.make_participant(
        "Grace Achieng", country_code="KE", email="grace.old@example.org"
    )
    choices = upload.UploadChoices(decisions={2: upload.OTHER_PERSON})
    preview = upload.parse_upload("l.csv", CONFLICT.encode(), s.training_session, choices)
    summary = upload.apply_upload(preview, s.training_session, s.trainer)
    assert (summary.created, summary.matched) == (1, 0)
    assert known.email == "grace.old@example.org"
    new = db.session.scalar(select(Participant).where(Participant.id != known.id))
    assert (new.email, new.organisation) == ("grace.new@example.org", "DCI Cyber Unit")


def test_the_choices_come_from_the_preview_form():
    form = {"person-2": "same", "person-3": "new", "person-x": "same", "person-4": "maybe"}
    choices = upload.UploadChoices.from_form({**form, "encoding": "cp1256", "skip_bad_rows": "y"})
    assert choices.decisions == {2: "same", 3: "new"}
    assert (choices.encoding, choices.skip_bad_rows, choices.reread) == ("cp1256", True, False)
    assert upload.UploadChoices.from_form({"encoding": "rot13"}).encoding is None


def test_bad_rows_are_left_out_only_by_choice():
    s = scene()
    content = HEADER + "Good Person,,,KE,Police,police,,,\nBad Country,,,Atlantis,,,,,\n"
    preview, token = upload.preview_upload("l.csv", content.encode(), s.training_session, s.trainer)
    assert token and not preview.valid and preview.bad_rows == 1
    with pytest.raises(EnrolmentError):
        upload.apply_upload(preview, s.training_session, s.trainer)
    _again, summary = upload.confirm_upload(token, s.training_session, s.trainer)
    assert summary is None and _count(Participant) == 0
    db.session.commit()
    choices = upload.UploadChoices(skip_bad_rows=True)
    _again, summary = upload.confirm_upload(token, s.training_session, s.trainer, choices)
    assert (summary.created, summary.skipped) == (1, 1)
    assert "1 row with problems was left out" in summary.sentence()


# --- Limits -----------------------------------------------------------------------------


def _web_upload(client, s, data: bytes, filename: str = "people.xlsx"):
    return client.post(
        f"/training-sessions/{s.training_session.id}/enrolments/upload",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("bomb", "message"),
    [
        (lambda: bombs.declares_a_million_rows(["name", "country"]), "declares more than 2,000"),
        (lambda: bombs.sparse_million_rows(["name", "country"]), "has more than 2,000 rows"),
        (lambda: bombs.wide_row(["name", "country"]), "Row 2 has more than 64 columns"),
        (bombs.unpacks_to, "declares 625 MB, more than the 64 MB allowed"),
        (bombs.many_entries, "more than 256 parts"),
    ],
)
def test_spreadsheet_bombs_are_refused_with_the_limit_named(client, login, bomb, message):
    s = scene()
    db.session.commit()
    login(s.trainer)
    response = _web_upload(client, s, bomb())
    page = response.get_data(as_text=True)
    assert message in page and "Enrol these people" not in page
    assert _count(Participant) == 0


def test_a_csv_with_too_many_rows_is_refused(client, login):
    s = scene()
    db.session.commit()
    login(s.trainer)
    data = ("name,country\n" + "Officer,KE\n" * 2001).encode()
    assert "more than 2,000 rows" in _web_upload(client, s, data, "people.csv").get_data(
        as_text=True
    )


def test_the_kept_file_is_private(client, login, app):
    s = scene()
    db.session.commit()
    login(s.trainer)
    page = _web_upload(client, s, b"name,country\nAmina,KE\n", "people.csv").get_data(as_text=True)
    assert "Enrol these people" in page
    kept = list(pathlib.Path(app.config["UPLOAD_DIR"]).iterdir())
    assert kept and {stat.S_IMODE(path.stat().st_mode) for path in kept} == {0o600}


def _confirm(client, s, token: str, **fields):
    return client.post(
        f"/training-sessions/{s.training_session.id}/enrolments/upload/confirm",
        data={"token": token, **fields},
    )


def _token(page: str) -> str:
    return page.split('name="token" type="hidden" value="')[1].split('"')[0]


def test_the_page_shows_the_encoding_and_columns_and_reads_again_in_the_one_chosen(client, login):
    s = scene()
    db.session.commit()
    login(s.trainer)
    data = "Nom,Pays\nفاطمة الزهراء,EG\n".encode("cp1256")
    page = _web_upload(client, s, data, "people.csv").get_data(as_text=True)
    assert "Read as Windows-1256 (Arabic)." in page and "فاطمة الزهراء" in page
    arrow = '<span class="dir-arrow" aria-hidden="true">→</span>'
    assert f"“Nom”</span> {arrow} <code>name</code>" in page
    page = _confirm(client, s, _token(page), encoding="cp1251", reread="1").get_data(as_text=True)
    assert "Read as Windows-1251 (Cyrillic)." in page and "فاطمة الزهراء" not in page
    assert _count(Participant) == 0


def test_the_page_asks_about_a_conflict_and_applies_the_answer(client, login):
    s = scene()
    known = factories.make_participant("Grace Achieng", country_code="KE", email="g@old.example")
    db.session.commit()
    login(s.trainer)
    page = _web_upload(client, s, CONFLICT.encode(), "people.csv").get_data(as_text=True)
    assert "1 person to check" in page and 'name="person-2" value="same"' in page
    assert "grace.new@example.org" in page and "g@old.example" in page
    token = _token(page)
    page = _confirm(client, s, token).get_data(as_text=True)  # no answer: asked again
    assert "1 person to check" in page and _count(Enrolment) == 0
    response = _confirm(client, s, token, **{"person-2": "same"})
    assert response.status_code == 302
    assert db.session.get(Participant, known.id).email == "grace.new@example.org"


def test_the_page_offers_to_leave_bad_rows_out_unchecked(client, login):
    s = scene()
    db.session.commit()
    login(s.trainer)
    content = "name,country\nGood Person,KE\nBad Country,Atlantis\n"
    page = _web_upload(client, s, content.encode(), "people.csv").get_data(as_text=True)
    assert 'name="skip_bad_rows" value="y">' in page
    assert "Leave out the 1 row with problems" in page
    token = _token(page)
    _confirm(client, s, token)
    assert _count(Participant) == 0
    assert _confirm(client, s, token, skip_bad_rows="y").status_code == 302
    assert _count(Participant) == 1


def test_a_supervisors_name_and_email_are_filled_together_never_mixed():
    s = scene()
    named_only = factories.make_participant("Grace Wanjiru", country_code="KE")
    named_only.email = "grace@example.org"
    named_only.supervisor_name = "Old Chief"  # an earlier supervisor, address never known
    emailed_only = factories.make_participant("Amina Odhiambo", country_code="KE")
    emailed_only.email = "amina@example.org"
    emailed_only.supervisor_email = "kept.chief@example.org"
    db.session.commit()
    rows = (
        "name,email,country,organisation,agency_type,supervisor_name,supervisor_email\n"
        "Grace Wanjiru,grace@example.org,KE,ODPP,prosecution,New Chief,new.chief@example.org\n"
        "Amina Odhiambo,amina@example.org,KE,ODPP,prosecution,Other Chief,other@example.org\n"
    )
    upload.apply_upload(_preview(rows, s), s.training_session, s.trainer)
    assert (named_only.supervisor_name, named_only.supervisor_email) == (
        "New Chief",
        "new.chief@example.org",
    )
    assert (emailed_only.supervisor_name, emailed_only.supervisor_email) == (
        None,
        "kept.chief@example.org",
    )
