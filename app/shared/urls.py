"""Links: absolute ones for emails and PDFs, same-site redirects, the query a list keeps."""

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """Return an absolute URL on PUBLIC_BASE_URL, never on the host a request claimed.

    Emails, PDFs, QR codes and signed credentials carry these links: a link built from the
    request's Host header would send a password-reset token to whoever forged that header.
    """
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def same_site_path(target: str | None) -> str | None:
    """Return the target if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def kept_query(args: Mapping[str, str], names: Iterable[str]) -> dict[str, str]:
    """Return the named, non-empty query values a list's sort, pager or export link keeps.

    Only names the list reads: url_for would take "_external" or "_scheme" from a crafted
    query as its own options and write another site's URL.
    """
    return {name: args[name] for name in names if args.get(name)}
