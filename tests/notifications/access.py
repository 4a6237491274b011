from tests.access import Route

ADMIN = frozenset({"admin"})

ROUTES = [
    Route("notifications.email_list", ADMIN),
]
