"""Strict parsing of ids and numbers in URLs, query strings and forms, and a NUL-byte guard.

Python's int() reads "١٢" and "１２" as 12 and has no upper bound, while an INTEGER column
(SQLAlchemy's Integer, 32-bit on PostgreSQL) holds at most 2**31 - 1: unchecked, such values
either reach a record under a second address or bring the page down when the database refuses
them. Here they are refused where they enter.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from flask import Flask, request
from flask.wrappers import Request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

INTEGER_MAX = 2**31 - 1  # the primary keys and counts are INTEGER columns
ASCII_INTEGER = re.compile(r"-?[0-9]+")


class IdConverter(IntegerConverter):
    """Match a record id in a path: ASCII digits, 1 to INTEGER_MAX; anything else is a 404."""

    regex = r"[0-9]+"  # \d would also match Arabic-Indic and fullwidth digits

    def __init__(self, url_map, **kwargs: Any) -> None:
        super().__init__(url_map, **{"min": 1, "max": INTEGER_MAX, **kwargs})


class FieldRefused(BadRequest):
    """A 400 whose message names the field, shown as is on pages and in the API."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(_("%(field)s: %(reason)s", field=field, reason=reason))
        self.field = field


def is_record_id(value: str) -> bool:
    """Return whether a text is an id an INTEGER key can hold (ASCII digits, 1 to INTEGER_MAX)."""
    return value.isascii() and value.isdigit() and 1 <= int(value) <= INTEGER_MAX


def parse_integer(field: str, value: str) -> int:
    """Read a whole number written in ASCII digits that fits an INTEGER column, or refuse it."""
    if not ASCII_INTEGER.fullmatch(value) or abs(int(value)) > INTEGER_MAX:
        raise FieldRefused(field, _("expected a whole number up to %(max)d", max=INTEGER_MAX))
    return int(value)


def parse_float(field: str, value: str) -> float:
    """Read a finite decimal number (no NaN or infinity), or refuse it."""
    try:
        number = float(value)
    except ValueError:
        raise FieldRefused(field, _("expected a number")) from None
    if not math.isfinite(number):
        raise FieldRefused(field, _("expected a finite number"))
    return number


class StrictArgs(ImmutableMultiDict):
    """Query and form values whose get(type=int|float) refuses what int() or float() would bend.

    Werkzeug's get(key, type=int) returns the default for text that int() refuses, and the
    number for "١٢" or a 30-digit id. An empty value still gives the default; any other value
    must be a plain, in-range number or the request is refused naming the field.
    """

    # `type` keeps Werkzeug's keyword: every view calls get(key, type=int).
    def get(self, key: str, default: Any = None, type: Callable | None = None) -> Any:
        """Return the value converted by `type`, strictly for int and float."""
        if type not in (int, float) or key not in self:
            return super().get(key, default, type)
        value = self[key]
        if value == "":
            return default
        return parse_integer(key, value) if type is int else parse_float(key, value)


class StrictRequest(Request):
    """The app's request: strict number parsing for query strings and forms."""

    parameter_storage_class = StrictArgs


def refuse_nul_bytes() -> None:
    """Refuse a NUL byte in any path part, query or form field: PostgreSQL text cannot hold it."""
    sources = (request.view_args or {}, request.args, request.form)
    for source in sources:
        for key in source:
            values = [source[key]] if source is request.view_args else source.getlist(key)
            if "\x00" in key or any("\x00" in str(value) for value in values):
                raise FieldRefused(key.replace("\x00", ""), _("contains a NUL character"))


def init_app(app: Flask) -> None:
    """Use strict ids in every route, strict numbers in every request, and refuse NUL bytes."""
    app.url_map.converters["int"] = IdConverter
    app.request_class = StrictRequest
    app.before_request(refuse_nul_bytes)
