"""The installation: setting up a database (`install`, the one sequence that `init`, the demo, the
tests and the bench run) and changing its settings, an admin's audited act like a change of the
rules. The log row of a change carries the value before and after, so `auditoria verificar`
rebuilds the table `ajuste` from the log alone and names any value changed around convoca.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from states.actos import ACTO
from workflow.engine.acting import authorised, record
from workflow.storage import settings
from workflow.storage.tables import AJUSTE, AUDITORIA

if TYPE_CHECKING:
    from sqlmodel import Session

    from workflow.engine.call_loading import Loaded

FIJAR = ACTO["fijar_ajuste"]


@dataclass
class Installed:
    url: str
    ensayo: bool
    loaded: Loaded


def install(url: str, call_path: Path, *, ensayo: bool, usuario: str | None, today: date,
            resolucion: str | None = None, grupo: str | None = None, auditores: str | None = None,
            usuarios: Iterable[tuple[str, str, str | None]] = (),
            checked: Callable[[Session], None] | None = None) -> Installed:
    """The schema brought up to date (never a database newer than this convoca), the kind of the
    database fixed, the call loaded or reloaded with its audit row, and the first users added by
    the first of them (who must be an admin). `checked` runs on the session before anything of the
    call is written (the command line refuses a pinned clock there, on a production database)."""
    from sqlmodel import Session

    from workflow.engine.call_loading import load_into
    from workflow.engine.users import add_user
    from workflow.errors import ConvocaError
    from workflow.storage.db import (
        check_reachable,
        connect,
        grant,
        head_revision,
        newer_than_this_convoca,
        schema_version,
        shown,
        upgrade,
    )
    from workflow.storage.identity import mark

    check_reachable(url, creating=True)
    engine = connect(url)
    current = schema_version(engine, url)
    if newer_than_this_convoca(current):
        raise ConvocaError(f"La base de datos {shown(url)} está en la versión {current} del esquema, más nueva que la de "
                           f"esta instalación de convoca ({head_revision()}): actualice convoca; la base no se tocó.")
    upgrade(engine)
    with engine.begin() as conn:
        kind = mark(conn, ensayo)
        if grupo:
            grant(conn, grupo)
        if auditores:
            grant(conn, auditores, solo_lectura=True)
    try:
        with Session(engine) as session:
            if checked:
                checked(session)
            loaded = load_into(session, call_path, usuario, resolucion, today)
            first = None
            for nombre, rol, email in usuarios:
                add_user(session, nombre, rol, email, None, first, today)
                first = first or nombre
    finally:
        engine.dispose()  # nothing of the set-up stays connected (PostgreSQL copies a database only when idle)
    return Installed(url, kind, loaded)


def set_setting(session: Session, clave: str, valor: str, claimed: str | None, today: date) -> tuple[Any, Any]:
    """Validates and stores the new value with its audit row, in one transaction: (before, after)."""
    nuevo = settings.validated(clave, valor)
    by = authorised(session, claimed, FIJAR, f"ajuste:{clave}", today)
    antes = getattr(settings.read(session.connection()), clave)
    record(session, FIJAR.nombre, f"ajuste:{clave}", by, today, {"ajuste": {"clave": clave, "antes": antes,
                                                                            "despues": nuevo}})
    conn = session.connection()
    if nuevo == getattr(settings.DEFAULTS, clave):
        conn.execute(delete(AJUSTE).where(AJUSTE.c.clave == clave))
    elif conn.execute(select(AJUSTE.c.clave).where(AJUSTE.c.clave == clave)).first():
        conn.execute(update(AJUSTE).where(AJUSTE.c.clave == clave).values(valor=nuevo))
    else:
        conn.execute(insert(AJUSTE).values(clave=clave, valor=nuevo))
    session.commit()
    return antes, nuevo


def listing(session) -> list[dict[str, Any]]:
    """Each setting with its value, its default and what it is for."""
    now = settings.read(session)
    return [{"clave": k, "valor": getattr(now, k), "por_defecto": getattr(settings.DEFAULTS, k),
             "descripcion": f.description} for k, f in settings.Settings.model_fields.items()]


def altered_settings(session) -> list[str]:
    """Values of `ajuste` that the log's `fijar_ajuste` rows do not give (a write around convoca)."""
    rebuilt: dict[str, Any] = {}
    rows = session.execute(select(AUDITORIA.c.datos).where(AUDITORIA.c.evento == FIJAR.nombre,
                                                           AUDITORIA.c.aceptado.is_(True)).order_by(AUDITORIA.c.id))
    for (datos,) in rows:
        cambio = datos["ajuste"]
        rebuilt[cambio["clave"]] = cambio["despues"]
    rebuilt = {k: v for k, v in rebuilt.items() if v != getattr(settings.DEFAULTS, k, None)}
    stored = {k: v for k, v in session.execute(select(AJUSTE.c.clave, AJUSTE.c.valor))}
    return [f"AJUSTE ALTERADO {k}: guardado {stored.get(k, '(por defecto)')}, según la auditoría "
            f"{rebuilt.get(k, '(por defecto)')}" for k in sorted(stored.keys() | rebuilt.keys())
            if stored.get(k) != rebuilt.get(k)]
