"""People without an email are matched across the ways one name gets written."""

import importlib.util
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, update

from app.enrolment.models import Enrolment, Participant
from app.enrolment.names import fold_name, normalise_name
from app.enrolment.queries import search_participants
from app.enrolment.services import find_duplicates
from app.extensions import db
from app.history.services import import_history
from app.scheduling.models import TrainingSession
from tests import factories
from tests.history.helpers import course, csv_bytes, row

SAME_PERSON = [
    ("Łukasz Wałęsa", "Lukasz Walesa"),
    ("ŁUKASZ WAŁĘSA", "lukasz walesa"),
    ("Søren Østergaard", "Soren Ostergaard"),
    ("Đorđe Petrović", "Dorde Petrovic"),
    ("Ayşe Yıldız", "Ayse Yildiz"),
    ("Æsa Þórsdóttir", "Aesa Thorsdottir"),
    ("Ħanna Weiß", "Hanna Weiss"),
    ("O'Brien Seán", "OBrien Sean"),
    ("O’Brien Seán", "O'Brien Sean"),
    ("Ann\u200bMarie Kay", "AnnMarie Kay"),
    ("Ana\u00a0María López", "Ana María López"),
    ("Ｊｏｈｎ Ｍｗａｎｇｉ", "John Mwangi"),
    ("Jean-Pierre Kaboré", "Jean Pierre Kabore"),
    ("مُحَمَّد عَلِي", "محمد علي"),  # with and without tashkeel
    ("محـــمد علي", "محمد علي"),  # tatweel
    ("أحمد إبراهيم", "احمد ابراهيم"),  # hamza on alef
    ("آمنة", "امنه"),  # madda on alef, teh marbuta at the end
    ("ٱلحسن", "الحسن"),  # alef wasla
    ("مصطفى", "مصطفي"),  # alef maksura
    ("שָׁלוֹם כֹּהֵן", "שלום כהן"),  # Hebrew with and without points
    ("علی", "علي"),  # Farsi yeh (a Persian or Urdu keyboard)
    ("کریم", "كريم"),  # keheh and Farsi yeh
    ("Al Mansouri", "Al-Mansouri"),  # a hyphen is a space
]


@pytest.mark.parametrize(("written", "other"), SAME_PERSON, ids=[pair[0] for pair in SAME_PERSON])
def test_spellings_of_one_name_share_a_key(written, other):
    assert normalise_name(written) == normalise_name(other)


def test_keys_are_exact_and_keep_each_script():
    assert normalise_name("Wałęsa, Łukasz") == "lukasz walesa"
    assert normalise_name("Søren Østergaard") == "ostergaard soren"
    assert normalise_name("Straße") == "strasse"
    # Arabic, Thai and Cyrillic are folded within their script, never written in Latin letters.
    assert normalise_name("مُحَمَّد") == "محمد"
    assert normalise_name("فاطمة") == "فاطمه"
    assert normalise_name("สมชาย ใจดี") == "สมชาย ใจดี"  # Thai vowel signs are letters
    assert normalise_name("Ольга ПЕТРОВА") == "ольга петрова"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Lukasz Walesa", "Lukas Walesa"),
        ("محمد", "محمود"),
        ("สมชาย", "สมชัย"),
        ("Ana Lopez", "Ana Lopes"),
    ],
)
def test_different_names_stay_apart(one, other):
    assert normalise_name(one) != normalise_name(other)


def test_the_stored_name_stays_as_typed(app):
    person = factories.make_participant("Łukasz Wałęsa", "PL")
    assert person.full_name == "Łukasz Wałęsa"
    assert person.name_key == "lukasz walesa"


def test_merge_suggestions_join_the_folded_names(app):
    first = factories.make_participant("Søren Østergaard", "DK")
    factories.make_participant("Soren Ostergaard", "SE")  # another country: another person
    second = factories.make_participant("Soren Ostergaard", "DK")
    found = find_duplicates(first.full_name, "DK", None, exclude_id=first.id)
    assert [(d.participant.id, d.reason) for d in found] == [(second.id, "name")]


def test_history_import_counts_each_person_once(app):
    course()
    people = [
        ("Łukasz Wałęsa", "Lukasz Walesa", "PL"),
        ("Søren Østergaard", "Soren Ostergaard", "DK"),
        ("Đorđe Petrović", "Dorde Petrovic", "RS"),
        ("Ayşe Yıldız", "Ayse Yildiz", "TR"),
        ("مُحَمَّد أحمد", "محمد احمد", "JO"),
    ]
    rows = []
    for typed, plain, country in people:
        rows.append(row(name=typed, email="", country=country))
        rows.append(
            row(
                name=plain,
                email="",
                country=country,
                session_code="CYB-2020-KE-02",
                start_date="2020-02-03",
                end_date="2020-02-05",
            )
        )
    report = import_history("past.csv", csv_bytes(rows), write=True)
    assert report.ok, report.errors
    assert (report.people_created, report.enrolments_created) == (5, 10)
    names = set(db.session.scalars(select(Participant.full_name)))
    assert names == {typed for typed, _plain, _country in people}  # the first spelling, as typed


