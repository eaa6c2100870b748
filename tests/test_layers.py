"""The folders are the architecture: each layer imports only from the layers below it, and no two
modules import each other, directly or round a circle, at load time or inside a function.

Anyone can run the check alone: `python -m pytest tests/test_layers.py`.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("states", "workflow.base", "workflow.storage", "notifications", "workflow.files", "workflow.engine",
          "workflow.cli")
"""Bottom to top. `workflow.base` is the package's own clock and errors, which every layer may use."""
BASE = {"workflow", "workflow.clock", "workflow.errors"}


def modules() -> dict[str, Path]:
    out = {}
    for top in ("states", "workflow", "notifications"):
        for path in (ROOT / top).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """Every module of ours that `path` imports, wherever the import statement stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def layer(module: str) -> int:
    if module == "workflow.__main__":  # `python -m workflow`: the command line
        return LAYERS.index("workflow.cli")
    if module in BASE:
        return LAYERS.index("workflow.base")
    for i, prefix in reversed(list(enumerate(LAYERS))):
        if module == prefix or module.startswith(prefix + "."):
            return i
    raise AssertionError(f"{module} is in no layer")


def graph() -> dict[str, set[str]]:
    known = modules()
    return {m: {i for i in imports(p, known) if i != m and not m.startswith(i + ".")} for m, p in known.items()}


def test_each_layer_imports_only_from_below():
    upward = [f"{m} ({LAYERS[layer(m)]}) imports {i} ({LAYERS[layer(i)]})"
              for m, targets in graph().items() for i in sorted(targets) if layer(i) > layer(m)]
    assert not upward, "\n".join(upward)


def test_notifications_never_import_the_engine():
    g = graph()
    assert not [(m, i) for m, t in g.items() if m.startswith("notifications") for i in t
                if i.startswith(("workflow.engine", "workflow.cli"))]


def test_no_import_circle():
    g = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(g):
        if v not in index:
            visit(v)
    assert not circles, "\n".join(" ↔ ".join(c) for c in circles)
