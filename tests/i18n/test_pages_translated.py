"""No English left on any page in French or Arabic: every GET route of the permission table is
rendered for a visitor it allows, and the page fails if it shows a source string whose
catalogue entry is missing, empty or fuzzy (strings added since the last translation included).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import url_for

from app.extensions import db
from tests.test_access import ROUTES
from tests.world import build_world

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
# Who renders a page: the first of these the route allows (the widest view of each page).
RENDERERS = (
    "admin",
    "manager",
    "trainer",
    "owner",
    "participant",
    "other_trainer",
    "focal_point",
    "anonymous",
)
ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
SCRIPT = ROOT / "tools" / "check_translations.py"
spec = importlib.util.spec_from_file_location("check_translations", SCRIPT)
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)


@pytest.fixture(scope="module")
def source_msgids(tmp_path_factory) -> set[str]:
    """Extract the msgids from today's sources, as `make translations-extract` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
         "-k", "lazy_ngettext:1,2", "--omit-header", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return check.msgids(check.read(pot))


def _untranslated(language: str, msgids: set[str]) -> set[str]:
    """Return the source msgids the language's catalogue does not translate."""
    catalog = check.read(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    done = set()
    for message in catalog:
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and not message.fuzzy and all(forms):
            done.add(message.id if isinstance(message.id, str) else message.id[0])
    return msgids - done


class _VisibleText(HTMLParser):
    """Collect what a reader sees or hears: text outside scripts and the labelling attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts.extend(value for name, value in attrs if name in ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def _visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _telltale_fragments(msgid: str) -> list[str]:
    """Return the parts of a msgid long enough (two words or more) to be told from data."""
    pieces = (" ".join(piece.split()) for piece in PLACEHOLDER.split(msgid))
    return [piece for piece in pieces if len(piece.split()) >= 2 and len(piece) >= 8]


def english_left(html: str, untranslated: set[str]) -> list[str]:
    """Return the untranslated msgids whose words show on the page."""
    text = _visible_text(html)
    return sorted(
        msgid
        for msgid in untranslated
        if any(fragment in text for fragment in _telltale_fragments(msgid))
    )


def test_an_untranslated_sentence_is_found_and_data_is_not():
    page = '<p>Bonjour</p><input placeholder="Find someone in the directory"><p>Kenya</p>'
    untranslated = {"Find someone in the directory", "Kenya", "Welcome, %(name)s"}
    assert english_left(page, untranslated) == ["Find someone in the directory"]


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_no_page_shows_an_untranslated_string(app, language, source_msgids):
    untranslated = _untranslated(language, source_msgids)
    world = build_world()
    db.session.commit()
    found: dict[str, list[str]] = {}
    for route in (r for r in ROUTES if r.method == "GET"):
        visitor = next((v for v in RENDERERS if v in route.allowed), None)
        if visitor is None:
            continue
        client = app.test_client()
        client.set_cookie("language", language)
        if visitor != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = world.users[visitor].get_id()
                session["_fresh"] = True
        with app.test_request_context():
            url = url_for(route.endpoint, **route.kwargs(world))
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for msgid in english_left(response.get_data(as_text=True), untranslated):
            found.setdefault(msgid, []).append(route.endpoint)
        db.session.rollback()
    report = [f"{msgid!r} on {', '.join(pages[:3])}" for msgid, pages in sorted(found.items())]
    assert not found, f"{language}: {len(found)} strings left in English:\n" + "\n".join(report)
