"""One way to change state: commit once, then run side effects; a broken rule rolls back.

Views and commands wrap their service calls in `unit_of_work()`. On success it commits, which
runs the after-commit queue (emails, jobs: app.shared.after_commit); on a DomainError it rolls
back and shows the message on the page; any other error rolls back and propagates (a 500).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

import click
from flask import flash

from app.extensions import db


class DomainError(Exception):
    """A rule of a domain was broken; the message is written for the person who asked."""


@dataclass
class Outcome:
    """What a unit of work came to: `ok` after its commit, else the error that undid it."""

    ok: bool = False
    error: DomainError | None = None


@contextmanager
def unit_of_work(*, show_error: bool = True) -> Iterator[Outcome]:
    """Commit the block's changes, or roll them back and flash the domain error."""
    outcome = Outcome()
    try:
        yield outcome
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        outcome.error = exc
        if show_error:
            flash(str(exc), "error")
    except BaseException:
        db.session.rollback()
        raise
    else:
        outcome.ok = True


@contextmanager
def _committed_or_raise(failure: Callable[[DomainError], Exception]) -> Iterator[None]:
    """Commit the block's work; on a broken rule roll back and raise what `failure` makes of it."""
    with unit_of_work(show_error=False) as outcome:
        yield
    if outcome.error is not None:
        raise failure(outcome.error)


def cli_unit_of_work() -> AbstractContextManager[None]:
    """Commit a command's work, or roll it back and exit non-zero naming the broken rule."""
    return _committed_or_raise(lambda error: click.ClickException(str(error)))


def checkpoint() -> AbstractContextManager[None]:
    """Commit a worker's work so far, so a killed worker resumes after it; a rule broken fails."""
    return _committed_or_raise(lambda error: error)
