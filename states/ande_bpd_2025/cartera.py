"""ANDE BPD 2025's money in the portfolio: approved is ANDE's amount once the Directorio approves;
committed is the convenio's amount; disbursed is the sum of its tranches (the advance, the second,
the final reimbursement); executed is what renditions approved of ANDE's funds."""
from __future__ import annotations

from typing import Any

from states.cartera import CERO, Dinero, LibroDeCartera, importe

APORTE = "aporte_ande"
"""The one line the portfolio follows: ANDE's contribution (the counterpart is the applicant's)."""


def dinero(hechos: dict[str, Any], estado: str, acts: list[dict[str, Any]]) -> Dinero:
    solicitado = importe((hechos.get("postulacion") or {}).get("monto_ande"))
    aprobada = (hechos.get("decision") or {}).get("decision") == "aprobada"
    tramos = hechos.get("desembolsos") or {}
    desembolsos = tuple((t["fecha"], importe(t["monto"])) for t in tramos.values())
    gastos = tuple((r["registrada"], APORTE, importe(r.get("aprobado_ande"))) for r in
                   (hechos.get("rendiciones") or {}).values() if r.get("aprobado_ande") is not None)
    return Dinero(solicitado=solicitado, aprobado=solicitado if aprobada else CERO,
                  comprometido={APORTE: solicitado} if "convenio" in hechos else {},
                  desembolsado=sum((m for _, m in desembolsos), CERO), desembolsos=desembolsos, gastos=gastos,
                  region=(hechos.get("institucion") or {}).get("departamento") or None)


CARTERA = LibroDeCartera(partidas=(APORTE,), notables=("decidir", "dar_por_desistida", "suspender", "cerrar"),
                         dinero=dinero)
