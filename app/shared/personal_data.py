"""What each model holds about people, declared on the model, for data exports and erasure.

A model that stores personal data sets a class attribute:

    __personal_data__ = PersonalData(
        fields=("full_name", "email", "country_code"),
        erase={"full_name": lambda row: f"Erased person {row.id}", "email": None},
    )

`fields` are the columns that say something about a person; all of them go into the person's
data export (except `withheld` secrets). `erase` says what erasure writes into the columns it
wipes: a value, or a callable given the row. The other `fields` stay, because once the name,
addresses and free text are gone they are de-identified facts that the reach figures count
(country, agency type, completion, attendance). A model whose columns only look personal says
why it holds none in `holds_none`. This module knows no domain: it reads declarations and
applies them to whatever rows a caller gives it.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from sqlalchemy import inspect

Eraser = Callable[[Any], Any]


@dataclass(frozen=True)
class PersonalData:
    """A model's declaration: its personal columns, how they are exported and erased."""

    fields: tuple[str, ...] = ()
    erase: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    # Columns kept out of every export (password and token hashes, binary files sent apart).
    withheld: tuple[str, ...] = ()
    # A method of the row that returns its exported dict, when the model already has one.
    export_method: str | None = None
    # Dotted path of the function that erases these rows when a plain column value cannot
    # (the audit trail erases through its own service, the one writer allowed to change it).
    erased_by: str | None = None
    # Why a model whose column names look personal holds no personal data.
    holds_none: str = ""


def erased_name(row: Any) -> str:
    """Return the name erasure leaves: no one's, and unique, so erased people never look alike."""
    return f"Erased person {row.id}"


def erased_email(row: Any) -> str:
    """Return an address that is unique and can never receive mail (RFC 2606 .invalid)."""
    return f"erased-{row.id}@erased.invalid"


def unusable_secret(_row: Any) -> str:
    """Return a random stand-in for a token's hash, so that no link or token matches it again."""
    return secrets.token_hex(32)


def declaration(model: type) -> PersonalData | None:
    """Return the model's declaration, or None when it has not declared one."""
    return model.__dict__.get("__personal_data__")


def column_names(model: type) -> set[str]:
    """Return the attribute names of the model's mapped columns."""
    return {attr.key for attr in inspect(model).column_attrs}


def problems(model: type) -> list[str]:
    """Return what is wrong with a model's declaration (unknown columns, contradictions)."""
    spec = declaration(model)
    if spec is None:
        return [f"{model.__name__} has no __personal_data__ declaration"]
    columns = column_names(model)
    found = []
    named = {
        "fields": spec.fields,
        "erase": tuple(spec.erase),
        "withheld": spec.withheld,
    }
    for part, names in named.items():
        found += [
            f"{model.__name__}.{part} names {n!r}, not a column" for n in names if n not in columns
        ]
    found += [
        f"{model.__name__}.erase wipes {n!r}, which is not among its fields"
        for n in spec.erase
        if n not in spec.fields
    ]
    if spec.holds_none and (spec.fields or spec.erase):
        found.append(f"{model.__name__} says it holds none but declares fields")
    if not spec.holds_none and not spec.fields:
        found.append(f"{model.__name__} declares no fields and gives no holds_none reason")
    if spec.export_method and not callable(getattr(model, spec.export_method, None)):
        found.append(f"{model.__name__}.{spec.export_method} is not a method")
    return found


def _plain(value: Any) -> Any:
    """Turn a column value into something json.dumps writes."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def export_row(row: Any) -> dict[str, Any]:
    """Return one row as JSON-ready data: every column except the withheld ones."""
    spec = declaration(type(row))
    if spec is None:
        raise LookupError(f"{type(row).__name__} declares no personal data")
    if spec.export_method:
        return getattr(row, spec.export_method)()
    kept = [attr.key for attr in inspect(type(row)).column_attrs if attr.key not in spec.withheld]
    return {key: _plain(getattr(row, key)) for key in kept}


def export_rows(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Return every row exported, in the order given."""
    return [export_row(row) for row in rows]


def erase_row(row: Any) -> bool:
    """Write the declared replacements into a row's personal columns; say if it had any."""
    spec = declaration(type(row))
    if spec is None:
        raise LookupError(f"{type(row).__name__} declares no personal data")
    for key, replacement in spec.erase.items():
        setattr(row, key, replacement(row) if callable(replacement) else replacement)
    return bool(spec.erase)
