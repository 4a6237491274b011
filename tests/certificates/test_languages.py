"""Certificates and transcripts read in the session's or the reader's language."""

from datetime import date

import pytest
from flask_babel import force_locale

from app.certificates import services
from tests import factories
from tests.certificates.helpers import completed_session
from tests.pdfs import contains, pdf_text, save_pngs

TITLES = {
    "en": "Certificate of Completion",
    "fr": "Certificat de fin de formation",
    "es": "Certificado de finalización",
    "ar": "شهادة إتمام",
}
# The session ends on 6 March 2026, in each language's words.
END_DATES = {"en": "6 March 2026", "fr": "6 mars 2026", "es": "6 de marzo de 2026", "ar": "مارس"}
# Names in scripts whose fonts must be installed: no empty boxes in place of a name.
NAMES = ("أمينة يوسف", "สมชาย ประเสริฐ", "አበበ ቢቂላ", "Zoë Øster-Łukasiewicz")


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_certificate_speaks_the_sessions_language(app, output_dir, language):
    scene = completed_session(names=("أمينة يوسف",), language=language, code=f"CF-{language}")
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    save_pngs(certificate.pdf, output_dir, f"certificate-{language}")
    text = pdf_text(certificate.pdf)
    assert contains(text, TITLES[language])
    assert contains(text, END_DATES[language])
    if language != "en":
        assert TITLES["en"] not in text
    html = services.certificate_html(certificate.content, "N", "code", date(2026, 3, 9), None)
    assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in html.split(">", 2)[1]


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_bilingual_layout_adds_english_beside_the_sessions_language(app, output_dir, language):
    scene = completed_session(
        names=NAMES, language=language, certificate_settings={"layout": "bilingual"}
    )
    issued = services.issue_for_session(scene.training_session, scene.trainer, notify=False)
    for index, certificate in enumerate(issued):
        save_pngs(certificate.pdf, output_dir, f"certificate-bilingual-{language}-{index}")
        text = pdf_text(certificate.pdf)
        assert contains(text, TITLES[language]) and TITLES["en"] in text
        assert contains(text, END_DATES[language]) and "6 March 2026" in text
        assert contains(text, certificate.content["name"])
    html = services.certificate_html(issued[0].content, "N", "code", date(2026, 3, 9), None)
    halves = [
        chunk.split(">", 1)[0] for chunk in html.split('<td class="half"')[1:3]
    ]  # each half declares its own language and direction
    expected = (
        ['lang="en" dir="ltr"', 'lang="ar" dir="rtl"']
        if language == "ar"
        else ['lang="fr" dir="ltr"', 'lang="en" dir="ltr"']
    )
    assert [half.strip() for half in halves] == expected


def test_bilingual_layout_of_an_english_session_is_english_alone(app):
    scene = completed_session(
        names=("Kwame Mensah",), language="en", certificate_settings={"layout": "bilingual"}
    )
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    assert pdf_text(certificate.pdf).count(TITLES["en"]) == 1
    html = services.certificate_html(certificate.content, "N", "code", date(2026, 3, 9), None)
    assert 'class="half"' not in html


TRANSCRIPT = {
    "en": ("Training transcript", "Hours"),
    "fr": ("Relevé de formation", "Heures"),
    "es": ("Expediente de formación", "Horas"),
    "ar": ("السجل التدريبي", "الساعات"),
}


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_transcript_speaks_the_readers_language(app, output_dir, language):
    scene = completed_session(names=("أمينة يوسف",))
    services.issue(scene.enrolments[0], scene.trainer)
    other = factories.make_training_session(
        course=factories.make_course(title="Hotline Cooperation", modules=[("m", 7.5, ["all"])]),
        start=date(2025, 6, 2),
        status="completed",
        code="HOT-2025-UG-01",
    )
    factories.make_enrolment(other, scene.enrolments[0].participant, completed=True)
    with force_locale(language):
        data = services.transcript_pdf(scene.enrolments[0].participant)
    save_pngs(data, output_dir, f"transcript-{language}")
    text = pdf_text(data)
    heading, hours = TRANSCRIPT[language]
    assert contains(text, heading) and contains(text, hours)
    assert contains(text, {"en": "March", "fr": "mars", "es": "marzo", "ar": "مارس"}[language])
    if language != "en":
        assert "Training transcript" not in text
    assert ("16,5" if language in ("fr", "es") else "16.5") in text  # 9 + 7.5 hours


def test_the_course_reads_in_the_sessions_language_beside_its_english_title(app, output_dir):
    scene = completed_session(
        names=("Fatou Diop",), language="fr", certificate_settings={"layout": "bilingual"}
    )
    french = "Enquêter sur l’exploitation sexuelle des enfants en ligne"
    scene.course.translations = {"fr": {"title": french}}
    module = scene.training_session.course_version.modules[0]
    module.translations = {"fr": {"title": "Cadres juridiques"}}
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    save_pngs(certificate.pdf, output_dir, "certificate-bilingual-fr-translated-course")
    text = pdf_text(certificate.pdf)
    assert contains(text, french) and "Investigating Online Child Sexual Exploitation" in text
    assert "Cadres juridiques" in text
    with force_locale("fr"):
        transcript = pdf_text(services.transcript_pdf(scene.enrolments[0].participant))
    assert contains(transcript, french)
