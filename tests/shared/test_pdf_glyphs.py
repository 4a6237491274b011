"""A certificate is frozen only when every character of it can be drawn by an installed font."""

import io
import unicodedata

import pytest
from pypdf import PdfReader

from app.certificates import services
from app.certificates.models import Certificate
from app.extensions import db
from app.shared import pdf
from tests.certificates.helpers import completed_session

# One name per script the demo uses (the certificates tests cover eight of them in depth).
NAMES = {
    "Latin with diacritics": "Zoë Øster-Łukasiewicz Nguyễn",
    "Arabic": "فاطمة الزهراء بن علي",
    "Cyrillic": "Александра Кузнецова",
    "Greek": "Γεώργιος Παπαδόπουλος",
    "Hebrew": "נועה כהן",
    "Devanagari": "प्रिया देसाई",
    "Bengali": "রবীন্দ্রনাথ ঠাকুর",
    "Thai": "สมชาย ใจดี",
    "Lao": "ສົມພອນ ວົງສະຫວັນ",
    "Khmer": "សុខ ចាន់ថា",
    "Myanmar": "အောင်ဆန်း",
    "Ethiopic": "አበበ ቢቂላ",
    "Chinese": "王小明",
    "Japanese": "山田 さくら",
    "Korean": "김민준",
}
NO_FONT_HAS = "\ue000"  # private use: no font Debian ships draws it
UNASSIGNED = "\u0378"  # not a character at all


def test_every_script_the_demo_uses_has_a_font():
    coverage = pdf.font_coverage()
    assert set(NAMES) == set(pdf.SCRIPT_SAMPLES)
    for script, name in NAMES.items():
        assert coverage.missing(name) == [], script


def test_spaces_joiners_and_direction_marks_need_no_glyph():
    assert pdf.font_coverage().missing("Ana\u00a0Maria \u200dक्\u200c \u200f") == []


def test_the_error_names_the_text_and_each_missing_character():
    html = (
        "<html><head><style>p::before{content:'\ue000'}</style></head><body>"
        f"<p>Ana {NO_FONT_HAS} Silva</p><p>Course for everyone</p><p>Ville{UNASSIGNED}</p>"
        "</body></html>"
    )
    with pytest.raises(pdf.UnprintableTextError) as caught:
        pdf.html_to_pdf(html)
    message = str(caught.value)
    assert f"“Ana {NO_FONT_HAS} Silva” cannot be printed" in message
    assert "U+E000" in message and "U+0378" in message
    assert "Course for everyone" not in message


def test_ranges_are_merged_and_looked_up_at_both_ends():
    coverage = pdf.FontCoverage([(0x41, 0x5A), (0x30, 0x39), (0x5B, 0x60), (0x100, 0x100)])
    assert [char in coverage for char in "09AZ[`a\u0100\u0101"] == [
        True, True, True, True, True, True, False, True, False,
    ]  # fmt: skip


def test_a_name_no_font_can_draw_freezes_nothing_and_the_trainer_sees_why(app, client, login):
    scene = completed_session(names=(f"Ana {NO_FONT_HAS} Silva", "Kwame Mensah"))
    db.session.commit()
    login(scene.trainer)
    ana = scene.enrolments[0]

    def ana_certificates() -> int:
        return db.session.query(Certificate).filter_by(enrolment_id=ana.id).count()

    page = client.post(
        f"/training-sessions/{scene.training_session.id}/certificates/issue",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert f"“Ana {NO_FONT_HAS} Silva” cannot be printed" in page
    assert "U+E000" in page
    assert ana_certificates() == 0

    one = client.post(f"/enrolments/{ana.id}/certificate/issue", follow_redirects=True).get_data(
        as_text=True
    )
    assert "cannot be printed" in one and "U+E000" in one
    assert ana_certificates() == 0


@pytest.mark.parametrize("script", ["Greek", "Hebrew", "Bengali", "Lao", "Khmer", "Myanmar",
                                    "Ethiopic"])  # fmt: skip
def test_names_in_the_other_scripts_are_issued_as_text(app, script):
    name = NAMES[script]
    scene = completed_session(names=(name,), code=f"CFCAC-2026-KE-{len(script):02d}")
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    text = PdfReader(io.BytesIO(certificate.pdf)).pages[0].extract_text()

    # Text extraction may split a cluster where a vowel sign is placed apart ("ঠাকু র").
    def letters(value: str) -> str:
        return unicodedata.normalize("NFC", "".join(value.split()))

    assert letters(name) in letters(text)
