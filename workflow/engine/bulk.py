"""Many events from one file (`convoca lote`): the UES's eligibility checklist, INDECOPI's fichas,
a monitor's expense report.

Each row is one event on one case and goes through exactly what the single command goes through
(roles, guards, deadlines, messages, audit rows); rows run in the file's order, each on the case as
the earlier rows left it. The whole file is one transaction: every row or none. A dry run judges
every row the same way and writes nothing, so what it shows is what the real run will do.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from states.book import Book
from states.books import all_books, book_of
from workflow.clock import LIMA, Clock
from workflow.engine.calls import Calls
from workflow.engine.cases import Outcome, Plan, Request, commit, judge_all
from workflow.engine.machine import unknown_event
from workflow.errors import Refusal, Rejected
from workflow.files.sheets import Source, Unreadable, read_table
from workflow.storage import audit, settings
from workflow.storage.audit import Entry
from workflow.storage.models import CaseRecord
from workflow.storage.tables import AUDITORIA

COLUMNAS = ("codigo", "evento", "fecha", "nota")
"""Besides these, one column per datum the events take, named as in `--dato`."""


APLICAR = "aplicar_lote"
"""The log's row of a whole file applied: its hash, so that the same file is known the next time."""


class FileRefused(Refusal):
    """Rows the rules refuse: nothing of the file was written."""


@dataclass
class Row:
    fila: int
    """As the officer's spreadsheet numbers it (the header is row 1)."""
    codigo: str
    evento: str
    outcome: Outcome | None = None


@dataclass
class Result:
    rows: list[Row]
    leido_como: str
    omitidas: list[int] = field(default_factory=list)
    """Rows of a template left blank: nothing to record."""
    plan: Plan | None = None
    auditoria: tuple[int, int] | None = None
    """The first and last audit rows written, once the file is committed."""

    @property
    def rechazadas(self) -> list[Row]:
        return [r for r in self.rows if not r.outcome.procede]


def _spelled(session: Session, codes: set[str]) -> dict[str, str]:
    """The stored spelling of codes written in another case (`e062-0010`), by their upper case;
    a code two cases share in upper case is left out, and stays unknown."""
    wanted = sorted({c.upper() for c in codes if c})
    found: dict[str, list[str]] = {}
    for i in range(0, len(wanted), 500):
        for code in session.execute(select(CaseRecord.codigo)
                                    .where(func.upper(CaseRecord.codigo).in_(wanted[i:i + 500]))).scalars():
            found.setdefault(code.upper(), []).append(code)
    return {upper: codes_[0] for upper, codes_ in found.items() if len(codes_) == 1}


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return datetime.fromisoformat(text).date()


def _facts(row: dict[str, str], base: Path, documentos: set[str]) -> dict[str, Any]:
    """The row's non-empty data cells; a document's path is taken from the file's own folder."""
    datos = {k: v.strip() for k, v in row.items() if k not in COLUMNAS and v.strip()}
    for name in documentos & datos.keys():
        if not Path(datos[name]).is_absolute():
            datos[name] = str(base / datos[name])
    return datos


def _requests(session: Session, source: Source, usuario: str, base: Path,
              evento: str | None) -> tuple[list[Row], list[Request], list[int]]:
    """The rows as requests, in order; a row that cannot even name its case, event or date gets its
    refusal here, and the others go to the rules."""
    codes = {r.get("codigo", "").strip() for _, r in source.rows}
    calls = Calls(session)
    books: dict[str, Book] = {}  # each case's rule book, by its call
    for chunk in [list(codes)[i:i + 500] for i in range(0, len(codes), 500)]:
        books.update((c, book_of(calls.call(conv))) for c, conv in session.execute(
            select(CaseRecord.codigo, CaseRecord.convocatoria).where(CaseRecord.codigo.in_(chunk))))
    spelled = _spelled(session, codes - books.keys())
    for c, conv in session.execute(select(CaseRecord.codigo, CaseRecord.convocatoria)
                                   .where(CaseRecord.codigo.in_(list(spelled.values())))):
        books[c] = book_of(calls.call(conv))
    known = set(books)
    any_book = next(iter(books.values()), None) or all_books()[0]
    rows, requests, blank = [], [], []
    for fila, raw in source.rows:
        codigo, nombre = raw.get("codigo", "").strip(), (raw.get("evento") or "").strip() or evento or ""
        codigo = codigo if codigo in known else spelled.get(codigo.upper(), codigo)
        book = books.get(codigo, any_book)
        event = book.ciclo.event(nombre)
        row = Row(fila, codigo, nombre)
        problems = []
        if not codigo:
            problems.append("falta el código del caso (columna codigo)")
        elif codigo not in known:
            problems.append(f"caso desconocido: {codigo} (vea `convoca listar`)")
        if event is None:
            problems.append(f"columna evento: {unknown_event(book, nombre)}" if nombre else "falta el evento (columna evento)")
        fecha = None
        if (raw.get("fecha") or "").strip():
            try:
                fecha = _date(raw["fecha"].strip())
            except ValueError:
                problems.append(f"fecha inválida: {raw['fecha']!r} (AAAA-MM-DD)")
        datos = _facts(raw, base, {f.nombre for f in event.campos if f.tipo == "documento"} if event else set())
        if event and not datos and fecha is None and not (raw.get("nota") or "").strip() \
                and any(f.requerido for f in event.campos):
            blank.append(fila)
            continue
        if problems:
            row.outcome = Outcome(codigo, nombre, "", motivos=problems)
        else:
            requests.append(Request(codigo, nombre, datos, usuario, fecha, (raw.get("nota") or "").strip() or None))
        rows.append(row)
    return rows, requests, blank


