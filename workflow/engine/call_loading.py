"""Loading a call file into a database: an audited act with the file's SHA-256 and a key-by-key diff.

The first load of a database that has no users yet is the installation itself and is logged with
the login that ran it; every later load or reload is an act of an admin or the executive
direction. A reload that changes a value which already decided an outcome (states/convocatoria.py)
is refused unless it cites the act that modified the bases.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import exists, select
from sqlmodel import Session

from states.actos import ACTO
from states.book import Book
from states.books import book_of, load_call
from states.call import Call, call_key
from workflow.clock import wall_clock
from workflow.engine.acting import authorised, record, refusal
from workflow.engine.feriados import missing_years, store
from workflow.storage.models import AuditRecord, CallRecord, CaseRecord, Deadline, User


@dataclass
class Loaded:
    call: Call
    cambios: dict[str, list[Any]]
    nueva: bool
    feriados: list[int]
    """The years of national holidays stored now (workflow/engine/feriados.py)."""


def _plain(value: Any) -> Any:
    """A value of a call file as JSON holds it: dates as ISO text, in lists and tables too."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = _plain(value)
    return out


def diff(old_text: str | None, new_text: str) -> dict[str, list[Any]]:
    """`clave → [antes, después]` for every key that differs (a new key has `antes` None)."""
    old, new = _flat(tomllib.loads(old_text)) if old_text else {}, _flat(tomllib.loads(new_text))
    return {k: [old.get(k), new.get(k)] for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)}


def _happened(session: Session, codigo: str, evento: str | None, plazos: tuple[str, ...]) -> bool:
    caso = CaseRecord.__table__
    of_call = select(caso.c.id).where(caso.c.convocatoria == codigo)
    if evento:
        a = AuditRecord.__table__
        query = select(exists().where(a.c.evento == evento, a.c.aceptado.is_(True), a.c.caso_id.in_(of_call)))
    else:
        p = Deadline.__table__
        query = select(exists().where(p.c.tipo.in_(plazos), p.c.caso_id.in_(of_call)))
    return bool(session.execute(query).scalar())


def decisive_changes(session: Session, codigo: str, cambios: dict[str, list[Any]], book: Book) -> list[str]:
    out = []
    for clave, (antes, despues) in cambios.items():
        for d in book.decisivos:
            if d.cubre(clave) and _happened(session, codigo, d.evento, d.plazos):
                out.append(f"{clave}: {antes} → {despues}, pero {d.por}")
                break
    return out


def load_into(session: Session, path: Path, claimed: str | None, resolucion: str | None, today: date) -> Loaded:
    call, text = load_call(path)
    codigo = call_key(call.codigo)
    stored = session.get(CallRecord, call.codigo)
    installing = session.execute(select(User.nombre).limit(1)).first() is None

    def acting() -> User | None:
        return None if installing else authorised(session, claimed, ACTO["cargar_convocatoria"], codigo, today)

    if stored is not None and stored.definicion == text:  # the call is as it was: only missing holidays to store
        feriados = store(session, call, acting(), today) if missing_years(session, call, today.year + 1) else []
        session.commit()
        return Loaded(call, {}, False, feriados)
    by = acting()
    cambios = diff(stored.definicion if stored else None, text)
    datos = {"convocatoria": call.codigo, "archivo": Path(path).name,
             "sha256": hashlib.sha256(text.encode()).hexdigest(), "cambios": cambios, "definicion": text,
             **({"resolucion": resolucion} if resolucion else {})}
    if stored is not None and not resolucion:
        decisivos = decisive_changes(session, call.codigo, cambios, book_of(call))
        if decisivos:
            raise refusal(session, "cargar_convocatoria", codigo, by.nombre if by else "", today,
                          [f"{d}: cite la resolución que modificó las bases (--resolucion)" for d in decisivos],
                          rol=by.rol if by else None, datos=datos)
    record(session, "cargar_convocatoria", codigo, by, today, datos, nota=resolucion)  # the act, then its row
    if stored is None:
        session.add(CallRecord(codigo=call.codigo, nombre=call.convocatoria.nombre, definicion=text,
                               cargada_en=wall_clock()))
    else:
        stored.definicion, stored.nombre, stored.cargada_en = text, call.convocatoria.nombre, wall_clock()
    session.flush()
    feriados = store(session, call, by, today)
    session.commit()
    return Loaded(call, cambios, stored is None, feriados)
