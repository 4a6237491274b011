from tests.access import EVERYONE_SIGNED_IN, FOCAL_POINTS, SESSION_TEAM, STAFF, Route

SCHEDULERS = frozenset({"trainer", "other_trainer", "admin"})


def _ts(world) -> dict:
    return {"training_session_id": world.training_session.id}


ROUTES = [
    Route("scheduling.training_session_list", STAFF),
    # Participants and focal points are sent on to their own view of the session
    # (tests/home/access.py).
    Route(
        "scheduling.training_session_detail",
        STAFF | {"owner", "participant"} | FOCAL_POINTS,
        kwargs=_ts,
    ),
    Route("scheduling.training_session_create", SCHEDULERS),
    Route(
        "scheduling.training_session_create",
        SCHEDULERS,
        method="POST",
        data=lambda w: {"city": ""},
    ),
    Route("scheduling.training_session_edit", SESSION_TEAM, kwargs=_ts),
    Route(
        "scheduling.training_session_edit",
        SESSION_TEAM,
        method="POST",
        kwargs=_ts,
        data=lambda w: {"city": ""},
    ),
    Route("scheduling.training_session_duplicate", SESSION_TEAM, kwargs=_ts),
    Route(
        "scheduling.training_session_duplicate",
        SESSION_TEAM,
        method="POST",
        kwargs=_ts,
        data=lambda w: {"start_date": ""},
    ),
    Route("scheduling.agenda_edit", SESSION_TEAM, kwargs=_ts),
    Route(
        "scheduling.agenda_edit",
        SESSION_TEAM,
        method="POST",
        kwargs=_ts,
        data=lambda w: {"agenda-0-day": "1999-01-01", "agenda-0-course_module_id": ""},
    ),
    Route(
        "scheduling.training_session_status",
        SESSION_TEAM,
        method="POST",
        kwargs=_ts,
        data=lambda w: {"new_status": "cancelled", "reason": ""},
    ),
    Route("scheduling.overlap_check", SCHEDULERS),
    Route("scheduling.ical_open_sessions", EVERYONE_SIGNED_IN),
    Route("scheduling.ical_my_sessions", SCHEDULERS),
]
