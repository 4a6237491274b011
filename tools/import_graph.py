"""Draw the layers and the imports between app's packages into docs/architecture.md.

The picture is generated from the code (grimp, the graph import-linter checks), so it cannot
drift: `python tools/import_graph.py` rewrites the diagram between the markers, and
`python tools/import_graph.py --check` (run by the tests) fails when it is out of date.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- import-graph:begin -->", "<!-- import-graph:end -->"


def layers() -> list[list[str]]:
    """Return the layers contract of pyproject.toml, top first, each a list of package names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers")
    return [[name.strip() for name in layer.split("|")] for layer in contract["layers"]]


def package_imports(packages: list[str]) -> set[tuple[str, str]]:
    """Return (importer, imported) pairs between the packages, type-checking imports left out."""
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("app", exclude_type_checking_imports=True)

    def owner(module: str) -> str | None:
        return next((p for p in packages if module == p or module.startswith(p + ".")), None)

    edges = set()
    for module in graph.modules:
        importer = owner(module)
        for imported_module in graph.find_modules_directly_imported_by(module):
            imported = owner(imported_module)
            if importer and imported and importer != imported:
                edges.add((importer, imported))
    return edges


def diagram() -> str:
    """Return the Mermaid diagram: one row per layer, an arrow for each package import."""
    stack = layers()
    packages = [name for layer in stack for name in layer]
    lines = ["```mermaid", "flowchart TB"]
    for number, layer in enumerate(stack):
        lines.append(f'  subgraph L{number}[" "]')
        lines.append("    direction LR")
        lines.extend(f"    {name.removeprefix('app.')}" for name in layer)
        lines.append("  end")
    for importer, imported in sorted(package_imports(packages)):
        lines.append(f"  {importer.removeprefix('app.')} --> {imported.removeprefix('app.')}")
    lines.append("```")
    return "\n".join(lines)


def main() -> int:
    """Rewrite the diagram, or with --check say whether the committed one is current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the diagram is stale")
    args = parser.parse_args()
    text = DOC.read_text()
    before, rest = text.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    updated = f"{before}{BEGIN}\n{diagram()}\n{END}{after}"
    if args.check:
        if updated != text:
            print("docs/architecture.md: the import diagram is stale; run tools/import_graph.py")
            return 1
        return 0
    DOC.write_text(updated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
