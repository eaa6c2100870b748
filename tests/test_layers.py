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


# The rule book is states/, whole: outside it no citation of the bases or the law, no role used as
# a permission, no label that states a number of the call (they come from the call file).
OUTSIDE = [p for top in ("workflow", "notifications") for p in (ROOT / top).rglob("*.py")
           if "migrations" not in p.parts and p.name not in ("demo.py", "demo_data.py")]
"""The demonstration's fictional data (a decree and a resolution it invents) is data, not a rule."""
TEMPLATES = sorted((ROOT / "templates").glob("*.j2"))
ROLE = r"[\"'](ues|evaluador|comite|direccion|monitor|admin)[\"']"


def _hits(pattern: str, paths) -> list[str]:
    import re

    rx = re.compile(pattern)
    return [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in paths
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if rx.search(line)]


def test_no_source_of_the_bases_outside_the_rule_book():
    from states.definition import CITA

    assert not _hits(CITA.pattern, [*OUTSIDE, *TEMPLATES])


def test_no_role_used_as_a_permission_outside_the_rule_book():
    compared = rf"\brol\w*\s*(==|!=|not in|in)\s*[(\[]?\s*{ROLE}|{ROLE}\s*(==|!=)\s*\w*rol\b"
    listed = rf"[(\[]\s*{ROLE}\s*,\s*{ROLE}"
    assert not _hits(compared, OUTSIDE) and not _hits(listed, OUTSIDE)


def test_no_label_outside_the_rule_book_states_a_number_of_the_call():
    """A percentage closed by `;` is a style sheet's length (`width: 100%;`), not a label."""
    assert not _hits(r"\b\d+\s*(días|dias|meses|años|plazas|puntos|por ciento)\b|\d\s*%(?![};])", [*OUTSIDE, *TEMPLATES])


def test_the_module_map_names_every_folder_of_the_code():
    import re

    readme = (ROOT / "docs" / "arquitectura.md").read_text(encoding="utf-8")
    mapa = readme[readme.index("## Cómo está hecho"):]
    mapa = mapa[:mapa.index("\n## ", 3)]
    folders = {f"{p.relative_to(ROOT)}/" for top in ("workflow", "states", "notifications")
               for p in [ROOT / top, *(ROOT / top).rglob("*")]
               if p.is_dir() and not {"__pycache__", "versions"} & set(p.parts)}
    named = set(re.findall(r"`((?:workflow|states|notifications)(?:/\w+)*/)`", mapa))
    assert folders - named == set(), "folders the map does not name"
    assert named - folders == set(), "folders the map names that do not exist"



def book_names() -> dict[str, str]:
    """Every state, event, deadline kind and message kind a registered book declares, with what it is.
    What every call shares is not a book's: the ledger's row states and operations, the installation's
    own messages, the portfolio's money lines."""
    from states.books import all_books
    from states.cartera import CONCEPTOS
    from states.mensajes import INSTALACION
    from states.plazos import ESTADOS_PLAZO, OPERACIONES
    shared = {m.tipo for m in INSTALACION} | set(ESTADOS_PLAZO) | {o.accion for o in OPERACIONES} | {k for k, _ in CONCEPTOS}
    out: dict[str, str] = {}
    for b in all_books():
        for ciclo in (b.ciclo, b.informe):
            if ciclo is None:
                continue
            out.update({s.nombre: f"estado de {b.nombre}" for s in ciclo.estados})
            out.update({e.nombre: f"evento de {b.nombre}" for e in ciclo.eventos})
        out.update({k.tipo: f"plazo de {b.nombre}" for k in b.plazos.tipos})
        out.update({m.tipo: f"mensaje de {b.nombre}" for m in b.mensajes})
    return {k: v for k, v in out.items() if k not in shared}


def test_the_engine_names_no_state_event_deadline_or_message_of_any_book():
    """`workflow/` and `notifications/` execute books: a string constant equal to a name a registered
    book declares is that book's rule living in the engine (read from the books, not from a regex)."""
    names = book_names()
    found: dict[tuple[str, str], list[str]] = {}
    for top in ("workflow", "notifications"):
        for path in sorted((ROOT / top).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names:
                    where = str(path.relative_to(ROOT))
                    found.setdefault((where, node.value), []).append(
                        f"{where}:{node.lineno} «{node.value}» ({names[node.value]})")
    assert not found, "\n".join(line for key in sorted(found) for line in found[key])


def test_the_engine_imports_no_book():
    """Nor does it import a book's package: it reaches a book through the call (states.books)."""
    from states.books import REGISTRADOS

    paquetes = tuple(REGISTRADOS.values())
    found = []
    for top in ("workflow", "notifications"):
        for path in sorted((ROOT / top).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                    [a.name for a in node.names] if isinstance(node, ast.Import) else []
                found += [f"{path.relative_to(ROOT)}:{node.lineno} importa {m}" for m in modules
                          if m.startswith(paquetes)]
    assert not found, "\n".join(found)
