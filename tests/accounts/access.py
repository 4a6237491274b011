from tests.access import EVERYONE_SIGNED_IN, PUBLIC, Route

ADMIN = frozenset({"admin"})
MANAGERS = frozenset({"manager", "admin"})

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
    Route("accounts.set_password", PUBLIC, kwargs=lambda w: {"token": "unknown"}),
    Route("accounts.set_password", PUBLIC, method="POST", kwargs=lambda w: {"token": "unknown"}),
    Route("accounts.profile", EVERYONE_SIGNED_IN),
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
    Route("accounts.reset_password", PUBLIC, kwargs=lambda w: {"token": "unknown"}),
    Route("accounts.reset_password", PUBLIC, method="POST", kwargs=lambda w: {"token": "unknown"}),
    Route("accounts.confirm_email", PUBLIC, kwargs=lambda w: {"token": "unknown"}),
    Route("accounts.confirm_email", PUBLIC, method="POST", kwargs=lambda w: {"token": "unknown"}),
    Route("accounts.api_token_create", MANAGERS, method="POST", data=lambda w: {"label": "x"}),
    Route("accounts.api_token_revoke", MANAGERS, method="POST", kwargs=lambda w: {"token_id": 1}),
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
