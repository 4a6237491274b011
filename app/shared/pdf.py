"""The one place every PDF is rendered: WeasyPrint with a fetcher limited to static/.

Nothing in a template or in user data can make the server fetch a URL: the fetcher answers
data: URLs and files inside the static folder, and refuses everything else (http, other files,
../ escapes). Batches can be rendered on every core from ready-made HTML strings.

Documents that are kept (certificates, through html_to_pdf and html_to_pdf_many) are checked
first: every character of their text must have a glyph in an installed font (fontconfig's
coverage), otherwise nothing is rendered and UnprintableTextError names the text and the
characters, instead of freezing empty boxes where a name should be.
"""

from __future__ import annotations

import atexit
import bisect
import functools
import io
import mimetypes
import multiprocessing
import os
import shutil
import subprocess
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
from flask import current_app, render_template
from flask_babel import gettext as _
from fontTools import subset as font_subset
from fontTools.ttLib import TTFont, TTLibError
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.shared.unit_of_work import DomainError


class ForbiddenFetchError(ValueError):
    """Raised for any URL outside the app's static folder."""


class UnprintableTextError(DomainError, ValueError):
    """Some text has characters that no installed font can draw; the message names them."""


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


# --- Glyph coverage -------------------------------------------------------------------------

# The scripts of the people the programme trains, with one characteristic letter each.
SCRIPT_SAMPLES = {
    "Latin with diacritics": "ễ",
    "Arabic": "ع",
    "Cyrillic": "Ж",
    "Greek": "λ",
    "Hebrew": "ש",
    "Devanagari": "क",
    "Bengali": "ক",
    "Thai": "ก",
    "Lao": "ກ",
    "Khmer": "ក",
    "Myanmar": "က",
    "Ethiopic": "አ",
    "Chinese": "中",
    "Japanese": "あ",
    "Korean": "한",
}

# Characters drawn without a glyph of their own: controls, joiners, direction marks, spaces.
_NO_GLYPH_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs"})


class FontCoverage:
    """The code points that the installed fonts can draw, as sorted [start, end] ranges."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def __contains__(self, char: str) -> bool:
        """Return whether some font has a glyph for char."""
        point = ord(char)
        index = bisect.bisect_right(self._starts, point) - 1
        return index >= 0 and point <= self._ends[index]

    def missing(self, text: str) -> list[str]:
        """Return the distinct characters of text that no font can draw, in order."""
        seen = dict.fromkeys(
            char
            for char in text
            if unicodedata.category(char) not in _NO_GLYPH_CATEGORIES and char not in self
        )
        return list(seen)


@dataclass(frozen=True)
class InstalledFont:
    """One font face as fontconfig lists it."""

    family: str
    path: str
    ranges: tuple[tuple[int, int], ...]


def installed_fonts() -> list[InstalledFont]:
    """Return the fonts fontconfig knows, with the code point ranges each one covers."""
    return list(_installed_fonts())


@functools.cache
def _installed_fonts() -> tuple[InstalledFont, ...]:
    # One fc-list call reads fontconfig's cache: milliseconds, once per process.
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise RuntimeError("fc-list (Debian package fontconfig) is needed to check fonts")
    listing = subprocess.run(  # noqa: S603 - a fixed program and format, no user input
        [fc_list, "--format", "%{family[0]}|%{file}|%{charset}\\n"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fonts = []
    for line in listing.splitlines():
        family, path, charset = (line.split("|", 2) + ["", ""])[:3]
        fonts.append(InstalledFont(family, path, tuple(_charset_ranges(charset))))
    return tuple(fonts)


def _charset_ranges(charset: str) -> Iterable[tuple[int, int]]:
    """Read fontconfig's charset notation ("20-7e a0 400-45f") as (start, end) pairs."""
    for item in charset.split():
        start, _, end = item.partition("-")
        yield int(start, 16), int(end or start, 16)


@functools.cache
def font_coverage() -> FontCoverage:
    """Return what all installed fonts together can draw (WeasyPrint falls back to any)."""
    return FontCoverage(span for font in _installed_fonts() for span in font.ranges)


class _TextCollector(HTMLParser):
    """Collect the text a document shows: body text, not styles, scripts or attributes."""

    _HIDDEN = frozenset({"style", "script", "head", "title", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        """Enter an element whose text is not shown."""
        if tag in self._HIDDEN:
            self._hidden_depth += 1

    def handle_endtag(self, tag: str) -> None:
        """Leave an element whose text is not shown."""
        if tag in self._HIDDEN and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        """Keep each shown piece of text whole, so the error can quote the name it is in."""
        if not self._hidden_depth and data.strip():
            self.texts.append(data.strip())


def check_printable(htmls: Iterable[str]) -> None:
    """Raise UnprintableTextError naming every text whose characters no installed font has."""
    coverage = font_coverage()
    problems: dict[str, list[str]] = {}
    for html in htmls:
        collector = _TextCollector()
        collector.feed(html)
        collector.close()
        for text in collector.texts:
            if text not in problems and (missing := coverage.missing(text)):
                problems[text] = missing
    if problems:
        raise UnprintableTextError(
            " ".join(
                _(
                    "“%(text)s” cannot be printed: no installed font has %(chars)s.",
                    text=text,
                    chars=", ".join(_describe(char) for char in missing),
                )
                for text, missing in problems.items()
            )
        )


def _describe(char: str) -> str:
    """Name a character for a person: its code point, and its Unicode name when it has one."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".strip()


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


def html_to_pdf(html: str, check_glyphs: bool = True) -> bytes:
    """Render an HTML string to PDF bytes; relative URLs resolve inside static/.

    check_glyphs refuses (UnprintableTextError) text that no installed font can draw.
    """
    if check_glyphs:
        check_printable([html])
    return render_html(html, _static_root())


def render_pdf(template: str, **context) -> bytes:
    """Render a Jinja template from templates/ into a PDF made for the moment (lists, sheets).

    A missing glyph shows as a box here rather than refusing a sheet a trainer needs now.
    """
    return html_to_pdf(render_template(template, **context), check_glyphs=False)


def _warm_worker() -> None:
    """Build the font configuration once when a worker process starts."""
    font_configuration()


def html_to_pdf_many(
    htmls: Sequence[str], workers: int | None = None, check_glyphs: bool = True
) -> list[bytes]:
    """Render many HTML strings to PDFs, in parallel worker processes when it pays off.

    check_glyphs checks every document before any is rendered, as html_to_pdf does.

    Workers get HTML strings only and never touch the database or the app. A single-threaded
    process (CLI, benchmark) forks them, so they start with this process's fonts already
    loaded; they leave through os._exit and so never close the database connections they
    inherit. A threaded process (web server) starts them from a clean forkserver instead,
    because forking while other threads hold locks can deadlock the child.
    """
    if check_glyphs:
        check_printable(htmls)
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
