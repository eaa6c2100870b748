"""A long audit log, written fast for the verification's bench: the cases imported by convoca itself,
then rows of lawful acts generated as the record would hold them (each a reassignment of the case's
monitor, its facts what firing it gives), chained, hashed and grown into the Merkle tree by convoca's
own functions in large batches instead of through the judge one by one. `auditoria verificar` then
finds it whole and lawful, but for the one row planted among the newest."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from states.call import DEFAULT_CALL
from states.historia import write_csv
from states.pct_2019.demo_data import proposals
from workflow.engine.calls import call_of
from workflow.engine.importer import import_file
from workflow.engine.installation import install
from workflow.storage import audit, merkle
from workflow.storage.db import connect
from workflow.storage.identity import os_login
from workflow.storage.tables import AUDITORIA, CASO
from workflow.storage.tables import AUDITORIA_CABEZA as CABEZA
from workflow.storage.verificador import b64

CHUNK = 20_000
MONITORES = ("usm.a", "usm.b")
FECHA = date(2019, 10, 20)
"""After every proposal's submission and before the call's close: a reassignment is lawful on it."""


@dataclass
class Log:
    url: str
    filas: int
    verificado: dict
    """The checkpoint a verification of all but the newest rows left (verification.remember's shape)."""
    plantada: int
    """The id of the row planted among the newest: facts its act does not give."""


class _Reassignments:
    """Rows of lawful reassignments, round the cases given; each case's monitor alternates, and the
    last one each case was given is kept (its stored facts must be what its rows fold to)."""

    def __init__(self, start: datetime):
        self.start, self.at, self.count, self.last = start, 0, {}, {}

    def rows(self, count: int, cases: list[tuple[int, str]], plant: int | None = None):
        for k in range(count):
            caso_id, codigo = cases[k % len(cases)]
            n = self.count[caso_id] = self.count.get(caso_id, -1) + 1
            monitor = MONITORES[n % 2]
            given = self.last[caso_id] = MONITORES[1 - n % 2] if k == plant else monitor
            self.at += 1
            yield {"caso_id": caso_id, "codigo": codigo, "evento": "asignar_monitor", "estado_origen": "postulada",
                   "estado_destino": "postulada", "usuario": "ues", "rol": "ues", "fecha_efectiva": FECHA, "nota": None,
                   "datos": {"asignacion": {"monitor": given, "fecha": FECHA.isoformat()}}, "reglas": [], "plazos": [],
                   "aceptado": True, "motivos": [], "entrada": {"monitor": monitor}, "refiere": None, "efectos": None,
                   "registrado_en": self.start + timedelta(microseconds=self.at)}


def _append(conn, rows) -> tuple[int, str]:
    """The rows chained onto the head, hashed by convoca's own function, and their tree's nodes."""
    head = conn.execute(select(CABEZA).where(CABEZA.c.id == 1)).one()
    last_id, last_hash, login, batch = head.ultimo_id, head.ultimo_hash, os_login(), []

    def flush() -> None:
        conn.execute(insert(AUDITORIA), batch)
        merkle.grow(conn, batch[0]["id"], [r["hash"] for r in batch])
        batch.clear()

    for row in rows:
        row.update(id=last_id + 1, login=login, hash_previo=last_hash)
        row["hash"] = audit.chain_hash(last_hash, row)
        last_id, last_hash = row["id"], row["hash"]
        batch.append(row)
        if len(batch) == CHUNK:
            flush()
    if batch:
        flush()
    conn.execute(update(CABEZA).where(CABEZA.c.id == 1).values(ultimo_id=last_id, ultimo_hash=last_hash,
                                                                filas=last_id))
    return last_id, last_hash


def long_log(folder: Path, filas: int, nuevas: int, casos: int) -> Log:
    """A rehearsal database of `casos` imported proposals and about `filas` rows in all, the last
    `nuevas` of them after the verified checkpoint, one of those planted."""
    url = f"sqlite:///{folder / 'registro.db'}"
    usuarios = [("admin", "admin", None), ("ues", "ues", None), *((m, "monitor", f"{m}@fondecyt.gob.pe")
                                                                  for m in MONITORES)]
    install(url, DEFAULT_CALL, ensayo=True, usuario=None, today=date(2019, 10, 15), usuarios=usuarios)
    engine = connect(url)
    with Session(engine) as s:
        import_file(s, call_of(s), write_csv(proposals(casos), folder / "postulaciones.csv"), "ues",
                    today=date(2019, 10, 15))
    with engine.begin() as conn:
        cases = [tuple(r) for r in conn.execute(select(CASO.c.id, CASO.c.codigo).order_by(CASO.c.id))]
        before = conn.execute(select(CABEZA.c.ultimo_id)).scalar()
        older = max(filas - nuevas - before, 0)
        made = _Reassignments(conn.execute(select(AUDITORIA.c.registrado_en).order_by(AUDITORIA.c.id.desc())
                                           .limit(1)).scalar())
        n, hash_n = _append(conn, made.rows(older, cases))
        activos = cases[:max(len(cases) // 10, 1)]  # a month's rows touch the cases that are moving, not all
        total, _ = _append(conn, made.rows(nuevas, activos, plant=nuevas // 2))
        hechos = dict(conn.execute(select(CASO.c.id, CASO.c.hechos)).all())
        conn.execute(update(CASO).where(CASO.c.id == bindparam("b_id")).values(
            monitor=bindparam("b_monitor"), hechos=bindparam("b_hechos")), [
            {"b_id": caso_id, "b_monitor": given,
             "b_hechos": {**hechos[caso_id], "asignacion": {"monitor": given, "fecha": FECHA.isoformat()}}}
            for caso_id, given in made.last.items()])
        root = b64(merkle.root(conn, n))
    engine.dispose()
    verificado = {"origen": "", "filas": n, "hash": hash_n, "raiz": root, "instante": ""}
    return Log(url, total, verificado, n + 1 + nuevas // 2)


def remembered(log: Log, origen: str, path: Path) -> Path:
    path.write_text(json.dumps({**log.verificado, "origen": origen}), encoding="utf-8")
    return path