def test_session_codes_match_whatever_their_case(app):
    course()
    rows = [
        row(session_code="mx-2021-01", email="a@example.org"),
        row(session_code="MX-2021-01", email="b@example.org"),
    ]
    report = import_history("past.csv", csv_bytes(rows), write=True)
    assert report.ok, report.errors
    assert report.sessions_created == 1
    assert list(db.session.scalars(select(TrainingSession.code))) == ["MX-2021-01"]
    # Imported again in the other case, the session is matched, not created twice.
    again = import_history(
        "again.csv", csv_bytes([row(session_code="Mx-2021-01", email="c@example.org")]), write=True
    )
    assert (again.sessions_created, again.sessions_matched) == (0, 1)
    assert db.session.scalar(select(db.func.count(Enrolment.id))) == 3


def _migration(revision: str = "7a3d9c1e5b20"):
    path = next(Path("migrations/versions").glob(f"*_{revision}_*.py"))
    spec = importlib.util.spec_from_file_location("refold_name_keys", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_recomputes_keys_written_before(app):
    person = factories.make_participant("Đorđe Petrović", "RS")
    db.session.execute(
        update(Participant).where(Participant.id == person.id).values(name_key="đorđe petrovic")
    )
    db.session.commit()
    with (
        db.engine.begin() as connection,
        Operations.context(MigrationContext.configure(connection)),
    ):
        _migration().upgrade()
    db.session.expire_all()
    assert db.session.get(Participant, person.id).name_key == "dorde petrovic"
    assert db.session.get(Participant, person.id).full_name == "Đorđe Petrović"


def test_fold_name_folds_like_the_duplicate_key_but_keeps_the_word_order():
    from app.enrolment.names import fold_name

    assert fold_name("Pérez, José") == "perez jose"
    assert fold_name("أمينة يوسف") == "امينه يوسف"
    assert normalise_name("Pérez, José") == "jose perez"


def test_the_persian_letters_migration_refolds_keys_written_before(app):
    person = factories.make_participant("علی کریمی", "AF")
    db.session.execute(
        update(Participant).where(Participant.id == person.id).values(name_key="علی کریمی")
    )
    db.session.commit()
    with (
        db.engine.begin() as connection,
        Operations.context(MigrationContext.configure(connection)),
    ):
        _migration("c9e4b7a2d6f1").upgrade()
    db.session.expire_all()
    assert db.session.get(Participant, person.id).name_key == normalise_name("علي كريمي")
    assert db.session.get(Participant, person.id).full_name == "علی کریمی"


# Letters and marks a writer may put in or leave out of one Arabic name (harakat, tatweel).
_ARABIC_OPTIONAL = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640"
# Each letter with the variants written for it in names.
_ARABIC_VARIANTS = {
    "\u0627": "\u0623\u0625\u0622\u0671",  # ا: أ إ آ ٱ
    "\u0647": "\u0629",  # ه: ة
    "\u064a": "\u0649\u06cc",  # ي: ى ی
    "\u0643": "\u06a9",  # ك: ک
}
_arabic_letters = st.sampled_from([chr(c) for c in range(0x0621, 0x064B) if c != 0x0640])
_arabic_names = st.lists(
    st.lists(_arabic_letters, min_size=1, max_size=8).map("".join), min_size=1, max_size=4
).map(" ".join)


@st.composite
def _written_otherwise(draw, name: str) -> str:
    """Write the name as another person might: variants, marks, tatweel, hyphens for spaces."""
    out = []
    for char in name:
        if char == " ":
            out.append(draw(st.sampled_from([" ", "-", " - ", "\u00a0"])))
            continue
        out.append(draw(st.sampled_from(char + _ARABIC_VARIANTS.get(char, ""))))
        out.append(draw(st.text(alphabet=_ARABIC_OPTIONAL, max_size=2)))
    return "".join(out)


@given(st.text())
def test_folding_twice_changes_nothing(text):
    assert fold_name(fold_name(text)) == fold_name(text)
    assert normalise_name(normalise_name(text)) == normalise_name(text)


@given(st.data(), _arabic_names)
def test_an_arabic_name_and_its_variant_spelling_fold_equal(data, name):
    variant = data.draw(_written_otherwise(name))
    assert fold_name(variant) == fold_name(name)
    assert normalise_name(variant) == normalise_name(name)


@pytest.mark.parametrize(
    ("stored", "typed"),
    [("أحمد المنصوري", "احمد"), ("Khalid Al-Mansouri", "Al Mansouri"), ("علی رضایی", "علي")],
)
def test_the_directory_search_finds_other_spellings(app, stored, typed):
    person = factories.make_participant(stored, "AE")
    db.session.commit()
    admin = factories.make_user(roles=("admin",))
    assert person in search_participants(admin, typed)


def test_the_directory_search_finds_a_latin_name_written_with_a_hyphen(app):
    person = factories.make_participant("خالد المنصوري", "AE", latin_name="Khalid Al-Mansouri")
    db.session.commit()
    admin = factories.make_user(roles=("admin",))
    assert person in search_participants(admin, "Al Mansouri")
    assert person in search_participants(admin, "mansouri KHALID")
