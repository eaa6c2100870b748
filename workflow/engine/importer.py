"""Importing proposals from CSV, JSON or a spreadsheet: all rows or none.

The SIG received every application in the file, so each one is recorded; what the bases object to
(a late submission, an amount over the maximum, a repeated coordinator, an excluded entity, a bad
RUC) is kept with the case as a defect with its source, for the UES to judge. Only what cannot be
read refuses the file — missing columns, unparseable dates or amounts, values outside a column's
list, a repeated code — with every bad row reported at once, so the officer fixes the file once.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from states.actos import ACTO
from states.book import Formulario
from states.books import book_of
from states.call import Call, call_key
from states.plural import cuantos
from workflow.clock import LIMA, wall_clock
from workflow.engine.context import Scope, rule_context
from workflow.engine.machine import failures
from workflow.files.clean import control_problem, visible
from workflow.files.sheets import Unreadable, read_table
from workflow.storage import settings
from workflow.storage.models import CaseRecord


def template_columns(form: Formulario) -> list[tuple[str, str, tuple[str, ...]]]:
    """The import file's columns for `convoca plantilla importar`: name, help and the values a cell
    may take (empty: free), from the same lists the book's form reads with."""
    return ([(c, ayuda, tuple(form.opciones.get(c, ()))) for c, ayuda in form.columnas.items()]
            + [(c, ayuda, ("si", "no")) for c, ayuda in form.opcionales.items()])


POSTULAR = ACTO["postular"]
CODIGO = "codigo"
"""The column every book's form names its proposals by: the case's code."""


class ImportRefused(Unreadable):
    """A file read but refused whole: nothing was imported."""


SHOWN_PROBLEMS = 50
"""How many bad rows the refusal lists; the rest are counted."""


def validate(scope: Scope, rows: Iterable[tuple[int, dict[str, str]]], existing: set[str],
             today: date) -> tuple[list[tuple[str, dict[str, Any], date]], list[str]]:
    """The cases to create, each with its defects, or the list of unreadable rows: (line N) code: reason.
    The defects are judged once every row is in the call's view, so a coordinator repeated within
    the file is flagged on both proposals (and on one imported earlier, by eligibility)."""
    readable: list[tuple[str, dict[str, Any], date]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    call, view, inicial, form = scope.call, scope.view, scope.book.ciclo.inicial, scope.book.formulario
    zona = scope.book.jurisdiccion.tz
    view.cases()  # loaded now, so that the rows of this file join the proposals already there
    for line, row in rows:
        v = {c: (row.get(c) or "").strip() for c in form.columnas}
        sucios = [p for c, value in row.items() if (p := control_problem(str(c), value or ""))]
        codigo = v.get(CODIGO, "")
        bad = [f"faltan valores: {', '.join(c for c in form.columnas if not v[c])}"] if not all(v.values()) else []
        if codigo in seen:
            bad.append(f"código duplicado (ya en la línea {seen[codigo]})")
        elif codigo in existing:
            bad.append("código ya importado")
        seen.setdefault(codigo, line)
        hechos, enviado, ilegible = form.lee(row, call, today)
        bad += sucios + ilegible
        if bad:
            problems.append(visible(f"línea {line} ({codigo or 'sin código'}): " + "; ".join(bad)))
            continue
        view.update(codigo, inicial, hechos)
        readable.append((codigo, hechos, enviado.astimezone(zona).date()))
    for codigo, hechos, fecha in readable:
        defectos = failures(scope.book.reglas_postular, rule_context(scope, codigo, inicial, hechos, fecha))
        if defectos:
            hechos[form.grupo]["defectos"] = defectos
    return readable, problems


@dataclass
class Imported:
    total: int
    con_defectos: dict[str, list[str]]
    """Code → its defects, for the cases recorded with one or more."""
    leido_como: str


def import_file(session: Session, call: Call, path: Path, usuario: str, progress=None,
                today: date | None = None) -> Imported:
    """All the rows or none, as of `today` (the working clock; the wall clock when not given)."""
    from workflow.engine.acting import permission_problem, refusal
    from workflow.engine.cases import create_cases, users

    today = today or wall_clock().astimezone(LIMA).date()

    actor = users(session).get(usuario)
    forbidden = permission_problem(actor, usuario, "importar postulaciones", POSTULAR.roles)
    if forbidden:
        raise refusal(session, POSTULAR.nombre, call_key(call.codigo), usuario,
                      today, [forbidden], rol=actor.rol if actor else None)

    source = read_table(path, "postulación", settings.read(session.connection()))
    rows = source.rows
    if not rows:
        raise ImportRefused(f"{path}: no contiene postulaciones.")
    form = book_of(call).formulario
    header_missing = [c for c in form.columnas if c not in rows[0][1]]
    if header_missing:
        raise ImportRefused(f"{path} ({source.leido_como}): faltan columnas: {', '.join(header_missing)}. "
                            "Las columnas están descritas en el README (convoca importar).")
    from workflow.engine.context import Scopes

    existing = set(session.execute(select(CaseRecord.codigo)).scalars())
    cases, problems = validate(Scopes(session).of(call.codigo), progress(rows) if progress else rows, existing, today)
    if problems:
        more = len(problems) - SHOWN_PROBLEMS
        raise ImportRefused(f"No se importó nada ({source.leido_como}): {cuantos(len(problems), 'fila')} con errores.\n  "
                            + "\n  ".join(problems[:SHOWN_PROBLEMS])
                            + (f"\n  … y {cuantos(more, 'fila')} más con errores." if more > 0 else ""))
    try:
        create_cases(session, call, cases, usuario, actor.rol)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return Imported(len(cases), {c: h[form.grupo]["defectos"] for c, h, _ in cases
                                 if h[form.grupo].get("defectos")}, source.leido_como)
