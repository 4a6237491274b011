"""The sign-in sheet speaks the session's language of delivery, Arabic right to left."""

import pytest

from app.extensions import db
from tests.attendance.helpers import make_session
from tests.documents.helpers import fetch_document
from tests.pdfs import contains, pdf_text, save_pngs

HEADINGS = {
    "en": ("Sign-in sheet", "Signature", "Day 1 of 3"),
    "fr": ("Feuille de présence", "Signature", "Jour 1 sur 3"),
    "es": ("Hoja de asistencia", "Firma", "Día 1 de 3"),
    "ar": ("ورقة التوقيع بالحضور", "التوقيع", "اليوم 1 من 3"),
}


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_sign_in_sheet_is_in_the_sessions_language(client, login, trainer, output_dir, language):
    login(trainer)  # the trainer reads English; the people who sign read the session's language
    ts, _ = make_session(
        4, trainer=trainer, code=f"CSE-2026-{language.upper()}-01", language=language
    )
    db.session.commit()
    response = fetch_document(
        client,
        f"/training-sessions/{ts.id}/attendance/{ts.start_date.isoformat()}/sign-in-sheet.pdf",
    )
    assert response.status_code == 200
    save_pngs(response.data, output_dir, f"sign-in-sheet-{language}")
    text = pdf_text(response.data)
    for words in HEADINGS[language]:
        assert contains(text, words), words
    if language != "en":
        assert "Sign-in sheet" not in text
    assert f"CSE-2026-{language.upper()}-01" in text
