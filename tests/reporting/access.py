from tests.access import Route

MANAGERS = frozenset({"manager", "admin"})

ROUTES = [
    Route("reporting.dashboard", MANAGERS),
    Route("reporting.country_detail", MANAGERS, kwargs=lambda w: {"country_code": "KE"}),
    Route("reporting.export", MANAGERS, kwargs=lambda w: {"table": "by_country", "fmt": "csv"}),
    Route("reporting.report_pdf_page", MANAGERS),
    Route("reporting.report_pdf", MANAGERS, method="POST"),
    Route("reporting.targets", MANAGERS),
    Route("reporting.targets", MANAGERS, method="POST", data=lambda w: {"countries": ["KE"]}),
    Route("reporting.targets_reset", MANAGERS, method="POST"),
    # The API reads only bearer tokens (never the session cookie): every visitor of the
    # permission walk sends none, so all of them get 401. Token cases: test_views.py.
    Route(
        "reporting.api_reach",
        frozenset(),
        anonymous_status=401,
        denied_status=401,
    ),
]
