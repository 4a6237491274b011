"""The permission table's vocabulary, shared by every domain's tests/<domain>/access.py.

Each domain lists its routes as Route entries; tests/test_access.py walks every route for
every kind of visitor and fails if an endpoint of the app is missing from the lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

# Visitors: nobody signed in; a participant who owns the world's records; another participant;
# the trainer assigned to the world's session; a trainer who is not; a manager; an admin; the
# national focal point of the owner's country (Kenya) and one of another country (Uganda); the
# Kenya focal point's deputy.
VISITORS = (
    "anonymous",
    "owner",
    "participant",
    "trainer",
    "other_trainer",
    "manager",
    "admin",
    "focal_point",
    "other_focal_point",
    "deputy",
)
# A visitor who acts for another gets exactly what that one gets on every route, so the
# domains' tables never name them.
SAME_AS = {"deputy": "focal_point"}
FOCAL_POINTS = frozenset({"focal_point", "other_focal_point"})
STAFF = frozenset({"trainer", "other_trainer", "manager", "admin"})
SESSION_TEAM = frozenset({"trainer", "admin"})
EVERYONE_SIGNED_IN = frozenset(VISITORS) - {"anonymous"}
PUBLIC = frozenset(VISITORS)


@dataclass(frozen=True)
class Route:
    """One endpoint, how to call it, and which visitors may use it."""

    endpoint: str
    allowed: frozenset[str]
    method: str = "GET"
    kwargs: Callable[[SimpleNamespace], dict] = field(default=lambda world: {})
    data: Callable[[SimpleNamespace], dict] | None = None
    json: Callable[[SimpleNamespace], object] | None = None  # a JSON body instead of a form
    denied_status: int = 403  # what a signed-in visitor without access gets (404 hides objects)
    anonymous_status: int = 302  # 302 to the login page for pages, 401 for the API

    def __post_init__(self) -> None:
        """Give each stand-in exactly the access of the visitor they act for (SAME_AS)."""
        allowed = set(self.allowed) - set(SAME_AS)
        allowed |= {stand_in for stand_in, principal in SAME_AS.items() if principal in allowed}
        object.__setattr__(self, "allowed", frozenset(allowed))

    def __str__(self) -> str:
        return f"{self.method} {self.endpoint}"
