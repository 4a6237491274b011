"""Hooks through which other domains add to the session page: panels, shortcuts, completion.

Domains depend on scheduling, never the reverse; they register a callable here at import (like
indico's template_hook), so scheduling names none of their pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from flask import url_for
from flask_login import current_user
from markupsafe import Markup

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.scheduling.models import TrainingSession

T = TypeVar("T")


class SessionHook(Generic[T]):
    """Callables that each answer for one session what their domain adds (None: nothing)."""

    def __init__(self) -> None:
        self.entries: list[tuple[int, Callable[[TrainingSession], T | None]]] = []

    def register(
        self, source: Callable[[TrainingSession], T | None], order: int = 50
    ) -> Callable[[TrainingSession], T | None]:
        """Ask `source` on every session page, sorted by order (lower first)."""
        self.entries.append((order, source))
        self.entries.sort(key=lambda pair: pair[0])
        return source

    def collect(self, training_session: TrainingSession) -> list[T]:
        """Return what every registered source has to add for this session."""
        answers = (source(training_session) for _order, source in self.entries)
        return [answer for answer in answers if answer]


@dataclass(frozen=True)
class Shortcut:
    """A button at the head of the session page that opens another domain's page of it."""

    label: str
    url: str
    primary: bool = False


PANELS: SessionHook[Markup] = SessionHook()
SHORTCUTS: SessionHook[Shortcut] = SessionHook()
# The page that completes a session (attendance's, which decides who completed), if any.
COMPLETION_PAGES: SessionHook[str] = SessionHook()

register_panel = PANELS.register
render_panels = PANELS.collect
session_shortcuts = SHORTCUTS.collect
register_completion_page = COMPLETION_PAGES.register


def register_shortcut_to(
    endpoint: str,
    label: str,
    allowed: Callable[[User | None, TrainingSession], bool],
    *,
    primary: bool = False,
    order: int = 50,
) -> None:
    """Offer a button to the endpoint's page of the session to the users `allowed` admits."""

    def shortcut(training_session: TrainingSession) -> Shortcut | None:
        if not allowed(current_user, training_session):
            return None
        url = url_for(endpoint, training_session_id=training_session.id)
        return Shortcut(str(label), url, primary)

    SHORTCUTS.register(shortcut, order)


def completion_page(training_session: TrainingSession) -> str | None:
    """Return the URL that completes the session, or None when its status button does."""
    return next(iter(COMPLETION_PAGES.collect(training_session)), None)
