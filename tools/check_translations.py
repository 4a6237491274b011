"""Fail when the catalogue template is stale or a catalogue has missing or fuzzy entries.

    python tools/check_translations.py [FRESH_POT]

FRESH_POT is a template just extracted from the sources (`make translations-check` makes one):
its msgids must be those of app/translations/messages.pot. Every language's messages.po must
hold the template's msgids, each translated (every plural form) and none fuzzy.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[1] / "app" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"


def read(path: Path) -> Catalog:
    """Return the parsed catalogue (or template) at path."""
    with path.open("rb") as handle:
        return read_po(handle)


def msgids(catalog: Catalog) -> set[str]:
    """Return the catalogue's message ids (a plural entry by its singular)."""
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def catalogue_problems(path: Path, template: Catalog) -> list[str]:
    """Return what is missing, fuzzy or out of step with the template in one .po file."""
    catalog = read(path)
    language = path.parts[-3]
    missing = msgids(template) - msgids(catalog)
    problems = [f"{language}: not in the catalogue: {i!r}" for i in sorted(missing)]
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"{language}: fuzzy: {message.id!r}")
        elif not all(forms):
            problems.append(f"{language}: untranslated: {message.id!r}")
    return problems


def problems(fresh: Path | None = None) -> list[str]:
    """Return every problem: a stale template, then each catalogue's."""
    template = read(TEMPLATE)
    found = []
    if fresh is not None:
        current = msgids(read(fresh))
        kept = msgids(template)
        found += [f"template lacks (translations-update): {i!r}" for i in sorted(current - kept)]
        found += [f"template keeps a string no longer used: {i!r}" for i in sorted(kept - current)]
    for path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        found += catalogue_problems(path, template)
    return found


if __name__ == "__main__":
    found = problems(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    for line in found:
        print(line)
    sys.exit(1 if found else 0)
