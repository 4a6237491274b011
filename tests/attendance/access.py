from tests.access import PUBLIC, SESSION_TEAM, Route

VIEWERS = SESSION_TEAM | {"manager"}


def _session(w) -> dict:
    return {"training_session_id": w.training_session.id}


def _day(w) -> dict:
    return {**_session(w), "day": w.training_session.start_date.isoformat()}


ROUTES = [
    Route("attendance.roll_call_today", SESSION_TEAM, kwargs=_session),
    Route("attendance.roll_call", SESSION_TEAM, kwargs=_day),
    Route(
        "attendance.mark",
        SESSION_TEAM,
        method="POST",
        kwargs=lambda w: {**_day(w), "enrolment_id": w.enrolment.id},
        data=lambda w: {"status": "late"},
    ),
    Route(
        "attendance.mark_all",
        SESSION_TEAM,
        method="POST",
        kwargs=_day,
        data=lambda w: {"status": "present"},
    ),
    Route(
        "attendance.record_marks",
        SESSION_TEAM,
        method="POST",
        kwargs=_session,
        json=lambda w: [],  # an empty batch: kept (nothing to keep) once allowed
    ),
    Route("attendance.roll_call_worker", PUBLIC, anonymous_status=200),
    Route("attendance.sign_in_sheet_page", VIEWERS, kwargs=_day),
    Route("attendance.sign_in_sheet", VIEWERS, method="POST", kwargs=_day),
    Route("attendance.session_summary", VIEWERS, kwargs=_session),
    Route("attendance.csv_template", SESSION_TEAM, kwargs=_session),
    Route("attendance.upload", SESSION_TEAM, kwargs=_session),
    Route("attendance.upload", SESSION_TEAM, method="POST", kwargs=_session),
    Route(
        "attendance.upload_confirm",
        SESSION_TEAM,
        method="POST",
        kwargs=_session,
        data=lambda w: {"content": "day,status\n"},
    ),
    Route("attendance.complete_session", SESSION_TEAM, kwargs=_session),
    Route("attendance.complete_session", SESSION_TEAM, method="POST", kwargs=_session),
    Route(
        "attendance.override_completion",
        SESSION_TEAM,
        kwargs=lambda w: {**_session(w), "enrolment_id": w.enrolment.id},
    ),
    Route(
        "attendance.override_completion",
        SESSION_TEAM,
        method="POST",
        kwargs=lambda w: {**_session(w), "enrolment_id": w.enrolment.id},
        data=lambda w: {"completed": "yes", "reason": "Attended the make-up day."},
    ),
]
