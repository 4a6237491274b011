"""Walk every route for every kind of visitor (indico's pattern, one table per domain)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

from app.extensions import db
from tests.access import VISITORS, Route
from tests.world import build_world

TESTS = Path(__file__).parent


def _collect_routes() -> list[Route]:
    routes: list[Route] = []
    for module_info in pkgutil.iter_modules([str(TESTS)]):
        if module_info.ispkg and (TESTS / module_info.name / "access.py").exists():
            module = importlib.import_module(f"tests.{module_info.name}.access")
            routes.extend(module.ROUTES)
    return routes


ROUTES = _collect_routes()


def test_every_endpoint_is_in_a_permission_table(app):
    listed = {(route.endpoint, route.method) for route in ROUTES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (rule.endpoint, method) not in listed:
                missing.append(f"{method} {rule.endpoint}")
    assert not missing, "routes without a permission entry: " + ", ".join(sorted(missing))


def _request(app, client, route: Route, world):
    from flask import url_for

    with app.test_request_context():
        url = url_for(route.endpoint, **route.kwargs(world))
    if route.json is not None:
        return client.open(url, method=route.method, json=route.json(world))
    data = route.data(world) if route.data else {}
    return client.open(url, method=route.method, data=data)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_access(app, route: Route):
    world = build_world()
    db.session.commit()
    # Denied visitors first, so that an allowed POST cannot change what they see.
    order = sorted(VISITORS, key=lambda visitor: visitor in route.allowed)
    for visitor in order:
        client = app.test_client()
        if visitor != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = world.users[visitor].get_id()
                session["_fresh"] = True
        response = _request(app, client, route, world)
        location = response.headers.get("Location", "")
        if visitor in route.allowed:
            assert response.status_code < 400, (
                f"{visitor} should reach {route}, got {response.status_code}"
            )
            assert "/login?next" not in location, f"{visitor} was sent to log in on {route}"
        elif visitor == "anonymous":
            assert response.status_code == route.anonymous_status, (
                f"anonymous on {route}: {response.status_code}"
            )
            if route.anonymous_status == 302:
                assert "/login" in location
        else:
            assert response.status_code == route.denied_status, (
                f"{visitor} on {route}: expected {route.denied_status}, got {response.status_code}"
            )
        db.session.rollback()
