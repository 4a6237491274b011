"""Panels other domains add to the session page (enrolments, attendance, certificates).

Domains depend on scheduling, never the reverse; they register a callable here at import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    from app.scheduling.models import TrainingSession

Panel = Callable[["TrainingSession"], Markup | None]
_PANELS: list[tuple[int, Panel]] = []


def register_panel(panel: Panel, order: int = 50) -> Panel:
    """Show the panel's HTML on every session page, sorted by order (lower first)."""
    _PANELS.append((order, panel))
    _PANELS.sort(key=lambda pair: pair[0])
    return panel


def render_panels(training_session: TrainingSession) -> list[Markup]:
    """Return the HTML of every panel that has something to show for this session."""
    rendered = (panel(training_session) for _order, panel in _PANELS)
    return [html for html in rendered if html]
