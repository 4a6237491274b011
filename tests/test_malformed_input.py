"""Feed malformed values to every route: path parameters, query strings and form fields.

Each route of the permission table is called by an administrator and by an anonymous visitor
with ids beyond 64 bits, integers beyond the database's range, non-ASCII digits, NaN and
infinite numbers and NUL bytes. None may bring the page down (500); a refusal (400) names
the field.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote

import pytest
import weasyprint
from flask import url_for

from app.extensions import db
from tests.test_access import ROUTES
from tests.world import build_world

BAD_VALUES = {
    "beyond 64 bits": "18446744073709551616",
    "beyond bigint": str(2**63),
    "beyond integer": str(2**31),
    "negative beyond bigint": str(-(2**63) - 1),
    "arabic-indic digits": "١٢",
    "fullwidth digits": "１２",
    "nan": "NaN",
    "infinity": "inf",
    "negative infinity": "-Infinity",
    "nul byte": "1\x00",
}
# Query parameters the views read from request.args, beyond the fields of their pages' forms.
QUERY_NAMES = (
    "page",
    "q",
    "other",
    "enrol_in",
    "course_id",
    "exclude",
    "start_date",
    "end_date",
    "host_country",
    "suggest",
    "audience",
    "name",
    "next",
)
# Fields get one value of each family (the path gets them all): each is sent on its own.
FIELD_KINDS = ("beyond 64 bits", "beyond integer", "arabic-indic digits", "nan", "nul byte")
ARGUMENT = re.compile(r"<(?:[^>:]+:)?([^>]+)>")

# One entry per endpoint and method (the permission table may list a route twice).
UNIQUE_ROUTES = list({(route.endpoint, route.method): route for route in ROUTES}.values())


class _FieldNames(HTMLParser):
    """Collect the names of a page's form fields."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = dict(attrs).get("name")
        if tag in ("input", "select", "textarea") and name and name != "csrf_token":
            self.names.add(name)


def _field_names(client, url: str) -> set[str]:
    response = client.get(url)
    parser = _FieldNames()
    if response.status_code == 200 and response.mimetype == "text/html":
        parser.feed(response.get_data(as_text=True))
    return parser.names


def _path_variants(app, route, world) -> list[tuple[str, str, str]]:
    """Return (argument, kind, url) with one path argument replaced by a bad value."""
    rule = app.url_map._rules_by_endpoint[route.endpoint][0]
    good = route.kwargs(world)
    variants = []
    for argument in rule.arguments:
        for kind, value in BAD_VALUES.items():
            if argument == "fmt":  # any(csv, xlsx) matches nothing else: a plain 404
                continue
            values = {key: quote(str(val), safe="") for key, val in good.items()}
            values[argument] = quote(value, safe="")
            url = ARGUMENT.sub(lambda match, values=values: values[match.group(1)], rule.rule)
            variants.append((argument, kind, url))
    return variants


def _check(
    client, where: str, field: str, url: str, method: str, baseline: int = 200, **kwargs
) -> str | None:
    """Call the app; return a complaint if it crashes or refuses without naming the field."""
    path, _, query = url.partition("?")
    query_string = {**dict(parse_qsl(query)), **kwargs.pop("query_string", {})}
    try:
        response = client.open(path, method=method, query_string=query_string, **kwargs)
    except Exception as exc:  # the test client re-raises what would be a 500
        return f"{where}: {type(exc).__name__}: {str(exc)[:120]}"
    finally:
        db.session.rollback()
    if response.status_code >= 500:
        return f"{where}: {response.status_code}"
    refused = response.status_code == 400 and baseline != 400
    if refused and field not in response.get_data(as_text=True):
        return f"{where}: 400 without naming {field!r}"
    return None


@pytest.fixture
def pdf_layout_skipped(monkeypatch):
    """Skip WeasyPrint's layout, the slow part of a PDF route, while its HTML is still rendered.

    A malformed value reaches a PDF only through the template (escaped like any page), so the
    walk's question (crash or clear refusal?) is answered before layout; the PDF routes' tests
    render real documents. Without this the board report alone took 80 s of the suite.
    """
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *args, **kwargs: b"%PDF-1.7\n")


@pytest.mark.parametrize("route", UNIQUE_ROUTES, ids=str)
def test_malformed_values_never_crash_a_route(app, route, pdf_layout_skipped):
    world = build_world()
    db.session.commit()
    with app.test_request_context():
        url = url_for(route.endpoint, **route.kwargs(world))

    def good_data() -> dict:
        """Return the route's valid form afresh: a file in it is read by each request."""
        return route.data(world) if route.data else {}

    problems = []
    for visitor in ("admin", "anonymous"):
        client = app.test_client()
        if visitor == "admin":
            with client.session_transaction() as session:
                session["_user_id"] = world.users["admin"].get_id()
                session["_fresh"] = True
        for argument, kind, bad_url in _path_variants(app, route, world):
            where = f"{visitor} path {argument}={kind}"
            problems.append(
                _check(client, where, argument, bad_url, route.method, data=good_data())
            )
        if visitor == "anonymous":
            continue
        names = set(QUERY_NAMES) | set(good_data()) | _field_names(client, url)
        baseline = client.open(url, method=route.method, data=good_data()).status_code
        db.session.rollback()
        for name in sorted(names):
            for kind in FIELD_KINDS:
                value = BAD_VALUES[kind]
                problems.append(
                    _check(
                        client,
                        f"query {name}={kind}",
                        name,
                        url,
                        route.method,
                        baseline,
                        query_string={name: value},
                        data=good_data(),
                    )
                )
                if route.method == "POST":
                    data = {**good_data(), name: value}
                    where = f"form {name}={kind}"
                    problems.append(_check(client, where, name, url, "POST", baseline, data=data))
    problems = [problem for problem in problems if problem]
    assert not problems, f"{route}: " + "; ".join(problems[:12])
