"""The auditors' view of the log: filtered, readable, exportable (JSON; CSV that a spreadsheet
opens with its accents intact)."""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select

from states.call import CALL_KEY, call_key
from workflow.clock import LIMA
from workflow.storage.tables import AUDITORIA, CASO, CONVOCATORIA

if TYPE_CHECKING:
    from sqlmodel import Session


def rows(session: Session, *, caso: str | None = None, usuario: str | None = None, evento: str | None = None,
         desde: date | None = None, hasta: date | None = None, rechazados: bool = False,
         convocatoria: str | None = None) -> list[dict[str, Any]]:
    """The log's rows that pass the filters; in a database of several calls, each with the call it is
    about: its case's, or the call a load or a calendar row names (`convocatoria:CODIGO`); none for the
    installation's own rows."""
    query = (select(AUDITORIA, CASO.c.convocatoria.label("de_convocatoria"))
             .outerjoin(CASO, CASO.c.id == AUDITORIA.c.caso_id).order_by(AUDITORIA.c.id))
    for column, value in ((AUDITORIA.c.codigo, caso), (AUDITORIA.c.usuario, usuario), (AUDITORIA.c.evento, evento)):
        if value:
            query = query.where(column == value)
    if convocatoria:
        query = query.where(or_(CASO.c.convocatoria == convocatoria,
                                AUDITORIA.c.codigo == call_key(convocatoria)))
    if desde:
        query = query.where(AUDITORIA.c.fecha_efectiva >= desde)
    if hasta:
        query = query.where(AUDITORIA.c.fecha_efectiva <= hasta)
    if rechazados:
        query = query.where(AUDITORIA.c.aceptado.is_(False))
    varias = session.execute(select(func.count()).select_from(CONVOCATORIA)).scalar_one() > 1
    return [{"id": a.id, "fecha_efectiva": a.fecha_efectiva.isoformat(),
             "registrado_en": a.registrado_en.astimezone(LIMA).isoformat(timespec="seconds"), "usuario": a.usuario,
             "rol": a.rol, "login": a.login, **({"convocatoria": a.de_convocatoria or (
                 a.codigo.removeprefix(CALL_KEY) if a.codigo.startswith(CALL_KEY) else None)} if varias else {}),
             "caso": a.codigo, "evento": a.evento, "de": a.estado_origen, "a": a.estado_destino,
             "aceptado": a.aceptado, "nota": a.nota, "reglas": a.reglas, "motivos": a.motivos, "hash": a.hash}
            for a in session.execute(query)]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet run a cell as a formula (OWASP, CSV injection)."""


def inert(value: Any) -> Any:
    """A cell a spreadsheet shows as text: a leading formula character is escaped with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def listing_csv(rows: list[dict[str, Any]], ensayo: bool = False) -> str:
    """Any listing as CSV for a spreadsheet: the same columns as its JSON, lists joined with `; `,
    a group of facts as its JSON, nothing that runs, ENSAYO in a first column when the database is
    a rehearsal one."""
    out = io.StringIO()
    out.write("\ufeff")
    columns = list(dict.fromkeys(k for r in rows for k in r))
    writer = csv.DictWriter(out, fieldnames=(["base"] if ensayo else []) + columns)
    writer.writeheader()
    for r in rows:
        row = {k: "; ".join(map(str, v)) if isinstance(v, list) else "sí" if v is True else "no" if v is False
               else json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, dict) else v
               for k, v in r.items()}
        writer.writerow({k: inert(v) for k, v in {**row, **({"base": "ENSAYO"} if ensayo else {})}.items()})
    return out.getvalue()
