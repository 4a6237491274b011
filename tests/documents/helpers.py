"""Follow a document the way a person does: press the button, open its page, download it."""

from __future__ import annotations

import re

from werkzeug.test import TestResponse


def fetch_document(client, url: str) -> TestResponse:
    """POST the button's form at url, follow the redirect to the progress page, download."""
    asked = client.post(url)
    assert asked.status_code == 302, asked.status_code
    page = client.get(asked.headers["Location"])
    assert page.status_code == 200
    link = re.search(r'href="(/documents/\d+/download)"', page.get_data(as_text=True))
    assert link, "the progress page links to the finished PDF"
    return client.get(link.group(1))
