"""Benchmark databases built with plain bulk inserts (no events): fast to make at 100 000 cases."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import insert

from states.call import DEFAULT_CALL
from workflow.engine.installation import install
from workflow.storage.db import connect
from workflow.storage.models import CaseRecord, Deadline

NOW = datetime(2019, 11, 8, 15, 0, tzinfo=timezone.utc)
CHUNK = 5000
HABILES = "B-000000"
"""The case that also has a deadline counted in business days (P5, levantar observaciones)."""


def _base(url: str) -> str:
    """A rehearsal database (the benchmarks name their users and pin their clocks) with the call."""
    usuarios = [(nombre, rol, f"{nombre}@fondecyt.gob.pe") for nombre, rol in (
        ("admin", "admin"), ("bench", "direccion"), ("usm", "monitor"), ("ues", "ues"), ("indecopi", "evaluador"))]
    return install(url, DEFAULT_CALL, ensayo=True, usuario=None, today=NOW.date(), usuarios=usuarios).loaded.call.codigo


def _insert(url: str, table, rows) -> None:
    engine = connect(url)
    with engine.begin() as conn:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == CHUNK:
                conn.execute(insert(table), batch)
                batch = []
        if batch:
            conn.execute(insert(table), batch)
    engine.dispose()


def _facts(i: int) -> dict:
    return {"postulacion": {"titulo": f"Concepto {i}", "fecha": "2019-10-01T10:00:00-05:00",
                            "monto_solicitado": "25000.00", "tipo_concepto": "producto"},
            "entidad": {"razon_social": f"Entidad {i % 500}", "ruc": "20100047218", "regimen": "publica",
                        "ciudad": "Lima"},
            "coordinador": {"nombre": f"Coordinador {i}", "dni": f"{40000000 + i}", "email": f"c{i}@example.org"},
            "representante": {"nombre": f"Representante {i}", "email": f"r{i}@example.org"}}


def apt_cases(url: str, n: int) -> str:
    """`n` cases in `apta`: what INDECOPI's fichas are for."""
    codigo = _base(url)
    _insert(url, CaseRecord.__table__, ({"codigo": f"B-{i:06d}", "convocatoria": codigo, "estado": "apta", "version": 3,
                                         "hechos": _facts(i)} for i in range(n)))
    return url


def evaluated_cases(url: str, n: int, seed: int = 1) -> str:
    """`n` cases in `evaluada`, each with its evaluation facts: what publication works on."""
    codigo = _base(url)
    rng = random.Random(seed)

    def rows():
        for i in range(n):
            p, r, inv = rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5)
            novedad, act = 0.25 * p + 0.25 * r, 0.5 * inv
            yield {"codigo": f"B-{i:06d}", "convocatoria": codigo, "estado": "evaluada", "version": 4,
                   "hechos": {**_facts(i), "evaluacion": {
                       "novedad": str(novedad), "actividad_inventiva": str(act), "puntaje": str(novedad + act),
                       "puntaje_final": str(novedad + act), "ruta": "invencion", "aprobado": novedad + act >= 3.0}}}

    _insert(url, CaseRecord.__table__, rows())
    return url


ASSIGNED = {"asignacion": {"monitor": "usm", "fecha": "2019-11-26"}}
"""The assigned monitor is a fact of the case (the column mirrors it)."""


def cases_in_execution(url: str, n: int, per_case: int = 5, due: float = 0.01, today: date = date(2020, 3, 2)) -> str:
    """`n` cases in `hitos`, `per_case` open deadlines each; a fraction `due` of them overdue on
    `today`, the rest beyond the reminder horizon."""
    codigo = _base(url)
    _insert(url, CaseRecord.__table__, ({"codigo": f"B-{i:06d}", "convocatoria": codigo, "estado": "hitos",
                                         "version": 20, "hechos": {**_facts(i), **ASSIGNED}, "monitor": "usm"}
                                        for i in range(n)))
    rng = random.Random(2)
    total = n * per_case
    overdue = set(rng.sample(range(total), int(total * due)))

    def rows():
        for k in range(total):
            vence = today - timedelta(days=1 + k % 5) if k in overdue else today + timedelta(days=30 + k % 300)
            yield {"caso_id": k // per_case + 1, "codigo": f"B-{k // per_case:06d}", "tipo": "P3",
                   "hito": str(k % per_case + 1), "responsable": "EE", "cuenta": "fecha", "desde": date(2020, 1, 3),
                   "vence": vence, "estado": "pendiente", "abierto_por": "aprobar_po", "escalamiento": 0}
        yield {"caso_id": 1, "codigo": HABILES, "tipo": "P5", "hito": "1", "responsable": "EE", "cuenta": "habiles",
               "desde": today, "vence": today + timedelta(days=14), "estado": "pendiente", "abierto_por": "observar_itf",
               "escalamiento": 0}

    _insert(url, Deadline.__table__, rows())
    return url


def _ande_facts(i: int) -> dict:
    return {"postulacion": {"titulo": f"Plataforma {i}", "fecha": "2025-11-20T10:00:00-03:00", "monto_ande": "1600000.00",
                            "contrapartida_efectivo": "300000.00", "contrapartida_especie": "200000.00"},
            "institucion": {"razon_social": f"Cámara {i % 500}", "rut": "210000100013", "tipo": "camara",
                            "departamento": "Montevideo"},
            "responsable": {"nombre": f"Persona {i}", "email": f"p{i}@example.org"}}


def second_call(url: str, n: int) -> str:
    """ANDE-BPD-2025 loaded beside the database's E062 call, with `n` of its projects in execution
    (`A-000000`…) assigned to the same monitor: a database of two calls, each with its cases."""
    from sqlmodel import Session

    from states.call import CALLS_DIR
    from workflow.engine.call_loading import load_into

    engine = connect(url)
    with Session(engine) as session:
        codigo = load_into(session, CALLS_DIR / "ANDE-BPD-2025.toml", "admin", None, NOW.date()).call.codigo
    engine.dispose()
    _insert(url, CaseRecord.__table__, ({"codigo": f"A-{i:06d}", "convocatoria": codigo, "estado": "en_ejecucion",
                                         "version": 10, "hechos": {**_ande_facts(i), **ASSIGNED}, "monitor": "usm"}
                                        for i in range(n)))
    return url
