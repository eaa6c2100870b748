"""Fast bulk generation of benchmark databases (plain inserts, no events): N evaluated cases."""
from __future__ import annotations

import random
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session

from workflow.call import DEFAULT_CALL, load_call
from workflow.db import connect, upgrade
from workflow.models import CallRecord, CaseRecord

NOW = datetime(2019, 11, 8, 15, 0, tzinfo=timezone.utc)


def evaluated_cases(path: Path, n: int, seed: int = 1) -> str:
    """A fresh SQLite file with `n` cases in `evaluada`, each with its evaluation facts."""
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    engine = connect(url)
    upgrade(engine)
    call, text = load_call(DEFAULT_CALL)
    rng = random.Random(seed)
    with Session(engine) as s:
        s.add(CallRecord(codigo=call.codigo, nombre=call.convocatoria.nombre, definicion=text, cargada_en=NOW))
        s.flush()
        rows = []
        for i in range(n):
            p, r, inv = rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5)
            novedad, act = 0.25 * p + 0.25 * r, 0.5 * inv
            puntaje = novedad + act
            rows.append({"codigo": f"B-{i:06d}", "convocatoria": call.codigo, "estado": "evaluada", "version": 4,
                         "hechos": {
                             "postulacion": {"fecha": f"2019-10-{1 + i % 10:02d}T10:00:00-05:00",
                                             "monto_solicitado": "25000.00", "tipo_concepto": "producto"},
                             "evaluacion": {"novedad": str(novedad), "actividad_inventiva": str(act),
                                            "puntaje": str(puntaje), "puntaje_final": str(puntaje),
                                            "ruta": "invencion", "aprobado": puntaje >= 3.0}}})
        s.connection().execute(insert(CaseRecord.__table__), rows)
        s.commit()
    return url


def audit_rows_like(n: int) -> list[dict]:
    return [{"caso_id": i + 1, "codigo": f"B-{i:06d}", "evento": "publicar", "estado_origen": "evaluada",
             "estado_destino": "aprobada", "usuario": "bench", "registrado_en": NOW,
             "fecha_efectiva": NOW.date(), "nota": "RDE", "datos": {"resultado": {"resultado": "aprobada"}},
             "reglas": []} for i in range(n)]


