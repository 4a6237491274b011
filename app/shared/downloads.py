"""How a file with personal data leaves: for this reader only, named for saving, never cached."""

from __future__ import annotations

from urllib.parse import quote

from anyascii import anyascii
from flask import Response


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """Name a download so that a name in any script survives (RFC 6266 `filename*`).

    Older clients read the plain `filename`, transliterated to ASCII; the others the UTF-8 one.
    """
    plain = anyascii(filename).replace('"', "").replace("\\", "") or "download"
    value = f'{"inline" if inline else "attachment"}; filename="{plain}"'
    if plain != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def private_file(
    body: bytes | str, mimetype: str, filename: str, *, inline: bool = False
) -> Response:
    """Answer a file that no shared cache keeps, under its own name."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    response.headers["Cache-Control"] = "private, no-store"
    return response
