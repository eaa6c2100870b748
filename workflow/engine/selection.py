"""A call's selection, as its book's policy decides it: the engine reads the cases the policy ranks,
applies the requests it returns in one transaction, and reads the published order back. What makes
an order or an acta valid is the book's (states/<book>/seleccion.py)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from states.books import book_of
from states.call import Call
from states.errors import os_problem, small_text
from states.seleccion import BadActa, Orden, Seleccion, Solicitud
from workflow.clock import Clock
from workflow.engine.cases import Request, apply
from workflow.errors import ConvocaError
from workflow.storage.models import CaseRecord

__all__ = ["BadActa", "policy", "rank", "shown", "published", "read_acta", "publish", "promote"]


def policy(call: Call) -> Seleccion:
    """The call's selection policy; refused for a book that decides each case on its own."""
    book = book_of(call)
    if book.seleccion is None:
        raise ConvocaError(f"La convocatoria {call.codigo} ({book.titulo}) no publica un orden de mérito: "
                           "cada propuesta se decide por su cuenta (`convoca eventos` dice cómo).")
    return book.seleccion


def _rows(session: Session, call: Call, estado: str) -> list[tuple[str, dict[str, Any]]]:
    return [tuple(r) for r in session.execute(select(CaseRecord.codigo, CaseRecord.hechos).where(
        CaseRecord.convocatoria == call.codigo, CaseRecord.estado == estado)).all()]


def rank(session: Session, call: Call) -> Any:
    """The policy's ranking of the cases waiting to be ranked."""
    sel = policy(call)
    return sel.ordenar(_rows(session, call, sel.espera), call)


def shown(session: Session, call: Call) -> Orden:
    """The ranking as the officer reads it, before it is published."""
    sel = policy(call)
    return sel.mostrar(rank(session, call))


def published(session: Session, call: Call) -> list[dict[str, Any]]:
    """The merit order as it was published. Refused while nothing is published."""
    rows = session.execute(select(CaseRecord.codigo, CaseRecord.estado, CaseRecord.hechos).where(
        CaseRecord.convocatoria == call.codigo)).all()
    out = policy(call).publicado([tuple(r) for r in rows])
    if not out:
        raise ConvocaError(f"La convocatoria {call.codigo} aún no tiene resultados publicados: `convoca seleccionar` "
                           "muestra el orden de mérito por publicar.")
    return out


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
    if not isinstance(acta, dict):
        raise BadActa(f"El acta {path} debe ser un objeto JSON con numero, fecha, miembros, seleccionadas y "
                      "accesitarias.")
    missing = [k for k in ("numero", "fecha", "miembros", "seleccionadas", "accesitarias") if k not in acta]
    if missing:
        raise BadActa(f"Acta {path}: faltan {', '.join(missing)}")
    return acta


def publish(session: Session, call: Call, resolucion: str, fecha: date | None, usuario: str, clock: Clock,
            acta: dict[str, Any] | None = None) -> dict[str, int]:
    """Every ranked case to its result, in one transaction: the count of each result."""
    sel = policy(call)
    ranking = sel.ordenar(_rows(session, call, sel.espera), call)
    solicitudes = sel.publicar(ranking, acta, call, resolucion, fecha or clock.today())
    if not solicitudes:
        raise ConvocaError("No hay propuestas evaluadas por publicar.")
    apply(session, [Request(s.codigo, s.evento, s.datos, usuario, fecha, s.nota) for s in solicitudes], clock)
    counts: dict[str, int] = {}
    for s in solicitudes:
        counts[s.cuenta or s.evento] = counts.get(s.cuenta or s.evento, 0) + 1
    return counts


def promote(session: Session, call: Call, vacante: str) -> Solicitud:
    """The request that fills a freed place, as the policy says; refused when the waitlist is empty."""
    sel = policy(call)
    s = sel.promover(_rows(session, call, sel.lista), vacante)
    if s is None:
        titulo = book_of(call).ciclo.state(sel.lista).titulo.lower()
        raise ConvocaError(f"No quedan propuestas en estado «{titulo}» por promover ({sel.fuente_promocion}).")
    return s
