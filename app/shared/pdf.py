"""The one place every PDF is rendered: WeasyPrint with a fetcher limited to static/."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from weasyprint import HTML, default_url_fetcher
from weasyprint.text.fonts import FontConfiguration


class ForbiddenFetchError(ValueError):
    """Raised for any URL outside the app's static folder."""


def static_only_fetcher(url: str, timeout: int = 10, ssl_context=None):
    """Serve data: URLs and files under static/; refuse everything else (no network, no /etc)."""
    if url.startswith("data:"):
        return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)
    parts = urlsplit(url)
    static_root = _static_root()
    target = Path(unquote(parts.path)).resolve()
    if parts.scheme != "file" or parts.netloc or not target.is_relative_to(static_root):
        raise ForbiddenFetchError(f"PDFs may only load the app's static files, not {url!r}")
    if not target.is_file():
        raise ForbiddenFetchError(f"No such static file: {url!r}")
    return {"string": target.read_bytes(), "filename": target.name, "redirected_url": url}


def _static_root() -> Path:
    return Path(current_app.static_folder).resolve()


_font_config: FontConfiguration | None = None


def font_configuration() -> FontConfiguration:
    """Reuse one FontConfiguration per process; building it scans every system font."""
    global _font_config  # noqa: PLW0603 - a per-process cache, not shared state
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def html_to_pdf(html: str) -> bytes:
    """Render an HTML string to PDF bytes; relative URLs resolve inside static/."""
    document = HTML(
        string=html, base_url=_static_root().as_uri() + "/", url_fetcher=static_only_fetcher
    )
    return document.write_pdf(font_config=font_configuration(), optimize_images=True)


def render_pdf(template: str, **context) -> bytes:
    """Render a Jinja template from templates/ into a PDF."""
    return html_to_pdf(render_template(template, **context))
