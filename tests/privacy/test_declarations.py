"""Every model that holds personal data says so, with the columns it really has."""

from __future__ import annotations

import importlib

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.extensions import db
from app.shared.personal_data import PersonalData, column_names, declaration, problems
from tests import factories

# Words that, as one part of a column's name, suggest it says something about a person.
PERSONAL_WORDS = {
    "name",
    "email",
    "organisation",
    "phone",
    "note",
    "notes",
    "comment",
    "reason",
    "ip",
    "address",
    "holder",
    "signature",
    "gender",
    "token",
    "agent",
}


def _models(base=db.Model) -> list[type]:
    return sorted((mapper.class_ for mapper in base.registry.mappers), key=lambda m: m.__name__)


def _looks_personal(column: str) -> bool:
    return column == "job_title" or bool(PERSONAL_WORDS & set(column.split("_")))


def _undeclared(base=db.Model) -> list[str]:
    missing = []
    for model in _models(base):
        suspects = sorted(c for c in column_names(model) if _looks_personal(c))
        spec = declaration(model)
        if not suspects or (spec is not None and spec.holds_none):
            continue
        if spec is None:
            missing.append(f"{model.__name__} ({', '.join(suspects)})")
            continue
        left_out = [c for c in suspects if c not in spec.fields + spec.withheld]
        if left_out:
            missing.append(f"{model.__name__} leaves out {', '.join(left_out)}")
    return missing


def _problems(base=db.Model) -> list[str]:
    return [issue for model in _models(base) if declaration(model) for issue in problems(model)]


def test_the_walk_sees_every_domain(app):
    tables = {model.__tablename__ for model in _models()}
    assert {"users", "participants", "enrolments", "certificates", "audit_entries"} <= tables


def test_every_model_with_personal_looking_columns_declares_them(app):
    missing = _undeclared()
    assert not missing, "personal data without a declaration: " + "; ".join(missing)


def test_every_declaration_names_real_columns(app):
    found = _problems()
    assert not found, "; ".join(found)


def test_erasers_named_by_path_exist(app):
    for model in _models():
        spec = declaration(model)
        if spec and spec.erased_by:
            module, _, name = spec.erased_by.rpartition(".")
            assert callable(getattr(importlib.import_module(module), name)), spec.erased_by


# The checks themselves, on a registry of their own (never the app's metadata).
class _Base(DeclarativeBase):
    pass


class _Undeclared(_Base):
    __tablename__ = "undeclared"
    id: Mapped[int] = mapped_column(primary_key=True)
    phone_number: Mapped[str] = mapped_column(String(20))


class _Misnamed(_Base):
    __tablename__ = "misnamed"
    __personal_data__ = PersonalData(fields=("full_name",), erase={"fullname": None})
    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(String(20))


def test_the_checks_catch_a_missing_declaration_and_a_wrong_column():
    assert _undeclared(_Base) == [
        "_Misnamed leaves out comment",
        "_Undeclared (phone_number)",
    ]
    assert _problems(_Base) == [
        "_Misnamed.erase names 'fullname', not a column",
        "_Misnamed.erase wipes 'fullname', which is not among its fields",
    ]


# Tables with personal data that records_of does not gather, and who looks after them instead.
GATHERED_ELSEWHERE = {
    "audit_entries": "exported and erased through app.audit (entries_about, erase_personal_data)",
    "rendered_documents": "short-lived PDFs, discarded on erasure (documents' own service)",
    "history_imports": "a staff member's upload run; its row errors quote a file, not one person",
}


def test_every_table_with_personal_data_is_gathered_for_a_person(app):
    from app.privacy.services import Person, records_of

    user = factories.make_user(roles=("participant",), email="gathered@example.org")
    participant = factories.make_participant("Gathered Person", user=user, email=user.email)
    person = Person(user, participant)
    declared = {
        model.__tablename__
        for model in _models()
        if declaration(model) is not None and not declaration(model).holds_none
    }
    gathered = set(records_of(person).tables)
    assert declared - gathered - set(GATHERED_ELSEWHERE) == set()
    assert set(GATHERED_ELSEWHERE) <= declared
