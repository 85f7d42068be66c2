"""No import cycles inside ``hpt_gui``: not at module level, and not through the imports
written inside functions either (a cycle there works until someone moves an import to the
top, and it means two modules cannot be understood or changed apart).

The imports are read with ``ast`` from every module's source (every ``import`` and
``from ... import`` anywhere in the file, relative ones resolved), so nothing is imported
to check them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "hpt_gui"  # this checkout's sources

# Cycles that another branch removes. Each entry is a set of modules that may form one
# cycle together, and no more than that; remove the entry once its branch is merged.
KNOWN_CYCLES: list[frozenset[str]] = []  # none: a new cycle is a failure


def modules(package: Path) -> dict[str, tuple[Path, bool]]:
    """Each module's dotted name -> (its file, whether it is a package's ``__init__``)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = (path, is_package)
    return found


def _known(name: str, names: Mapping[str, object]) -> str | None:
    """The module ``name`` names, or its longest prefix that is one of ours."""
    while name:
        if name in names:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(name: str, path: Path, is_package: bool,
               names: Mapping[str, object]) -> set[str]:
    """The modules of ours that ``name`` imports anywhere in its file. ``from p import x``
    imports ``p.x`` when that is a module, else ``p`` (as ``import-linter`` reads it)."""
    here = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = here.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in names else base
                       for alias in node.names]
        else:
            continue
        found.update(t for t in (_known(target, names) for target in targets) if t)
    found.discard(name)
    return found


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports."""
    names = modules(package)
    return {name: imports_of(name, path, is_package, names)
            for name, (path, is_package) in names.items()}


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan's algorithm, without
    recursion): each is one or more cycles through all of its modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def describe(group: list[str], graph: Mapping[str, Iterable[str]]) -> str:
    """A group as its modules and the imports between them, one per line."""
    members = set(group)
    lines = [f"  {a} -> {b}" for a in group for b in sorted(set(graph[a]) & members)]
    return "cycle between " + ", ".join(group) + ":\n" + "\n".join(lines)


def test_no_module_imports_itself_back_through_others():
    graph = import_graph(PACKAGE)
    assert "hpt_gui.core.runner" in graph and "hpt_gui.ui.plots.render" in graph
    found = [group for group in cycles(graph)
             if not any(set(group) <= known for known in KNOWN_CYCLES)]
    assert not found, "\n\n".join(describe(group, graph) for group in found)


def test_the_finder_sees_relative_and_function_level_cycles(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("from .sub import b\n")
    (package / "sub" / "b.py").write_text("def f():\n    from ..c import g\n")
    (package / "c.py").write_text("import pkg.a\ng = 1\n")
    (package / "d.py").write_text("from . import a\n")  # into the cycle, not part of it
    graph = import_graph(package)
    assert graph["pkg.a"] == {"pkg.sub.b"} and graph["pkg.sub.b"] == {"pkg.c"}
    assert cycles(graph) == [["pkg.a", "pkg.c", "pkg.sub.b"]]
