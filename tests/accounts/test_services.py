from datetime import timedelta

import pytest

from app.accounts import services
from app.accounts.models import AccountToken
from app.extensions import db
from app.shared.models import utcnow
from tests.factories import PASSWORD, make_user


def test_email_is_unique_whatever_its_case(app):
    services.create_user("Amina.Diallo@Example.org", "Amina Diallo", {"trainer"}, "long password 1")
    with pytest.raises(services.AccountError, match="already exists"):
        services.create_user("amina.diallo@example.ORG", "Someone Else", {"trainer"})
    assert services.find_user_by_email("  AMINA.DIALLO@example.org ").name == "Amina Diallo"


def test_user_may_hold_several_roles_and_admin_holds_all(app):
    user = services.create_user("t@example.org", "T", {"trainer", "manager"})
    assert user.roles == {"trainer", "manager"}
    assert user.has_role("manager") and not user.has_role("admin")
    admin = make_user(roles=("admin",))
    assert admin.has_role("trainer") and admin.has_role("manager")


def test_unknown_role_and_short_password_are_refused(app):
    with pytest.raises(services.AccountError, match="Unknown role"):
        services.create_user("x@example.org", "X", {"superuser"})
    with pytest.raises(services.AccountError, match="at least 12"):
        services.create_user("y@example.org", "Y", {"trainer"}, "short")


def test_authenticate_refuses_wrong_password_and_inactive_accounts(app):
    user = make_user(roles=("trainer",), email="t@example.org")
    assert services.authenticate("T@example.org", PASSWORD) == user
    assert services.authenticate("t@example.org", "wrong") is None
    user.active = False
    assert services.authenticate("t@example.org", PASSWORD) is None


def test_admin_cannot_lock_themselves_out(app):
    admin = make_user(roles=("admin",))
    with pytest.raises(services.AccountError, match="your own"):
        services.update_user(
            admin, name="A", email=admin.email, roles={"admin"}, active=False, acting_user=admin
        )
    with pytest.raises(services.AccountError, match="your own"):
        services.update_user(
            admin, name="A", email=admin.email, roles={"trainer"}, active=True, acting_user=admin
        )


def test_invitation_link_works_once_and_expires(app, outbox):
    user = make_user(roles=("participant",), email="p@example.org")
    user.password_hash = None
    raw = services.send_invitation(user)
    assert outbox.refresh() == []  # nothing leaves before the commit
    db.session.commit()
    message = outbox.refresh()[0]
    assert message["To"] == "p@example.org"
    assert f"/set-password/{raw}" in message.get_content()
    services.set_password_with_token(raw, "invitation", "a good long password")
    assert user.check_password("a good long password")
    with pytest.raises(services.AccountError, match="already been used"):
        services.set_password_with_token(raw, "invitation", "another long password")

    expired = services.issue_account_token(user, "invitation", timedelta(hours=1))
    token = db.session.scalar(db.select(AccountToken).order_by(AccountToken.id.desc()))
    token.expires_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(services.AccountError, match="expired"):
        services.find_account_token(expired, "invitation")
    with pytest.raises(services.AccountError, match="not valid"):
        services.find_account_token("made-up", "invitation")


def test_api_tokens_are_stored_hashed_and_revocable(app):
    manager = make_user(roles=("manager",))
    raw = services.create_api_token(manager, "donor feed")
    assert services.check_api_token(raw).user == manager
    stored = manager_tokens = db.session.scalars(db.select(services.ApiToken)).all()
    assert raw not in [token.token_hash for token in manager_tokens]
    services.revoke_api_token(stored[0])
    assert services.check_api_token(raw) == services.ApiTokenCheck()
    with pytest.raises(services.AccountError):
        services.create_api_token(make_user(roles=("trainer",)), "nope")


def test_a_cookie_names_its_account_until_every_session_is_ended(app):
    user = make_user(roles=("trainer",))
    cookie = user.get_id()
    assert services.user_for_cookie(cookie) == user
    services.end_all_sessions(user)
    assert services.user_for_cookie(cookie) is None
    assert services.user_for_cookie(user.get_id()) == user
    for forged in ("", "x-1", f"{user.id}-", "1" * 12 + "-1", "١-١"):
        assert services.user_for_cookie(forged) is None


def test_user_search_matches_name_or_email_whatever_the_case(app):
    olga = make_user(roles=("trainer",), name="Olga Petrova", email="olga@example.org")
    make_user(roles=("trainer",), name="Peter Otieno", email="peter@example.org")
    assert services.users_page("PETROVA", 1).items == [olga]
    assert services.users_page("olga@", 1).items == [olga]
    assert len(services.users_page("", 1).items) == 2


def test_api_tokens_of_lists_only_the_holders_own_revoked_ones_too(app):
    manager, other = make_user(roles=("manager",)), make_user(roles=("manager",))
    services.create_api_token(manager, "first")
    services.create_api_token(manager, "second")
    services.create_api_token(other, "theirs")
    tokens = services.api_tokens_of(manager)
    services.revoke_api_token(tokens[0], actor=manager)
    assert [t.label for t in services.api_tokens_of(manager)] == ["first", "second"]


def test_an_administrator_saves_an_account_and_its_new_password_at_once(app):
    admin = make_user(roles=("admin",))
    user = make_user(roles=("trainer",))
    version = user.session_version
    services.update_user(
        user,
        name="Renamed",
        email=user.email,
        roles={"trainer"},
        active=True,
        acting_user=admin,
        password="Lantern-harbour-Quietly-49",
    )
    assert user.name == "Renamed" and user.check_password("Lantern-harbour-Quietly-49")
    assert user.session_version > version


def test_a_live_token_of_someone_no_longer_a_manager_is_refused_for_the_role(app):
    manager = make_user(roles=("manager",))
    raw = services.create_api_token(manager, "feed")
    manager.roles = {"trainer"}
    check = services.check_api_token(raw)
    assert check.user is None and check.holder_not_manager
    manager.active = False
    assert not services.check_api_token(raw).holder_not_manager
    assert services.check_api_token("tp_made-up") == services.ApiTokenCheck()
