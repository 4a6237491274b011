"""Pages show a course in the session's language of delivery, or else in the reader's."""

import re

import pytest
from markupsafe import escape

from app.curriculum.sync import sync_courses
from app.extensions import db
from app.scheduling.services import AgendaRow, set_agenda
from tests import factories
from tests.curriculum.helpers import COURSES_DIR, get_course

CFCAC_FR = escape(
    "Enquêter sur les infractions commises contre les enfants au moyen de l'informatique"
)
CFCAC_AR = "التحقيق في الجرائم المرتكبة ضد الأطفال بواسطة الحاسوب"
CFCAC_EN = "Investigating Computer-Facilitated Crimes Against Children"


@pytest.fixture
def catalogue(app):
    sync_courses(COURSES_DIR)
    db.session.commit()


def test_a_french_reader_sees_the_catalogue_in_french(client, as_role, catalogue):
    as_role("participant")
    client.set_cookie("language", "fr")
    page = client.get("/courses").get_data(as_text=True)
    assert CFCAC_FR in page
    assert "Un cours de cinq jours destiné aux enquêteurs de police" in page
    assert CFCAC_EN not in page


def test_an_arabic_course_page_reads_right_to_left(client, as_role, catalogue):
    as_role("participant")
    client.set_cookie("language", "ar")
    page = client.get("/courses/cfcac").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    assert f"<h1>{CFCAC_AR}</h1>" in page
    assert "ضبط الأدلة الرقمية ومعالجتها بالأساليب الجنائية" in page  # a module title
    assert "توثيق سلسلة حيازة الأدلة من الضبط إلى المختبر ثم إلى المحكمة." in page  # objective


def test_an_english_reader_still_reads_the_course_as_written(client, as_role, catalogue):
    as_role("participant")
    page = client.get("/courses/cfcac").get_data(as_text=True)
    assert f"<h1>{CFCAC_EN}</h1>" in page
    assert "Document the chain of custody from seizure to laboratory and to court." in page


def test_a_session_in_french_shows_the_french_course_on_its_page(client, login, catalogue):
    trainer = factories.make_user(roles=("trainer",))
    session = factories.make_training_session(
        course=get_course("cfcac"), language="fr", trainers=[trainer]
    )
    db.session.commit()
    login(trainer)  # the reader speaks English; the session is delivered in French
    page = client.get(f"/training-sessions/{session.id}").get_data(as_text=True)
    assert f"<h1>{CFCAC_FR}</h1>" in page
    assert f'href="/courses/cfcac">{CFCAC_FR}</a>' in page
    assert CFCAC_EN not in page


def test_a_session_in_english_keeps_the_english_title_for_a_french_reader(client, login, catalogue):
    trainer = factories.make_user(roles=("trainer",))
    session = factories.make_training_session(course=get_course("cfcac"), trainers=[trainer])
    db.session.commit()
    login(trainer)
    client.set_cookie("language", "fr")
    page = client.get(f"/training-sessions/{session.id}").get_data(as_text=True)
    assert f"<h1>{CFCAC_EN}</h1>" in page


DIGITAL_EVIDENCE_FR = "Saisie et traitement criminalistique des preuves numériques"
DIGITAL_EVIDENCE_EN = "Seizure and forensic handling of digital evidence"


@pytest.fixture
def french_session_with_agenda(catalogue):
    """Return a CFCAC session delivered in French, its trainer, and digital evidence on day 1."""
    trainer = factories.make_user(roles=("trainer",))
    session = factories.make_training_session(
        course=get_course("cfcac"), language="fr", trainers=[trainer]
    )
    module = next(m for m in session.course_version.modules if m.slug == "digital-evidence")
    set_agenda(session, [AgendaRow(session.start_date, module.id)])
    db.session.commit()
    return session, trainer, module


def test_an_agenda_item_of_a_session_in_french_shows_the_french_module_title(
    client, login, french_session_with_agenda
):
    session, trainer, _module = french_session_with_agenda
    login(trainer)  # the reader speaks English; the session is delivered in French
    page = client.get(f"/training-sessions/{session.id}").get_data(as_text=True)
    assert f'<span class="agenda-title">{DIGITAL_EVIDENCE_FR}</span>' in page
    assert DIGITAL_EVIDENCE_EN not in page


def test_the_agenda_editor_offers_the_modules_in_the_session_language(
    client, login, french_session_with_agenda
):
    session, trainer, module = french_session_with_agenda
    login(trainer)
    page = client.get(f"/training-sessions/{session.id}/agenda").get_data(as_text=True)
    assert re.search(
        rf'<option selected value="{module.id}">{re.escape(DIGITAL_EVIDENCE_FR)} \(6 h\)</option>',
        page,
    ), page
    assert DIGITAL_EVIDENCE_EN not in page


def test_an_arabic_course_page_says_hours_in_arabic_and_mirrors_its_back_arrow(
    client, as_role, catalogue
):
    as_role("participant")
    client.set_cookie("language", "ar")
    page = client.get("/courses/cfcac").get_data(as_text=True)
    assert '<span class="module-hours">6 س</span>' in page  # digital evidence, 6 hours
    assert " h<" not in page and " h " not in page
    assert '<span class="dir-arrow" aria-hidden="true">←</span>' in page
    stylesheet = (COURSES_DIR.parent / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert '[dir="rtl"] .dir-arrow { transform: scaleX(-1); }' in stylesheet
