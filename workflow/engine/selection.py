"""Merit order and the publication of a call's results.

The ranking applies the call's declared tie-break and says so; publishing moves every evaluated
case in one transaction. With more approved proposals than places, the Comité de Consistencia
decides, and its acta (the ordered lists) is required; what makes an acta valid is the rule book's
(states/rules/seleccion.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from states.call import Call
from states.errors import os_problem, small_text
from states.pct_2019.rules.seleccion import COMITE, DESEMPATES, PROMOCION, acta_problems, prioridad_del_comite
from states.tiempo import acta_antes_de_publicar
from workflow.clock import Clock
from workflow.engine.cases import Request, apply
from workflow.errors import ConvocaError
from workflow.storage.models import CaseRecord


@dataclass
class Ranked:
    puesto: int
    codigo: str
    puntaje_final: Decimal
    ruta: str
    aprobado: bool
    excluida: bool = False
    """Presence of novel elements graded 0: out of the ranking's running whatever the sum."""


@dataclass
class Ranking:
    filas: list[Ranked]
    desempate: str
    plazas: int
    hechos: dict[str, dict[str, Any]]
    """Each ranked case's facts, for the committee's acta (amounts, routes)."""

    @property
    def aprobadas(self) -> list[Ranked]:
        return [r for r in self.filas if r.aprobado]

    @property
    def requiere_comite(self) -> bool:
        return len(self.aprobadas) > self.plazas

    def preseleccion(self) -> list[Ranked]:
        """The committee's priorities, as the rule book declares them (states/rules/seleccion.py)."""
        return sorted(self.aprobadas, key=lambda r: prioridad_del_comite(r.ruta, r.puesto))


def rank(session: Session, call: Call) -> Ranking:
    rows = session.execute(select(CaseRecord.codigo, CaseRecord.hechos).where(
        CaseRecord.convocatoria == call.codigo, CaseRecord.estado == "evaluada")).all()
    keys = [DESEMPATES[c][1] for c in call.seleccion.desempate]
    ordered = sorted(rows, key=lambda r: (-Decimal(r[1]["evaluacion"]["puntaje_final"]), *(k(r[1]) for k in keys)))
    filas = [Ranked(i + 1, c, Decimal(h["evaluacion"]["puntaje_final"]), h["evaluacion"]["ruta"],
                    h["evaluacion"]["aprobado"], h["evaluacion"].get("excluyente", False))
             for i, (c, h) in enumerate(ordered)]
    desempate = "puntaje final, luego " + ", luego ".join(DESEMPATES[c][0] for c in call.seleccion.desempate)
    return Ranking(filas, desempate, call.seleccion.plazas, dict(rows))


def published(session: Session, call: Call) -> list[dict[str, Any]]:
    """The merit order as it was published, read from each case's facts (so an annulled
    publication is gone and a promotion shows): its place, result, resolution and acta, and where
    the case stands now. Refused while nothing is published."""
    rows = session.execute(select(CaseRecord.codigo, CaseRecord.estado, CaseRecord.hechos).where(
        CaseRecord.convocatoria == call.codigo)).all()
    out = [{"orden_merito": h["resultado"]["orden_merito"], "codigo": c,
            "puntaje_final": (h.get("evaluacion") or {}).get("puntaje_final"),
            "resultado": h["resultado"]["resultado"], "estado_actual": e,
            "resolucion": h["resultado"]["resolucion"], "acta": h["resultado"].get("acta"),
            "fecha": h["resultado"].get("fecha")}
           for c, e, h in rows if (h.get("resultado") or {}).get("orden_merito") is not None]
    if not out:
        raise ConvocaError(f"La convocatoria {call.codigo} aún no tiene resultados publicados: `convoca seleccionar` "
                           "muestra el orden de mérito por publicar.")
    return sorted(out, key=lambda r: r["orden_merito"])


class BadActa(ConvocaError):
    exit_code = 2


