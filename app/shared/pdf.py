"""The one place every PDF is rendered: WeasyPrint with a fetcher limited to static/.

Nothing in a template or in user data can make the server fetch a URL: the fetcher answers
data: URLs and files inside the static folder, and refuses everything else (http, other files,
../ escapes). Batches can be rendered on every core from ready-made HTML strings.
"""

from __future__ import annotations

import atexit
import io
import mimetypes
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
from flask import current_app, render_template
from fontTools import subset as font_subset
from fontTools.ttLib import TTFont, TTLibError
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse


class ForbiddenFetchError(ValueError):
    """Raised for any URL outside the app's static folder."""


class StaticOnlyFetcher(URLFetcher):
    """Serve data: URLs and files under one static folder; refuse everything else."""

    def __init__(self, static_root: Path, **kwargs) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, **kwargs)
        self.static_root = Path(static_root).resolve()

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """Return the static file or data URL behind url, or raise ForbiddenFetchError."""
        if url.startswith("data:"):
            return super().fetch(url, headers)
        target = static_path(url, self.static_root)
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, target.read_bytes(), headers={"Content-Type": content_type}, status=200
        )


def static_path(url: str, static_root: Path) -> Path:
    """Map a file: URL to a file inside static_root, or raise ForbiddenFetchError."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ForbiddenFetchError(f"PDFs may only load the app's static files, not {url!r}")
    target = Path(unquote(parts.path)).resolve()
    if not target.is_relative_to(static_root) or not target.is_file():
        raise ForbiddenFetchError(f"PDFs may only load the app's static files, not {url!r}")
    return target


def static_only_fetcher(url: str) -> URLFetcherResponse:
    """Fetch url for the current app with the restricted fetcher (kept for callers and tests)."""
    return StaticOnlyFetcher(_static_root()).fetch(url)


def _static_root() -> Path:
    return Path(current_app.static_folder).resolve()


_font_config: FontConfiguration | None = None


def font_configuration() -> FontConfiguration:
    """Reuse one FontConfiguration per process; building it scans every system font."""
    global _font_config  # noqa: PLW0603 - a per-process cache, not shared state
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def _release_fonts() -> None:
    """Drop the cached fonts before the interpreter exits (late native cleanup can crash)."""
    global _font_config  # noqa: PLW0603
    _font_config = None
    import gc

    gc.collect()


atexit.register(_release_fonts)


def shrink_cid_font(data: bytes) -> bytes | None:
    """Return a bare CID-keyed CFF without the empty glyph slots WeasyPrint keeps, or None.

    WeasyPrint subsets fonts but keeps glyph ids, so a Korean name keeps ~55,000 empty slots
    and their metrics (~100 KB). A bare CID-keyed CFF (PDF's CIDFontType0C) maps CIDs to
    glyphs through its charset, so the empty slots can go while every CID still finds its glyph.
    None means "leave the font as it is" (not CID-keyed CFF, small, or unreadable).
    """
    try:
        font = TTFont(io.BytesIO(data))
        if "CFF " not in font or len(font.getGlyphOrder()) < 1000:
            return None
        top = font["CFF "].cff.topDictIndex[0]
        if not hasattr(top, "ROS"):
            return None
        keep = _drawn_glyphs(font, top.CharStrings)
        options = font_subset.Options(
            retain_gids=False,
            hinting=False,
            desubroutinize=True,
            notdef_outline=True,
            layout_features=[],
            name_IDs=["*"],
            ignore_missing_glyphs=True,
        )
        options.drop_tables += ["vmtx", "vhea", "VORG", "GSUB", "GPOS"]
        subsetter = font_subset.Subsetter(options)
        subsetter.populate(glyphs=keep)
        subsetter.subset(font)
        return font.getTableData("CFF ")
    except (TTLibError, KeyError, AssertionError, ValueError):
        return None


def _drawn_glyphs(font: TTFont, charstrings) -> list[str]:
    """Return .notdef and every glyph whose charstring is more than a bare 'endchar'."""
    order = font.getGlyphOrder()
    index = getattr(charstrings, "charStringsIndex", None)
    offsets = getattr(index, "offsets", None)
    if offsets and len(offsets) == len(order) + 1:
        # Reading the index offsets avoids decoding ~55,000 empty charstrings one by one.
        return [
            name
            for number, name in enumerate(order)
            if number == 0 or offsets[number + 1] - offsets[number] > 1
        ]
    keep = []
    for name in order:
        charstring = charstrings[name]
        if charstring.bytecode is None:
            charstring.compile()
        if name == ".notdef" or len(charstring.bytecode) > 1:
            keep.append(name)
    return keep


def _shrink_fonts(_document, pdf_file: pydyf.PDF) -> None:
    """Finish the PDF by shrinking CID-keyed OpenType font programs (see shrink_cid_font)."""
    for pdf_object in pdf_file.objects:
        if (
            isinstance(pdf_object, pydyf.Stream)
            and pdf_object.extra.get("Subtype") == "/OpenType"
            and len(pdf_object.stream) == 1
            and isinstance(pdf_object.stream[0], bytes)
        ):
            bare_cff = shrink_cid_font(pdf_object.stream[0])
            if bare_cff is not None:
                pdf_object.stream = [bare_cff]
                pdf_object.extra["Subtype"] = "/CIDFontType0C"


def render_html(html: str, static_root: Path | str) -> bytes:
    """Render an HTML string to PDF bytes without an app (used by worker processes too)."""
    static_root = Path(static_root).resolve()
    document = HTML(
        string=html,
        base_url=static_root.as_uri() + "/",
        url_fetcher=StaticOnlyFetcher(static_root),
    )
    return document.write_pdf(font_config=font_configuration(), finisher=_shrink_fonts)


def html_to_pdf(html: str) -> bytes:
    """Render an HTML string to PDF bytes; relative URLs resolve inside static/."""
    return render_html(html, _static_root())


def render_pdf(template: str, **context) -> bytes:
    """Render a Jinja template from templates/ into a PDF."""
    return html_to_pdf(render_template(template, **context))


def _warm_worker() -> None:
    """Build the font configuration once when a worker process starts."""
    font_configuration()


def html_to_pdf_many(htmls: Sequence[str], workers: int | None = None) -> list[bytes]:
    """Render many HTML strings to PDFs, in parallel worker processes when it pays off.

    Workers get HTML strings only and never touch the database or the app. A single-threaded
    process (CLI, benchmark) forks them, so they start with this process's fonts already
    loaded; they leave through os._exit and so never close the database connections they
    inherit. A threaded process (web server) starts them from a clean forkserver instead,
    because forking while other threads hold locks can deadlock the child.
    """
    static_root = _static_root()
    workers = min(workers or os.cpu_count() or 1, len(htmls))
    if workers < 2:
        return [render_html(html, static_root) for html in htmls]
    if threading.active_count() == 1:
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["weasyprint", "app.shared.pdf"])
    font_configuration()
    chunk = max(1, len(htmls) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_warm_worker) as pool:
        return list(pool.map(render_html, htmls, [static_root] * len(htmls), chunksize=chunk))
