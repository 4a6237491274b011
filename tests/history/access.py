from tests.access import Route

MANAGERS = frozenset({"manager", "admin"})

ROUTES = [
    Route("history.import_upload", MANAGERS),
    Route("history.import_upload", MANAGERS, method="POST", data=lambda w: {}),
    Route(
        "history.import_confirm",
        MANAGERS,
        method="POST",
        data=lambda w: {"token": "a" * 32},
    ),
    Route("history.import_template", MANAGERS),
]
