from tests.access import FOCAL_POINTS, Route

# The session's trainer, programme managers and administrators manage its call.
CALL_STAFF = frozenset({"trainer", "manager", "admin"})


def _ts(world) -> dict:
    return {"training_session_id": world.training_session.id}


def _call(world) -> dict:
    return {"call_id": world.call.id}


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
]
