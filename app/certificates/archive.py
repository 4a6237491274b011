"""Names of the files in a certificates ZIP: number and holder, safe on any system and script."""

from __future__ import annotations

import unicodedata

# Characters that separate folders or that Windows refuses in a file name.
_REFUSED = frozenset('/\\<>:"|?*')
# Bytes a name may take in the archive (most file systems allow 255 per name).
MAX_BYTES = 200


def _clean(name: str) -> str:
    """Keep a name as printed, without separators, controls or invisible direction marks."""
    text = "".join(
        " " if char in _REFUSED or unicodedata.category(char).startswith("C") else char
        for char in unicodedata.normalize("NFC", name)
    )
    return " ".join(word for word in text.split() if word.strip("."))


def entry_name(number: str, holder: str) -> str:
    """Return "NUMBER Holder Name.pdf": unique by the number, one file at the archive's root."""
    name = _clean(holder)
    while name and len(f"{number} {name}.pdf".encode()) > MAX_BYTES:
        name = name[:-1].rstrip()
    return f"{number} {name}.pdf" if name else f"{number}.pdf"
