"""The PDF module fetches nothing but the app's own static files."""

import io
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from pypdf import PdfReader

from app.shared import pdf


@pytest.fixture
def http_server():
    """A loopback HTTP server that records every request it receives."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.end_headers()
            self.wfile.write(b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "file://evil.example/etc/passwd",
        "ftp://127.0.0.1/x",
        "https://example.org/logo.png",
    ],
)
def test_fetcher_refuses_anything_outside_static(app, url):
    with pytest.raises(ValueError, match="static files|disallowed"):
        pdf.StaticOnlyFetcher(pdf._static_root()).fetch(url)


def test_fetcher_refuses_escapes_from_static(app):
    root = pdf._static_root()
    for path in ("../app/config.py", "img/../../app/config.py", "../../../../etc/passwd"):
        with pytest.raises(pdf.ForbiddenFetchError):
            pdf.StaticOnlyFetcher(pdf._static_root()).fetch(
                (root / path).as_uri().replace("%2E", ".")
            )
        with pytest.raises(pdf.ForbiddenFetchError):
            pdf.StaticOnlyFetcher(pdf._static_root()).fetch(f"{root.as_uri()}/{path}")


def test_fetcher_serves_static_files_and_data_urls(app):
    response = pdf.StaticOnlyFetcher(pdf._static_root()).fetch(
        (pdf._static_root() / "css/certificate.css").as_uri()
    )
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    data = pdf.StaticOnlyFetcher(pdf._static_root()).fetch("data:text/plain,hello")
    assert data.read() == b"hello"


def test_template_cannot_make_the_server_fetch(app, http_server, caplog):
    base, hits = http_server
    html = f"""<!doctype html><html><head>
      <link rel="stylesheet" href="{base}/style.css">
      <link rel="stylesheet" href="../app/config.py">
      <style>@import url("{base}/imported.css");
        body {{ background: url("{base}/bg.png"); }}</style>
      </head><body>
      <p>Visible text</p>
      <img src="{base}/logo.svg">
      <img src="file:///etc/passwd">
      <iframe src="file:///etc/passwd"></iframe>
      <object data="file:///etc/hostname"></object>
      <img src="../../../../etc/passwd">
      <img src="img/../../app/config.py">
      <img src="img/partners/northbridge-police-academy.svg">
    </body></html>"""
    data = pdf.html_to_pdf(html)
    assert hits == []
    text = _text(data)
    assert "Visible text" in text
    assert "root:" not in text and "SECRET" not in text
    with open("/etc/passwd", "rb") as handle:
        assert handle.read(40) not in data


def test_user_data_in_a_certificate_cannot_fetch(app, http_server):
    from app.certificates import services
    from tests.certificates.helpers import completed_session

    base, hits = http_server
    scene = completed_session(
        names=(f'<img src="{base}/name.png"> Kwame',),
        certificate_settings={
            "logos": [f"{base}/logo.svg", "file:///etc/passwd"],
            "signatories": [{"name": "X", "signature": f"{base}/sig.svg"}],
        },
    )
    scene.partner.logo = f"{base}/partner.svg"
    certificate = services.issue(scene.enrolments[0], scene.trainer)
    assert hits == []
    assert certificate.content["logos"] == []
    assert f'<img src="{base}/name.png"> Kwame' in _text(certificate.pdf)


def test_many_documents_render_in_parallel_without_fetching(app, http_server):
    base, hits = http_server
    htmls = [f'<p>Document {n}</p><img src="{base}/{n}.png">' for n in range(3)]
    documents = pdf.html_to_pdf_many(htmls, workers=2)
    assert [f"Document {n}" in _text(data) for n, data in enumerate(documents)] == [True] * 3
    assert hits == []


def test_many_documents_from_a_threaded_process_use_a_clean_forkserver(app):
    # A web server has other threads; forking then could copy a held lock into the child.
    release = threading.Event()
    waiter = threading.Thread(target=release.wait, daemon=True)
    waiter.start()
    try:
        documents = pdf.html_to_pdf_many([f"<p>Threaded {n}</p>" for n in range(3)], workers=2)
    finally:
        release.set()
        waiter.join(timeout=5)
    assert [f"Threaded {n}" in _text(data) for n, data in enumerate(documents)] == [True] * 3
