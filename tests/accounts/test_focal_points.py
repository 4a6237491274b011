"""National focal points: countries and agency types, deputies, the CLI and the users page."""

import pytest

from app.accounts.focal_points import (
    focal_point_countries,
    focal_point_scope,
    focal_points_for,
    set_focal_point_scope,
)
from app.accounts.permissions import is_focal_point
from app.accounts.services import AccountError, find_user_by_email
from app.audit.models import AuditEntry
from app.extensions import db
from tests import factories


def _focal_point(*countries: str, name: str | None = None, **scope):
    user = factories.make_user(roles=("focal_point",), name=name)
    set_focal_point_scope(user, countries, **scope)
    return user


def test_a_focal_point_acts_for_its_countries_only(app):
    kenya = _focal_point("KE", "ug")
    trainer = factories.make_user(roles=("trainer",))
    assert is_focal_point(kenya) and not is_focal_point(trainer)
    assert focal_point_countries(kenya) == {"KE", "UG"}
    assert focal_point_countries(trainer) == frozenset()
    assert focal_points_for("UG") == [kenya]
    assert focal_points_for("TZ") == []


def test_a_deputy_follows_the_principals_scope_as_it_changes(app):
    principal = _focal_point("KE", name="Achieng Principal")
    deputy = factories.make_user(roles=("focal_point",), name="Baraka Deputy")
    set_focal_point_scope(deputy, deputy_of=principal)
    assert focal_point_countries(deputy) == {"KE"}
    assert focal_points_for("KE") == [principal, deputy]

    set_focal_point_scope(principal, ["KE", "UG"])
    assert focal_point_countries(deputy) == {"KE", "UG"}
    assert focal_points_for("UG") == [principal, deputy]


def test_inactive_accounts_and_lost_roles_are_not_focal_points(app):
    principal = _focal_point("KE")
    deputy = factories.make_user(roles=("focal_point",))
    set_focal_point_scope(deputy, deputy_of=principal)
    deputy.active = False
    assert focal_points_for("KE") == [principal]
    assert focal_point_countries(deputy) == frozenset()

    principal.roles = {"trainer"}
    set_focal_point_scope(principal)  # the role went, so the scope goes with it
    db.session.flush()
    assert focal_points_for("KE") == []
    assert principal.focal_country_links == []


def test_agency_types_narrow_the_scope_and_a_deputy_keeps_the_principals_limit(app):
    police_only = _focal_point("KE", agency_types=["police"])
    assert focal_point_scope(police_only).covers("KE", "police")
    assert not focal_point_scope(police_only).covers("KE", "judiciary")
    assert focal_points_for("KE", "judiciary") == []
    deputy = factories.make_user(roles=("focal_point",))
    set_focal_point_scope(deputy, deputy_of=police_only)
    assert focal_point_scope(deputy) == focal_point_scope(police_only)
    assert not focal_point_scope(deputy).covers("KE", "judiciary")


@pytest.mark.parametrize(
    ("scope", "field"),
    [({"countries": ["UG"]}, "countries"), ({"agency_types": ["judiciary"]}, "agency types")],
)
def test_a_deputy_cannot_have_a_scope_of_their_own(app, scope, field):
    police_only = _focal_point("KE", agency_types=["police"])
    deputy = factories.make_user(roles=("focal_point",))
    with pytest.raises(AccountError, match=f"(?i)no {field} of their own"):
        set_focal_point_scope(deputy, deputy_of=police_only, **scope)
    assert focal_point_scope(deputy).countries == frozenset()


@pytest.mark.parametrize(
    ("countries", "deputy_kind", "message"),
    [
        ([], None, "at least one country"),
        (["XX"], None, "Unknown country code: XX"),
        ([], "trainer", "is not a focal point"),
        ([], "deputy", "is a deputy"),
    ],
)
def test_a_scope_that_makes_no_sense_is_refused(app, countries, deputy_kind, message):
    user = factories.make_user(roles=("focal_point",))
    principal = None
    if deputy_kind == "trainer":
        principal = factories.make_user(roles=("trainer",), name="A Trainer")
    elif deputy_kind == "deputy":
        principal = factories.make_user(roles=("focal_point",), name="A Deputy")
        set_focal_point_scope(principal, deputy_of=_focal_point("KE"))
    with pytest.raises(AccountError, match=message):
        set_focal_point_scope(user, countries, deputy_of=principal)