def applied_before(session: Session, sha256: str) -> Any:
    """The batch that already applied a file with these bytes (who and when), or None."""
    a = AUDITORIA.c
    return session.execute(select(a.id, a.usuario, a.registrado_en).where(
        a.codigo == f"lote:{sha256}", a.evento == APLICAR, a.aceptado.is_(True)).order_by(a.id.desc())).first()


def run_file(session: Session, path: Path, usuario: str, clock: Clock, simular: bool,
             evento: str | None = None, repetir: bool = False, progress=None) -> Result:
    """Judges every row; unless `simular`, writes them all in one transaction, or nothing and
    raises `FileRefused` naming each refused row (its attempt is logged, as a single command's is).
    A file already applied (the same bytes) is refused unless `repetir`: a re-run after a dropped
    terminal must not record every expense twice. The batch is itself a row of the log. `progress`
    wraps the rows as they are judged (a bar on the officer's terminal)."""
    source = read_table(path, limits=settings.read(session.connection()))
    sha256 = source.sha256
    previous = applied_before(session, sha256)
    session.rollback()
    if previous and not repetir and not simular:
        cuando = previous.registrado_en.astimezone(LIMA).isoformat(timespec="minutes")
        raise Rejected(f"{path.name} ya se aplicó el {cuando}, por {previous.usuario} (auditoría {previous.id}): "
                       "no se escribió nada. Si quiere aplicarlo otra vez a propósito, repita con --repetir.")
    if not source.rows:
        raise Unreadable(f"{path} ({source.leido_como}): no tiene filas.")
    columns = set().union(*(r.keys() for _, r in source.rows))
    missing = [c for c in ("codigo", "evento") if c not in columns and not (c == "evento" and evento)]
    if missing:
        raise Unreadable(f"{path} ({source.leido_como}): faltan columnas: {', '.join(missing)}. Columnas: "
                         f"{', '.join(COLUMNAS)} y una por dato del evento (`convoca plantilla EVENTO` la escribe).")
    rows, requests, blank = _requests(session, source, usuario, path.resolve().parent, evento)
    plan = judge_all(session, requests, clock, progress) if requests else None
    judged = iter(plan.outcomes if plan else [])
    for row in rows:
        row.outcome = row.outcome or next(judged)
    result = Result(rows, source.leido_como, blank, plan)
    session.rollback()
    if simular:
        return result
    if result.rechazadas:
        if plan and plan.attempts:
            audit.append(session.connection(), plan.attempts)
            session.commit()
        raise FileRefused("lote", path.name, [
            f"fila {r.fila} ({r.codigo or 'sin código'}, {r.evento or 'sin evento'}): {m}"
            for r in result.rechazadas for m in r.outcome.motivos]
            + [f"No se escribió nada: {len(result.rechazadas)} de {len(rows)} filas rechazadas; corrija el archivo "
               "(`convoca lote ARCHIVO --simular` muestra cada fila) y vuelva a aplicarlo."])
    if plan:
        rol = next((e.rol for e in plan.audit if e.usuario == usuario), None)
        plan.audit.append(Entry(f"lote:{sha256}", APLICAR, usuario, clock.today(), rol=rol, datos={"lote": {
            "archivo": path.name, "sha256": sha256, "filas": len(requests), "repetido": bool(previous)}}))
        commit(plan)
        result.auditoria = (plan.ids[0], plan.ids[-1])
    return result
