"""Downloads keep their holder's name in any script and stay out of shared caches."""

from urllib.parse import unquote

from app.shared.downloads import content_disposition, private_file


def test_a_name_in_arabic_survives_and_old_clients_get_a_transliteration(app):
    header = content_disposition("CFCAC-2025-KE-01-0003 محمد عبد الله.pdf")
    plain, utf8 = header.split("; filename*=UTF-8''")
    assert plain.startswith('attachment; filename="CFCAC-2025-KE-01-0003 ')
    assert plain.isascii()
    assert unquote(utf8) == "CFCAC-2025-KE-01-0003 محمد عبد الله.pdf"


def test_an_ascii_name_is_sent_once_and_quotes_cannot_break_the_header(app):
    assert content_disposition("KE-01.zip", inline=True) == 'inline; filename="KE-01.zip"'
    assert content_disposition('a"b.pdf').startswith('attachment; filename="ab.pdf"')


def test_a_private_file_is_never_kept_by_a_shared_cache(app):
    response = private_file(b"%PDF", "application/pdf", "x.pdf")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.mimetype == "application/pdf"
