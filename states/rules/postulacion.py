"""Registering a proposal (postulación): Bases §3.4, §2.3.1, §3.1.2.

These rules judge the facts an imported row would create, before the case exists; the import runs
them for every row and lists every failure, and the `postular` audit row names them.
"""
from __future__ import annotations

from datetime import datetime

from states.context import Context
from states.definition import Rule


def enviada_antes_del_cierre(ctx: Context) -> str | None:
    enviada, cierre = ctx.need("postulacion.fecha", "la fecha de envío"), ctx.call.convocatoria.cierre
    if datetime.fromisoformat(enviada) > cierre:
        return f"enviada el {enviada}, después del cierre {cierre.isoformat()}"
    return None


def monto_dentro_del_maximo(ctx: Context) -> str | None:
    monto, maximo = ctx.decimal("postulacion.monto_solicitado"), ctx.call.seleccion.monto_maximo
    if monto is None or not monto.is_finite() or monto <= 0 or monto > maximo:
        return f"monto_solicitado {ctx.get('postulacion.monto_solicitado')} fuera de (0, {maximo}]"
    return None


def un_concepto_por_coordinador(ctx: Context) -> str | None:
    """Within a call: the coordinator's DNI may appear in one proposal only (one entity may win several)."""
    dni = ctx.need("coordinador.dni", "el DNI del coordinador")
    otros = [c for c, h in ctx.convocatoria.every_case()
             if c != ctx.codigo and (h.get("coordinador") or {}).get("dni") == dni] if ctx.convocatoria else []
    if otros:
        return (f"el coordinador (DNI {dni}) ya postuló con {otros[0]}; un concepto patentable por coordinador")
    return None


REGLAS_POSTULAR: tuple[Rule, ...] = (
    Rule("Bases §3.4", "enviada antes del cierre de la convocatoria", enviada_antes_del_cierre),
    Rule("Bases §2.3.1", "monto dentro del máximo por concepto", monto_dentro_del_maximo),
    Rule("Bases §3.1.2", "un concepto patentable por coordinador", un_concepto_por_coordinador),
)
