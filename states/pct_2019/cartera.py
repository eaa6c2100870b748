"""E062's money in the portfolio (Bases §5, the contract, the Guía de Seguimiento): the amount asked is
what is approved once the case is selected or promoted; the contract commits its budget lines; the
one disbursement (contract clause 5) is the amount recorded with `desembolsar`; a case closed by its
IFR owes back what it did not spend, a resolved or disqualified one what its resolution says."""
from __future__ import annotations

from typing import Any

from states.cartera import CERO, Dinero, LibroDeCartera, importe
from states.pct_2019.rules.contrato import PARTIDAS


def dinero(hechos: dict[str, Any], estado: str, acts: list[dict[str, Any]]) -> Dinero:
    solicitado = importe(hechos.get("postulacion", {}).get("monto_solicitado"))
    seleccionado = hechos.get("resultado", {}).get("resultado") == "aprobada" or "promocion" in hechos
    comprometido = {p: importe(hechos.get("presupuesto", {}).get(p)) for p in PARTIDAS} if "contrato" in hechos else {}
    desembolsado = importe(hechos.get("ejecucion", {}).get("monto_desembolsado"))
    gastos = tuple((g["registrado"], g["partida"], importe(g.get("monto"))) for g in (hechos.get("gastos") or {}).values())
    ejecutado = sum((m for _, _, m in gastos), CERO)
    devuelto = importe(hechos.get("devolucion", {}).get("monto"))
    salida = hechos.get("resolucion") or hechos.get("descalificacion") or {}
    if salida.get("total_a_devolver"):
        por_devolver = max(importe(salida["total_a_devolver"]) - devuelto, CERO)
    elif estado == "ifr":
        por_devolver = max(desembolsado - ejecutado - devuelto, CERO)
    else:
        por_devolver = CERO
    return Dinero(solicitado=solicitado, aprobado=solicitado if seleccionado else CERO, comprometido=comprometido,
                  desembolsado=desembolsado,
                  desembolsos=tuple((a["fecha_efectiva"], desembolsado) for a in acts if a["evento"] == "desembolsar"),
                  gastos=gastos, devuelto=(hechos.get("devolucion", {}).get("fecha"), devuelto),
                  por_devolver=por_devolver, region=hechos.get("entidad", {}).get("region"))


CARTERA = LibroDeCartera(
    partidas=PARTIDAS,
    notables=("promover", "aprobar_ampliacion", "ampliar_hito", "resolver_contrato", "descalificar", "desistir",
              "cerrar"),
    dinero=dinero)
