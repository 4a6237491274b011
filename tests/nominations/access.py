from tests.access import FOCAL_POINTS, Route

# The session's trainer, programme managers and administrators manage its call.
CALL_STAFF = frozenset({"trainer", "manager", "admin"})
KENYA_FOCAL = frozenset({"focal_point"})  # the focal point of the world's nominee's country


def _ts(world) -> dict:
    return {"training_session_id": world.training_session.id}


def _call(world) -> dict:
    return {"call_id": world.call.id}


def _nothing(world) -> dict:
    return {}


def _nomination(world) -> dict:
    return {"nomination_id": world.nomination.id}


ROUTES = [
    Route("nominations.call_edit", CALL_STAFF, kwargs=_ts),
    Route(
        "nominations.call_edit",
        CALL_STAFF,
        method="POST",
        kwargs=_ts,
        data=lambda w: {"deadline": ""},
    ),
    Route("nominations.call_review", CALL_STAFF, kwargs=_call),
    Route("nominations.call_report_csv", CALL_STAFF, kwargs=_call),
    # Someone else's nominee is not even confirmed to exist (404), for another country's focal
    # point above all.
    Route(
        "nominations.nomination_move",
        CALL_STAFF,
        method="POST",
        kwargs=_nomination,
        data=lambda w: {"target": "under_review"},
        denied_status=404,
    ),
    Route(
        "nominations.vetting_record",
        CALL_STAFF,
        method="POST",
        kwargs=_nomination,
        data=lambda w: {"outcome": ""},
        denied_status=404,
    ),
    # Both countries are invited: each focal point reads the call (their own nominees only).
    Route("nominations.focal_call", CALL_STAFF | FOCAL_POINTS, kwargs=_call),
    Route("nominations.my_nominations", frozenset({"owner", "participant"})),
    # The focal point's own pages: both countries are invited, so both focal points nominate.
    Route("nominations.focal_calls", FOCAL_POINTS),
    Route("nominations.focal_nominate", FOCAL_POINTS, kwargs=_call),
    Route("nominations.focal_nominate", FOCAL_POINTS, method="POST", kwargs=_call, data=_nothing),
    Route("nominations.focal_nominate_new", FOCAL_POINTS, kwargs=_call),
    Route(
        "nominations.focal_nominate_new", FOCAL_POINTS, method="POST", kwargs=_call, data=_nothing
    ),
    # Kenya's nominee is Kenya's focal point's alone to move; to anyone else it does not exist.
    Route(
        "nominations.focal_move",
        KENYA_FOCAL,
        method="POST",
        kwargs=_nomination,
        data=lambda w: {"target": "endorsed"},
        denied_status=404,
    ),
    Route(
        "nominations.focal_priority",
        KENYA_FOCAL,
        method="POST",
        kwargs=_nomination,
        data=lambda w: {"target": "down"},
        denied_status=404,
    ),
    # Only the nominee answers their own place.
    Route(
        "nominations.nominee_answer",
        frozenset({"owner"}),
        method="POST",
        kwargs=_nomination,
        data=lambda w: {"target": "confirmed"},
        denied_status=404,
    ),
]
