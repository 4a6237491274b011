from tests.access import EVERYONE_SIGNED_IN, SESSION_TEAM, Route

# The whole directory (anyone, merges) is the programme's; trainers see their sessions' people.
DIRECTORY = frozenset({"manager", "admin"})
PEOPLE_PAGES = frozenset({"trainer", "other_trainer", "manager", "admin"})
PERSON_KEEPERS = DIRECTORY | {"trainer"}  # the world's person is in the assigned trainer's session
SESSION_VIEWERS = SESSION_TEAM | {"manager"}
PARTICIPANTS = frozenset({"owner", "participant"})


def _ts(w) -> dict:
    return {"training_session_id": w.training_session.id}


def _person(w) -> dict:
    return {"participant_id": w.other_participant.id}


ROUTES = [
    Route("enrolment.participant_list", PEOPLE_PAGES),
    Route("enrolment.participant_create", DIRECTORY),
    Route("enrolment.participant_create", DIRECTORY, method="POST", data=lambda w: {}),
    Route("enrolment.participant_detail", PERSON_KEEPERS, kwargs=_person),
    Route("enrolment.participant_edit", PERSON_KEEPERS, kwargs=_person),
    Route(
        "enrolment.participant_edit",
        PERSON_KEEPERS,
        method="POST",
        kwargs=_person,
        data=lambda w: {},
    ),
    Route("enrolment.participant_invite", PERSON_KEEPERS, method="POST", kwargs=_person),
    Route("enrolment.participant_merge", DIRECTORY, kwargs=_person),
    Route(
        "enrolment.participant_merge",
        DIRECTORY,
        method="POST",
        kwargs=_person,
        data=lambda w: {"other_id": "", "keep": "this"},
    ),
    Route("enrolment.session_enrolments", SESSION_VIEWERS, kwargs=_ts),
    Route(
        "enrolment.enrolment_export",
        SESSION_VIEWERS,
        kwargs=lambda w: {**_ts(w), "fmt": "csv"},
    ),
    Route(
        "enrolment.enrolment_export",
        SESSION_VIEWERS,
        kwargs=lambda w: {**_ts(w), "fmt": "xlsx"},
    ),
    Route(
        "enrolment.enrolment_add",
        SESSION_TEAM,
        method="POST",
        kwargs=_ts,
        data=lambda w: {"participant_id": w.other_participant.id},
    ),
    Route(
        "enrolment.enrolment_approve",
        SESSION_TEAM,
        method="POST",
        kwargs=lambda w: {"enrolment_id": w.other_enrolment.id},
    ),
    Route(
        "enrolment.enrolment_decline",
        SESSION_TEAM,
        method="POST",
        kwargs=lambda w: {"enrolment_id": w.other_enrolment.id},
        data=lambda w: {"reason": "x", "confirmed": "yes"},
    ),
    Route(
        "enrolment.enrolment_withdraw",
        SESSION_TEAM,
        method="POST",
        kwargs=lambda w: {"enrolment_id": w.other_enrolment.id},
        data=lambda w: {"confirmed": "yes"},
    ),
    Route(
        "enrolment.enrolment_bulk",
        SESSION_TEAM,
        method="POST",
        kwargs=_ts,
        data=lambda w: {
            "action": "withdraw",
            "enrolment_ids": [w.other_enrolment.id],
            "confirmed": "yes",
        },
    ),
    Route("enrolment.enrolment_upload", SESSION_TEAM, kwargs=_ts),
    Route("enrolment.enrolment_upload", SESSION_TEAM, method="POST", kwargs=_ts, data=lambda w: {}),
    Route(
        "enrolment.enrolment_upload_confirm",
        SESSION_TEAM,
        method="POST",
        kwargs=_ts,
        data=lambda w: {"token": "unknown"},
    ),
    Route("enrolment.open_sessions", EVERYONE_SIGNED_IN),
    Route("enrolment.request_place", PARTICIPANTS, method="POST", kwargs=_ts),
    # Only the owner of the enrolment may withdraw it; everyone else is told it does not exist.
    Route(
        "enrolment.withdraw_own",
        frozenset({"owner"}),
        method="POST",
        kwargs=lambda w: {"enrolment_id": w.enrolment.id},
        data=lambda w: {"confirmed": "yes"},
        denied_status=404,
    ),
    # The owner or the session's team may try to undo; a missing token is refused with a message.
    Route(
        "enrolment.undo_withdrawal",
        SESSION_TEAM | {"owner"},
        method="POST",
        kwargs=lambda w: {"enrolment_id": w.enrolment.id},
        data=lambda w: {"token": ""},
        denied_status=404,
    ),
    Route("enrolment.my_trainings", PARTICIPANTS),
]