def test_scope_changes_are_in_the_audit_trail(app):
    user = _focal_point("KE")
    set_focal_point_scope(user, ["KE", "UG"])
    entries = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "account.focal_scope_changed")
    ).all()
    assert [entry.details["after"]["countries"] for entry in entries] == [["KE"], ["KE", "UG"]]


def _create(runner, *args: str):
    return runner.invoke(
        args=["users", "create", "--name", "N", "--password", "a long password", *args]
    )


def test_users_create_a_focal_point_with_countries_and_a_deputy(runner):
    result = _create(
        runner, "--email", "fp@example.org", "--role", "focal_point", "--country", "KE",
        "--country", "UG", "--agency-type", "police",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    result = _create(
        runner, "--email", "dep@example.org", "--role", "focal_point",
        "--deputy-of", "FP@example.org",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    deputy = find_user_by_email("dep@example.org")
    assert focal_point_scope(deputy).countries == {"KE", "UG"}
    assert focal_point_scope(deputy).agency_types == {"police"}
    result = _create(
        runner, "--email", "dep2@example.org", "--role", "focal_point",
        "--deputy-of", "fp@example.org", "--country", "TZ",
    )  # fmt: skip
    assert result.exit_code != 0 and "no countries of their own" in result.output
    assert find_user_by_email("dep2@example.org") is None


def test_users_create_refuses_a_scope_without_the_role_or_a_bad_country(runner):
    result = _create(runner, "--email", "t@example.org", "--role", "trainer", "--country", "KE")
    assert result.exit_code != 0 and "--role focal_point" in result.output
    result = _create(runner, "--email", "f@example.org", "--role", "focal_point", "--country", "ZZ")
    assert result.exit_code != 0 and "Unknown country code: ZZ" in result.output
    assert find_user_by_email("f@example.org") is None


def test_the_users_page_gives_an_account_countries_and_a_principal(client, as_role):
    as_role("admin")
    principal = _focal_point("KE", name="Principal FP")
    user = factories.make_user(roles=("trainer",), name="New FP", email="new-fp@example.org")
    db.session.commit()
    page = client.get(f"/admin/users/{user.id}")
    assert "Kenya" in page.text and "Principal FP" in page.text
    response = client.post(
        f"/admin/users/{user.id}",
        data={
            "name": "New FP",
            "email": "new-fp@example.org",
            "roles": ["focal_point"],
            "active": "y",
            "focal_countries": ["UG"],
            "deputy_of": str(principal.id),
        },
    )
    assert response.status_code == 200 and "no countries of their own" in response.text
    response = client.post(
        f"/admin/users/{user.id}",
        data={
            "name": "New FP",
            "email": "new-fp@example.org",
            "roles": ["focal_point"],
            "active": "y",
            "deputy_of": str(principal.id),
        },
    )
    assert response.status_code == 302, response.text
    db.session.expire_all()
    assert focal_point_countries(user) == {"KE"}
    page = client.get(f"/admin/users/{user.id}")
    assert f'value="{principal.id}" selected' in page.text or (
        f'<option selected value="{principal.id}"' in page.text
    )


def test_the_new_account_page_creates_a_focal_point_or_says_what_is_missing(client, as_role):
    as_role("admin")
    db.session.commit()  # the refused attempt below rolls back whatever was not committed
    form = {
        "name": "Nadia Focal",
        "email": "nadia@example.org",
        "roles": ["focal_point"],
        "active": "y",
        "password": "correct horse battery staple 42",
    }
    refused = client.post("/admin/users/new", data=form)
    assert refused.status_code == 200
    assert "at least one country" in refused.text
    assert find_user_by_email("nadia@example.org") is None  # nothing half-made
    response = client.post(
        "/admin/users/new",
        data={**form, "focal_countries": ["TZ"], "focal_agency_types": ["police"]},
    )
    assert response.status_code == 302
    scope = focal_point_scope(find_user_by_email("nadia@example.org"))
    assert (scope.countries, scope.agency_types) == ({"TZ"}, {"police"})
