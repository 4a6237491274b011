from app.scheduling.services import issue_calendar_feed
from tests.access import EVERYONE_SIGNED_IN, PUBLIC, Route

# Both of the world's participants hold a place in its session; staff are not participants.
HOLDERS = frozenset({"owner", "participant"})

ROUTES = [
    Route("home.dashboard", EVERYONE_SIGNED_IN),
    Route(
        "home.own_session",
        HOLDERS,
        kwargs=lambda w: {"training_session_id": w.training_session.id},
    ),
    Route("home.calendar_feed_issue", EVERYONE_SIGNED_IN, method="POST"),
    Route(
        "home.calendar_feed_revoke",
        EVERYONE_SIGNED_IN,
        method="POST",
        data=lambda w: {"confirmed": "yes"},
    ),
    # The secret in the address is the key: anyone holding it reads the feed, without a login.
    Route(
        "home.calendar_feed",
        PUBLIC,
        kwargs=lambda w: {"token": issue_calendar_feed(w.users["trainer"])},
        anonymous_status=200,
    ),
]
