from tests.access import EVERYONE_SIGNED_IN, Route

ADMIN = frozenset({"admin"})


def _person(w) -> dict:
    return {"participant_id": w.owner_participant.id}


ROUTES = [
    # Everyone signed in downloads their own data (tests/privacy/test_views.py: only their own).
    Route("privacy.export_own", EVERYONE_SIGNED_IN, method="POST"),
    Route("privacy.participant_export", ADMIN, method="POST", kwargs=_person),
    Route("privacy.participant_erase", ADMIN, kwargs=_person),
    # An empty reason is refused with the form again: the walk never erases the world.
    Route(
        "privacy.participant_erase",
        ADMIN,
        method="POST",
        kwargs=_person,
        data=lambda w: {"reason": "", "confirmed": "y"},
    ),
]
