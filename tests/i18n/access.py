from tests.access import PUBLIC, Route

ROUTES = [
    Route(
        "i18n.switch_language",
        PUBLIC,
        method="POST",
        data=lambda w: {"language": "fr", "next": "/"},
    ),
]
