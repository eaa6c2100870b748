"""Correcting the record, as the law allows it (TUO Ley 27444, DS 004-2019-JUS).

Art. 212: material or arithmetic errors of an act may be rectified at any time, with retroactive
effect, provided the substance and the sense of the decision do not change; art. 213: annulling an
act ex officio is the authority's (here the Dirección Ejecutiva's, states/actos.py). A rectification
is the same act with its facts or date corrected, by a role that may perform that act; it never
changes the kind of act or the case (that is an annulment and a new act).
"""
from __future__ import annotations

from typing import Any

from states.jurisdicciones import PERU

FUENTE_RECTIFICAR = PERU.fuente_rectificar
FUENTE_ANULAR = PERU.fuente_anular

SELECCION = {"evaluar": ("evaluacion", ("puntaje_final", "aprobado", "ruta", "excluyente")),
             "publicar": ("resultado", ("resultado",))}
"""The facts that decide who is selected, by the act that records them: once results are published,
a rectification that changes one of them alters the substance of the decision."""


DINERO = {"registrar_cuenta": ("cuenta", ("banco", "numero", "cci")),
          "registrar_presupuesto": ("presupuesto", None),
          "desembolsar": ("ejecucion", ("monto_desembolsado",))}
"""The facts the money already depends on, by the act that records them: once the disbursement is
recorded, the account it was paid into, the budget it was computed from and the amount paid are
what happened with public money; a rectification that changes one of them alters the substance
(None: every fact the act records)."""
DESEMBOLSO = "desembolsar"

DECISIONES = {"evaluar": ("evaluacion", ("puntaje_final", "aprobado", "ruta", "excluyente")),
              "resolver_contrato": ("resolucion", ("causa", "principal", "interes", "total_a_devolver",
                                                   "fianza_ejecutada", "no_elegible", "anios_no_elegible")),
              "descalificar": ("descalificacion", ("causa", "contrato_resuelto", "principal", "interes",
                                                   "total_a_devolver", "fianza_ejecutada"))}
"""A decision's cause, grade, outcome and amounts, by the act that decides them: whatever else has
happened, a rectification that changes one of them changes the decision itself (art. 212: never its
substance or sense); it is annulled (art. 213) and decided anew. A resolution for breach is never
«rectified» into one for force majeure, waiving the interest and the fianza."""


def _shown(value: Any) -> str:
    return "sí" if value is True else "no" if value is False else "—" if value is None else str(value)


def altera_lo_sustancial(evento: str, antes: dict[str, Any], despues: dict[str, Any], previos: set[str]) -> str | None:
    """Why a rectification of `evento` would change the substance of a decision, given the other acts
    in effect (`previos`); None when it corrects only what art. 212 lets it."""
    if evento in DINERO and (DESEMBOLSO in previos or evento == DESEMBOLSO):
        grupo, claves = DINERO[evento]
        a, d = antes.get(grupo) or {}, despues.get(grupo) or {}
        cambian = [k for k in (claves or sorted(a.keys() | d.keys())) if a.get(k) != d.get(k)]
        if cambian:
            return (f"{FUENTE_RECTIFICAR}: la rectificación altera lo sustancial: cambiaría "
                    f"{', '.join(f'{grupo}.{k}' for k in cambian)} después del desembolso, cuando el dinero ya salió "
                    "con esos datos; se requiere anular el acto (convoca anular, art. 213) o registrar uno nuevo")
    if evento in DECISIONES:
        grupo, claves = DECISIONES[evento]
        a, d = antes.get(grupo) or {}, despues.get(grupo) or {}
        cambian = [k for k in claves if a.get(k) != d.get(k)]
        if cambian:
            return (f"{FUENTE_RECTIFICAR}: la rectificación altera lo sustancial: cambiaría "
                    f"{', '.join(f'{grupo}.{k} ({_shown(a.get(k))} → {_shown(d.get(k))})' for k in cambian)}, el "
                    "sentido de la "
                    f"decisión; se requiere anularla ({FUENTE_ANULAR}: convoca anular) o registrar una nueva")
    publicado = "publicar" in previos or evento == "publicar"
    if not publicado or evento not in SELECCION:
        return None
    grupo, claves = SELECCION[evento]
    cambian = [k for k in claves if (antes.get(grupo) or {}).get(k) != (despues.get(grupo) or {}).get(k)]
    if cambian:
        return (f"{FUENTE_RECTIFICAR}: la rectificación altera lo sustancial: cambiaría "
                f"{', '.join(f'{grupo}.{k}' for k in cambian)} después de publicados los resultados, y con ello "
                "quién es seleccionado; se requiere anular la publicación (convoca anular) y publicar de nuevo")
    return None
