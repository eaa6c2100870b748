"""What `ver` shows of an E062 case beyond its groups of facts: its milestones (ITF) and its budget
lines, approved and executed (Guía §3.3; the contract's budget)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from states.pct_2019.rules import money
from states.pct_2019.rules.contrato import PARTIDAS
from states.pct_2019.rules.gastos import gastado
from states.pct_2019.rules.seguimiento import pendientes_previos
from states.vistas import Tabla

ANIDADOS = ("hitos", "gastos", "visitas", "reasignaciones", "coordinadores_anteriores")
"""Fact groups keyed by number, shown as their own tables rather than as one line."""


def hitos(hechos: dict[str, Any]) -> Tabla | None:
    todos = hechos.get("hitos")
    if not todos:
        return None
    filas = []
    for n in sorted(todos, key=int):
        h = todos[n]
        fecha = h.get("fecha", "—") + (f" (antes {h['fecha_original']})" if h.get("fecha_original") else "")
        fechas = ", ".join(f"{k} {h[k]}" for k in ("presentado", "observado", "levantado", "aprobado", "fisico_recibido")
                           if h.get(k))
        nota = h.get("calificacion", "")
        if h.get("falta_grave"):
            nota = (nota + " " if nota else "") + "(falta grave en visita)"
        filas.append((n, fecha, h.get("estado", "—"), str(h.get("indicadores", "—")),
                      str(pendientes_previos(todos, int(n)) or ""), nota, fechas))
    return Tabla("Hitos", ("Hito", "Fecha", "Estado", "Indicadores", "Pendientes de anteriores", "Calificación",
                           "Fechas"), filas)


def presupuesto(hechos: dict[str, Any]) -> Tabla | None:
    if not hechos.get("presupuesto"):
        return None
    filas = []
    for p in PARTIDAS:
        aprobado = Decimal(hechos["presupuesto"].get(p) or 0)
        usado = gastado(hechos.get("gastos"), p)
        if aprobado or usado:
            filas.append((p, money(aprobado), money(usado), money(aprobado - usado)))
    return Tabla("Presupuesto FONDECYT: aprobado y ejecutado", ("Partida", "Aprobado", "Ejecutado", "Saldo"), filas)


VISTAS = (hitos, presupuesto)
