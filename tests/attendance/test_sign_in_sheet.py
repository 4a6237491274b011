import io

from pypdf import PdfReader

from app.extensions import db
from tests.attendance.helpers import make_session
from tests.documents.helpers import fetch_document


def _text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_sign_in_sheet_lists_names_in_every_script(client, login, trainer, output_dir):
    login(trainer)
    ts, _ = make_session(10, trainer=trainer, code="CSE-2026-KE-07", language="en")
    db.session.commit()
    response = fetch_document(
        client,
        f"/training-sessions/{ts.id}/attendance/{ts.start_date.isoformat()}/sign-in-sheet.pdf",
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    (output_dir / "attendance-sign-in-sheet.pdf").write_bytes(response.data)
    text, _pages = _text(response.data)
    assert "CSE-2026-KE-07" in text
    assert "Roll Trainer" in text
    assert "Grace Wanjiru" in text and "Somchai Prasert" in text
    # Arabic comes out of the PDF in visual order; compare without spaces and direction.
    flat = "".join(text.split())
    assert "يوسف" in flat or "فسوي" in flat
    assert "สมชาย" in flat
    assert "अनीता" in flat or "शर्मा" in flat
    assert "李明" in flat
    assert "Signature" in text


def test_long_lists_repeat_the_header_and_number_pages(client, login, trainer):
    login(trainer)
    ts, _ = make_session(60, trainer=trainer)
    db.session.commit()
    response = fetch_document(
        client, f"/training-sessions/{ts.id}/attendance/{ts.days[1].isoformat()}/sign-in-sheet.pdf"
    )
    text, pages = _text(response.data)
    assert pages >= 3
    assert text.count("Signature") == pages
    assert f"Page 1 / {pages}" in text