def read_acta(path: Path) -> dict[str, Any]:
    try:
        acta = json.loads(small_text(path))
    except OSError as exc:
        raise BadActa(f"No se puede leer el acta {path}: {os_problem(exc)}.") from None
    except json.JSONDecodeError as exc:
        raise BadActa(f"El acta {path} no es un JSON válido (línea {exc.lineno}): debe ser un objeto con numero, "
                      "fecha, miembros (nombre y sector), secretario, seleccionadas y accesitarias.") from None
    except ValueError as exc:  # not a file of text: a device, a pipe, gigabytes, another encoding
        raise BadActa(f"El acta {path} {exc}.") from None
    missing = [k for k in ("numero", "fecha", "miembros", "seleccionadas", "accesitarias") if k not in acta]
    if missing:
        raise BadActa(f"Acta {path}: faltan {', '.join(missing)}")
    return acta


def acta_before_publication(acta: dict[str, Any], publicacion: date) -> None:
    """The committee decides before the results are published, never after."""
    try:
        fecha = date.fromisoformat(str(acta["fecha"]))
    except ValueError:
        raise BadActa(f"Acta {acta['numero']}: la fecha {acta['fecha']!r} no es AAAA-MM-DD.") from None
    problem = acta_antes_de_publicar(acta["numero"], fecha, publicacion)
    if problem:
        raise BadActa(problem)


def decide(ranking: Ranking, acta: dict[str, Any] | None, call: Call) -> dict[str, tuple[str, int]]:
    """codigo → (resultado, orden de mérito)."""
    aprobadas = [r.codigo for r in ranking.aprobadas]
    if ranking.requiere_comite:
        if acta is None:
            raise BadActa(f"Hay {len(aprobadas)} propuestas aprobadas para {ranking.plazas} plazas: "
                          f"{COMITE} exige el acta del Comité de Consistencia (--acta ARCHIVO).")
        problems = acta_problems(acta, {r.codigo: ranking.hechos[r.codigo] for r in ranking.aprobadas}, call)
        if problems:
            raise BadActa(f"Acta del Comité de Consistencia inválida ({COMITE}):\n  " + "\n  ".join(problems))
        sel = list(acta["seleccionadas"])
        order = sel + list(acta["accesitarias"])
    else:
        order, sel = aprobadas, aprobadas
    result = {c: ("aprobada" if c in sel else "accesitaria", i + 1) for i, c in enumerate(order)}
    rest = [r for r in ranking.filas if not r.aprobado]
    result.update({r.codigo: ("desaprobada", len(order) + i + 1) for i, r in enumerate(rest)})
    return result


def next_waitlisted(session: Session, call: Call) -> str:
    rows = session.execute(select(CaseRecord.codigo, CaseRecord.hechos).where(
        CaseRecord.convocatoria == call.codigo, CaseRecord.estado == "accesitaria")).all()
    if not rows:
        raise ConvocaError(f"No quedan accesitarias por promover ({PROMOCION}).")
    return min(rows, key=lambda r: r[1]["resultado"]["orden_merito"])[0]


def publish(session: Session, call: Call, resolucion: str, fecha: date | None, usuario: str, clock: Clock,
            acta: dict[str, Any] | None = None) -> dict[str, int]:
    ranking = rank(session, call)
    if not ranking.filas:
        raise ConvocaError("No hay propuestas evaluadas por publicar.")
    if acta is not None:
        acta_before_publication(acta, fecha or clock.today())
    decisions = decide(ranking, acta, call)
    # selected first, so the places rule sees the waitlist only once the places are filled
    ordered = sorted(decisions.items(), key=lambda kv: (kv[1][0] != "aprobada", kv[1][1]))
    requests = [Request(codigo, "publicar", {"resultado": res, "resolucion": resolucion, "orden_merito": orden,
                                             **({"acta": str(acta["numero"])} if acta else {})},
                        usuario, fecha, f"Resolución {resolucion}; orden de mérito por {ranking.desempate}")
                for codigo, (res, orden) in ordered]
    apply(session, requests, clock)
    counts: dict[str, int] = {}
    for res, _ in decisions.values():
        counts[res] = counts.get(res, 0) + 1
    return counts
