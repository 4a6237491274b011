"""Read a PDF as a person would: its text (pdftotext) and its pages as images (pdftoppm)."""

from __future__ import annotations

import subprocess
import tempfile
import unicodedata
from pathlib import Path


def pdf_text(data: bytes) -> str:
    """Return the PDF's text in reading order, as poppler extracts it."""
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode()


def flat(text: str) -> str:
    """Return text without spaces, case or direction marks, so any extraction can be searched."""
    kept = (c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")
    return "".join(kept).casefold()


def contains(text: str, words: str) -> bool:
    """Return whether text holds words (any case), in logical order or Arabic's visual order."""
    return flat(words) in flat(text) or flat(words)[::-1] in flat(text)


def save_pngs(data: bytes, folder: Path, stem: str) -> list[Path]:
    """Render each page at 50 dpi into folder/stem-N.png, for a person to look at."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(data)
        source.flush()
        subprocess.run(
            ["pdftoppm", "-r", "50", "-png", source.name, str(folder / stem)], check=True
        )
    return sorted(folder.glob(f"{stem}*.png"))
