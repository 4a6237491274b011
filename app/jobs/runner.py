"""Run a job inside an app context: the function RQ workers call for every job of this app."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_app_context
from werkzeug.utils import ImportStringError, import_string

from app.shared.unit_of_work import unit_of_work


def resolve(func_path: str) -> Callable[..., Any]:
    """Return the job function at func_path ("package.module.function"), or raise ValueError."""
    try:
        func = import_string(func_path)
    except ImportStringError as exc:
        raise ValueError(f"No job function at {func_path!r}") from exc
    if not callable(func):
        raise ValueError(f"{func_path!r} is not a function")
    return func


def run(func_path: str, *args, **kwargs) -> None:
    """Call the job function in a fresh app context and commit once, as a view would.

    The function works like a service (flush, never commit); a job that wants to keep
    progress through a long batch may commit along the way. It records its effects in the
    database and returns nothing RQ must keep. Any error rolls back and is raised again, so
    RQ records the failure and retries if the job asked for it.
    """
    app = current_app._get_current_object() if has_app_context() else _worker_app()
    # A fresh context gives the job its own session, apart from the caller's.
    with app.app_context(), unit_of_work(show_error=False) as outcome:
        resolve(func_path)(*args, **kwargs)
    if outcome.error is not None:
        raise outcome.error


@functools.cache
def _worker_app() -> Flask:
    """Build the app once per worker process, from the environment like `flask run`."""
    from app import create_app

    return create_app()
