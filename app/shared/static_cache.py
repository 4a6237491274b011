"""Static files named by their content: a hash in each URL, and a year in the browser's cache.

`url_for("static", filename=...)` adds `?v=<hash of the file>`; a request that carries the
file's current hash is answered with a one-year immutable Cache-Control, so a repeat visit asks
for nothing, and a changed file gets a new URL. A request without the hash (or an old one)
keeps Flask's default: the browser revalidates it.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

HASH_LENGTH = 12


@lru_cache(maxsize=1024)
def _digest(path: str, _mtime_ns: int, _size: int) -> str:
    """Hash a file once per version of it (mtime and size key the memo)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:HASH_LENGTH]


def static_hash(filename: str) -> str | None:
    """Return the short content hash of a file under the static folder, or None if absent.

    One stat a call: every page names half a dozen static files, and resolving each path
    through the file system cost more than the rest of a small page's URLs.
    """
    path = safe_join(current_app.static_folder, filename)
    try:
        stat = os.stat(path) if path else None
    except OSError:
        return None
    if stat is None or not S_ISREG(stat.st_mode):
        return None
    return _digest(path, stat.st_mtime_ns, stat.st_size)


def _add_hash(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        digest = static_hash(values["filename"])
        if digest:
            values["v"] = digest


def _cache_headers(response: Response) -> Response:
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    version = request.args.get("v")
    filename = (request.view_args or {}).get("filename", "")
    if version and version == static_hash(filename):
        cache_control = response.cache_control
        cache_control.no_cache = None
        cache_control.public = True
        cache_control.max_age = current_app.config["STATIC_IMMUTABLE_MAX_AGE"]
        cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    """Hash static URLs and let browsers keep the files they name."""
    app.url_defaults(_add_hash)
    app.after_request(_cache_headers)
