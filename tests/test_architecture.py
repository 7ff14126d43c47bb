"""The direction of imports between kehoach's packages (docs/architecture.md): an AST walk over src/.

Every import of one kehoach module by another is read, at the top of a file or inside a function. An
import may only point down the layers, no modules may import each other in a ring, and an import
hides inside a function only where start-up needs it.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "kehoach"

# Lower number = lower layer. A module may import its own package and any package with a lower number.
# documents/ (plans read from Word, PDF or text), word/ (the report and letters in Word) and html/ (the
# leaders' page) sit beside excel/: each reads or writes one kind of office file, and none imports another.
LAYERS = {"errors": 0, "domain": 1, "store": 2, "git": 3, "render": 4, "excel": 5, "documents": 5, "word": 5,
          "html": 5, "commands": 6, "cli": 7, "__main__": 8}

# Imports inside functions outside cli/ are there for start-up only: the modules that load the YAML
# parser are imported when a file has to be parsed, so a command answered from the caches never pays
# for PyYAML. cli/ imports each command's modules when that command runs, for the same reason.
LAZY_FOR_STARTUP = {"store.yamlio", "store.plan_reader"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__") or "__init__"


def kehoach_imports(path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import of a kehoach module in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and child.module and child.module.split(".")[0] == "kehoach":
                base = child.module.removeprefix("kehoach").lstrip(".")
                for alias in child.names:
                    target = f"{base}.{alias.name}" if base else alias.name
                    if not (SRC / (target.replace(".", "/") + ".py")).exists() and base:
                        target = base
                    found.append((target, child.lineno, in_function))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("kehoach."):
                        found.append((alias.name.removeprefix("kehoach."), child.lineno, in_function))
            visit(child, nested)

    visit(tree, False)
    return found


def layer(module: str) -> int | None:
    return LAYERS.get(module.split(".")[0])


def all_edges() -> dict[tuple[str, str], list[int]]:
    edges: dict[tuple[str, str], list[int]] = {}
    for path in sorted(SRC.rglob("*.py")):
        source = module_name(path)
        for target, line, _ in kehoach_imports(path):
            if target != "__version__":
                edges.setdefault((source, target), []).append(line)
    return edges


def upward(source: str, target: str) -> bool:
    low, high = layer(target), layer(source)
    if low is None or high is None or source.split(".")[0] == target.split(".")[0]:
        return False
    return low >= high


def test_every_package_has_a_layer() -> None:
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    modules = {p.stem for p in SRC.glob("*.py")} - {"__init__"}
    assert packages | modules <= set(LAYERS)


def test_imports_point_down_the_layers() -> None:
    found = sorted(edge for edge in all_edges() if upward(*edge))
    assert not found, f"imports that point up the layers (docs/architecture.md): {found}"


def test_imports_inside_functions_only_where_start_up_needs_them() -> None:
    hidden = sorted((module_name(path), target, line) for path in sorted(SRC.rglob("*.py"))
                    for target, line, nested in kehoach_imports(path)
                    if nested and not module_name(path).startswith("cli.") and target not in LAZY_FOR_STARTUP)
    assert not hidden, f"import at the top of the file (a cycle is broken by moving code, not hiding it): {hidden}"


def libraries(path: Path) -> set[str]:
    """The top-level names of every module one file imports, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    return {name.split(".")[0] for name in names}


def test_typer_only_in_cli() -> None:
    for path in sorted(SRC.rglob("*.py")):
        if module_name(path).startswith("cli."):
            continue
        assert not libraries(path) & {"typer", "click"}, path


def test_domain_is_pure() -> None:
    forbidden = {"os", "subprocess", "marshal", "tempfile", "yaml", "openpyxl", "rich", "typer", "tabulate"}
    for path in sorted((SRC / "domain").rglob("*.py")):
        assert not libraries(path) & forbidden, (path.name, libraries(path) & forbidden)


def test_the_walk_sees_imports_inside_functions() -> None:
    # The check is only worth something if it reads the imports that hide from a top-level scan.
    inside = [t for t, _, nested in kehoach_imports(SRC / "cli" / "report_command.py") if nested]
    assert "commands.report" in inside


def cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), imports in functions included."""
    graph: dict[str, set[str]] = {}
    for source, target in all_edges():
        graph.setdefault(source, set()).add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(found)


def test_no_import_cycle() -> None:
    assert cycles() == []
