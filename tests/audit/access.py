from tests.access import Route

ADMIN = frozenset({"admin"})

ROUTES = [
    Route("audit.entry_list", ADMIN),
    Route("audit.entry_export", ADMIN),
]
