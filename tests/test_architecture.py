"""The house rules that reading the code would otherwise have to check (issue 10).

import-linter (make test runs `lint-imports`) keeps the layers' arrows pointing down; these
tests keep views thin: they load with load_or_abort, call services and commit with unit_of_work.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

APP = Path(__file__).parent.parent / "app"
VIEWS = sorted(APP.glob("*/*views.py"))  # views.py and a domain's other view modules
# What only services and query functions do: build queries and touch the session.
QUERY_CALLS = {"select", "insert", "update", "delete", "get_or_404", "first_or_404"}
SESSION_METHODS = {
    "add", "add_all", "delete", "execute", "scalar", "scalars", "get", "commit", "flush",
    "query", "merge",
}  # fmt: skip


def _offences(path: Path) -> list[str]:
    offences = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id in QUERY_CALLS:
            offences.append(f"{path.name}:{node.lineno} {function.id}()")
        elif isinstance(function, ast.Attribute):
            owner = function.value
            if function.attr in QUERY_CALLS and isinstance(owner, ast.Name) and owner.id == "db":
                offences.append(f"{path.name}:{node.lineno} db.{function.attr}()")
            elif (
                function.attr in SESSION_METHODS
                and isinstance(owner, ast.Attribute)
                and owner.attr == "session"
                and isinstance(owner.value, ast.Name)
                and owner.value.id == "db"
            ):
                offences.append(f"{path.name}:{node.lineno} db.session.{function.attr}()")
    return offences


@pytest.mark.parametrize("path", VIEWS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_views_neither_query_nor_write(path):
    offences = _offences(path)
    assert not offences, f"{path.parent.name}/views.py does a service's work: " + ", ".join(
        offences
    )


def _routes(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Call)
            and isinstance(d.func, ast.Attribute)
            and d.func.attr in {"get", "post", "route"}
            for d in node.decorator_list
        ):
            yield node


@pytest.mark.parametrize("path", VIEWS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_routes_are_short(path):
    long_routes = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in _routes(path)
        if node.end_lineno - node.lineno + 1 > 25
    ]
    assert not long_routes, f"{path.parent.name}/views.py: " + ", ".join(long_routes)


def test_the_import_diagram_in_docs_is_current():
    script = APP.parent / "tools" / "import_graph.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
