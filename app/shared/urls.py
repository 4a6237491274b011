"""Links: absolute ones for emails, PDFs and QR codes, and same-site checks for redirects."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """Return an absolute URL; outside a request, PUBLIC_BASE_URL gives scheme and host."""
    if has_request_context() and not current_app.config.get("PUBLIC_BASE_URL_ALWAYS"):
        return url_for(endpoint, _external=True, **values)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def same_site_path(target: str | None) -> str | None:
    """Return the target if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target
