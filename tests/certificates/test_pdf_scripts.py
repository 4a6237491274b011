"""Names in every script come out of the PDF as real text, and the page stays small."""

import io
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from app.certificates import services
from app.shared.urls import external_url
from tests.certificates.helpers import completed_session

NAMES = {
    "latin": ("Zoë Øster-Łukasiewicz Nguyễn", "en"),
    "arabic": ("فاطمة الزهراء بن علي", "ar"),
    "cyrillic": ("Александра Кузнецова", "fr"),
    "chinese": ("王小明", "es"),
    "japanese": ("山田 さくら", "en"),
    "korean": ("김민준", "en"),
    "devanagari": ("प्रिया देसाई", "en"),
    "thai": ("สมชาย ใจดี", "en"),
}
SIZE_LIMIT = 150 * 1024


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1, "a certificate is one page"
    return unicodedata.normalize("NFKC", reader.pages[0].extract_text())


@pytest.mark.parametrize("script", list(NAMES))
def test_name_in_each_script_is_real_text(app, script, output_dir):
    name, language = NAMES[script]
    scene = completed_session(
        names=(name,),
        language=language,
        validity_months=36,
        code=f"CFCAC-2026-KE-{list(NAMES).index(script) + 1:02d}",
    )
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    text = _text(certificate.pdf)
    assert name in text
    assert external_url("certificates.verify_code", code=certificate.verification_code) in text
    assert certificate.number in text
    assert len(certificate.pdf) < SIZE_LIMIT
    (output_dir / f"certificate-{script}.pdf").write_bytes(certificate.pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-singlefile",
                str(output_dir / f"certificate-{script}.pdf"),
                str(output_dir / f"certificate-{script}"),
            ],
            check=True,
        )


def test_wording_follows_session_language(app):
    expected = {
        "en": "Certificate of Completion",
        "fr": "Certificat de fin de formation",
        "es": "Certificado de finalización",
        "ar": "شهادة إتمام",
    }
    for n, (language, title) in enumerate(expected.items(), start=1):
        scene = completed_session(
            names=("Kwame Mensah",), language=language, code=f"CFCAC-2026-KE-{n:02d}"
        )
        certificate = services.issue(scene.enrolments[0], scene.trainer)
        assert title in _text(certificate.pdf)
    arabic_html = services.certificate_html(
        certificate.content,
        certificate.number,
        certificate.verification_code,
        certificate.issued_at.date(),
        None,
    )
    assert 'dir="rtl"' in arabic_html and 'lang="ar"' in arabic_html


def test_all_scripts_on_one_certificate_stay_small(app):
    scene = completed_session(names=("王小明 山田さくら 김민준",))
    participant = scene.enrolments[0].participant
    participant.latin_name = "Zoë · فاطمة · Александра · प्रिया · สมชาย"
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    text = _text(certificate.pdf)
    assert "王小明 山田さくら 김민준" in text
    assert "Александра" in text and "สมชาย" in text
    assert len(certificate.pdf) < SIZE_LIMIT


def test_fonts_are_embedded_as_subsets(app):
    scene = completed_session(names=("김민준",))
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    reader = PdfReader(io.BytesIO(certificate.pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [str(font.get_object()["/BaseFont"]) for font in fonts.values()]
    assert names and all(name[7] == "+" for name in names), names  # ABCDEF+Family = subset
    assert any("CJK" in name for name in names)


def test_name_language_guess_picks_cjk_faces(app):
    from app.certificates.wording import guess_name_language, name_direction

    assert guess_name_language("王小明") == "zh"
    assert guess_name_language("山田 さくら") == "ja"
    assert guess_name_language("김민준") == "ko"
    assert guess_name_language("प्रिया") == "hi"
    assert guess_name_language("สมชาย") == "th"
    assert guess_name_language("Zoë") is None
    assert name_direction("فاطمة") == "rtl" and name_direction("Zoë") == "ltr"
