"""A case as the read commands show it: its row, and every event with whether it may fire now and,
if not, why. Read through workflow/storage/plain.py, so that `ver` needs no SQLAlchemy; the
commands that write load their cases here too, inside their transaction."""
from __future__ import annotations

from typing import Any

from workflow.clock import Clock
from workflow.engine.context import Scopes, rule_context
from workflow.engine.ledger import open_deadlines
from workflow.engine.machine import Case, why_not
from workflow.errors import NotFound
from workflow.storage.plain import select_rows


def load_cases(session: Any, codigos: list[str]) -> dict[str, Any]:
    """The rows of the cases, or NotFound naming the unknown codes."""
    found: dict[str, Any] = {}
    unique = list(dict.fromkeys(codigos))
    for i in range(0, len(unique), 500):
        for row in select_rows(session, "SELECT * FROM caso WHERE codigo IN (:codigos)", codigos=unique[i:i + 500]):
            found[row.codigo] = row
    missing = [c for c in unique if c not in found]
    if missing:
        raise NotFound(f"Caso desconocido: {', '.join(missing[:10])}"
                       + (f" y {len(missing) - 10} más" if len(missing) > 10 else "")
                       + ". Vea `convoca listar`.")
    return found


def allowed_events(scopes: Scopes, row: Any, clock: Clock) -> list[dict[str, Any]]:
    """Every event with whether it is allowed now and, if not, why: what `convoca ver` shows."""
    case = Case(row.codigo, row.estado, row.hechos)
    scope = scopes.of(row.convocatoria)
    plazos = open_deadlines(scopes.session, [row.id])[row.id]
    out = []
    for ev in scope.book.ciclo.eventos:
        ctx = rule_context(scope, row.codigo, row.estado, row.hechos, clock.today(), plazos=plazos)
        motivos = why_not(case, ev, ctx)
        out.append({"evento": ev.nombre, "titulo": ev.titulo, "permitido": not motivos, "motivos": motivos,
                    "desde_este_estado": bool(ev.transitions_from(row.estado)),
                    "datos": [f.nombre for f in ev.campos if f.requerido]})
    return out
