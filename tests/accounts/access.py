from datetime import timedelta
from itertools import count

from app.accounts.models import TokenPurpose
from app.accounts.services import issue_account_token
from tests.access import EVERYONE_SIGNED_IN, PUBLIC, Route

ADMIN = frozenset({"admin"})
MANAGERS = frozenset({"manager", "admin"})


_addresses = count(1)


def _link(purpose: TokenPurpose):
    """Return kwargs with a fresh, valid one-time link of the owner's for each visitor."""

    def kwargs(world) -> dict:
        changing = purpose == TokenPurpose.EMAIL_CHANGE
        new_email = f"owner.new{next(_addresses)}@example.org" if changing else None
        owner = world.users["owner"]
        return {"token": issue_account_token(owner, purpose, timedelta(hours=1), new_email)}

    return kwargs


ROUTES = [
    Route("accounts.home", PUBLIC),
    Route("accounts.login", PUBLIC),
    Route(
        "accounts.login",
        PUBLIC,
        method="POST",
        data=lambda w: {"email": "x@example.org", "password": "nope"},
    ),
    Route("accounts.logout", EVERYONE_SIGNED_IN, method="POST"),
    Route("accounts.set_password", PUBLIC, kwargs=_link(TokenPurpose.INVITATION)),
    Route("accounts.set_password", PUBLIC, method="POST", kwargs=_link(TokenPurpose.INVITATION)),
    Route("accounts.profile", EVERYONE_SIGNED_IN),
    Route("accounts.profile", EVERYONE_SIGNED_IN, method="POST", data=lambda w: {"language": "fr"}),
    Route("accounts.change_password", EVERYONE_SIGNED_IN),
    Route(
        "accounts.change_password",
        EVERYONE_SIGNED_IN,
        method="POST",
        data=lambda w: {"current_password": "wrong", "password": "x", "confirm": "x"},
    ),
    Route("accounts.change_email", EVERYONE_SIGNED_IN),
    Route(
        "accounts.change_email",
        EVERYONE_SIGNED_IN,
        method="POST",
        data=lambda w: {"email": "new@example.org", "current_password": "wrong"},
    ),
    Route("accounts.forgot_password", PUBLIC),
    Route(
        "accounts.forgot_password",
        PUBLIC,
        method="POST",
        data=lambda w: {"email": "nobody@example.org"},
    ),
    Route("accounts.reset_password", PUBLIC, kwargs=_link(TokenPurpose.RESET)),
    Route("accounts.reset_password", PUBLIC, method="POST", kwargs=_link(TokenPurpose.RESET)),
    Route("accounts.confirm_email", PUBLIC, kwargs=_link(TokenPurpose.EMAIL_CHANGE)),
    Route("accounts.confirm_email", PUBLIC, method="POST", kwargs=_link(TokenPurpose.EMAIL_CHANGE)),
    Route("accounts.api_token_create", MANAGERS, method="POST", data=lambda w: {"label": "x"}),
    Route(
        "accounts.api_token_revoke",
        MANAGERS,
        method="POST",
        kwargs=lambda w: {"token_id": 1},
        data=lambda w: {"confirmed": "yes"},
    ),
    Route("accounts.user_list", ADMIN),
    Route("accounts.user_create", ADMIN),
    Route("accounts.user_create", ADMIN, method="POST", data=lambda w: {"name": ""}),
    Route("accounts.user_edit", ADMIN, kwargs=lambda w: {"user_id": w.users["owner"].id}),
    Route(
        "accounts.user_edit",
        ADMIN,
        method="POST",
        kwargs=lambda w: {"user_id": w.users["owner"].id},
        data=lambda w: {"name": ""},
    ),
    Route(
        "accounts.user_sign_out_everywhere",
        ADMIN,
        method="POST",
        kwargs=lambda w: {"user_id": w.users["owner"].id},
    ),
]
