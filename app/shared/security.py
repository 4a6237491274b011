"""Response headers that keep pages from running foreign code, being framed, sniffed or stored."""

from flask import Flask, Response, current_app, request

# No 'unsafe-inline': the templates carry no inline script or style attribute (bars and swatches
# are SVG with presentation attributes, data for scripts sits in <script type="application/json">).
PAGE_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)
# Chrome's PDF viewer styles its own page and embeds the file: a page policy breaks it
# (crbug.com/271452), so PDFs only refuse framing.
PDF_POLICY = "frame-ancestors 'none'"
FILE_POLICY = "default-src 'none'; frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"


def content_security_policy(mimetype: str) -> str:
    """Pick the policy for a response: pages get the full one, files only what cannot break them."""
    if mimetype == "text/html":
        return PAGE_POLICY
    if mimetype == "application/pdf":
        return PDF_POLICY
    return FILE_POLICY


def set_security_headers(response: Response) -> Response:
    """Add the policy headers; nothing but the public static files may be kept by any cache."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(response.mimetype))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("ENV_NAME") == "production":
        headers.setdefault("Strict-Transport-Security", HSTS)
    # Every dynamic answer may show a person (a page for a signed-in user, a list, a transcript,
    # a verified certificate's name): a shared or back-button cache must not keep it.
    if request.endpoint != "static" and "no-store" not in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register the headers on every response, error pages included."""
    app.after_request(set_security_headers)
