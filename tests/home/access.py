from tests.access import EVERYONE_SIGNED_IN, Route

# Both of the world's participants hold a place in its session; staff are not participants.
HOLDERS = frozenset({"owner", "participant"})

ROUTES = [
    Route("home.dashboard", EVERYONE_SIGNED_IN),
    Route(
        "home.own_session",
        HOLDERS,
        kwargs=lambda w: {"training_session_id": w.training_session.id},
    ),
]
