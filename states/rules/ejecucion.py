"""Execution and its ways out: Bases §2.3.1; Guía §3.2.2, §3.3.2; Contrato cl. 9, 10."""
from __future__ import annotations

from states.context import Context
from states.definition import Field, Rule


def hitos_dentro_del_periodo(ctx: Context) -> str | None:
    hitos = ctx.dates("po.hitos")
    inicio, fin = ctx.date("ejecucion.inicio"), ctx.date("ejecucion.fin")
    if not hitos:
        return "el Plan Operativo no tiene hitos"
    fuera = [h.isoformat() for h in hitos if not inicio < h <= fin]
    if fuera:
        return f"hitos fuera del periodo de ejecución ({inicio} a {fin}): {', '.join(fuera)}"
    if max(hitos) != fin:
        return f"el último hito ({max(hitos).isoformat()}) debe coincidir con el fin de la ejecución ({fin})"
    return None


def ejecucion_concluida(ctx: Context) -> str | None:
    fin = ctx.date("ejecucion.fin")
    if ctx.fecha < fin:
        return f"la ejecución termina el {fin.isoformat()} (fecha indicada: {ctx.fecha.isoformat()})"
    return None


def incumplimiento_con_informe(ctx: Context) -> str | None:
    if ctx.datos.get("causa") == "incumplimiento" and not ctx.datos.get("informe_usm"):
        return "la resolución por incumplimiento requiere el informe de la USM (informe_usm)"
    return None


REGLAS_PO: tuple[Rule, ...] = (
    Rule("Guía §3.2.2, §3.3.1", "hitos dentro del periodo de ejecución, el último en su fin", hitos_dentro_del_periodo),
)
REGLAS_TERMINAR: tuple[Rule, ...] = (
    Rule("Bases §2.3.1", "la ejecución llegó a su fin", ejecucion_concluida),
)
REGLAS_RESOLVER: tuple[Rule, ...] = (
    Rule("Contrato cl. 9; Guía §4.3", "incumplimiento tras informe de la USM", incumplimiento_con_informe,
         sobre_datos=True),
)

CAMPOS_PO: tuple[Field, ...] = (
    Field("version", "entero", "versión del Plan Operativo"),
    Field("hitos", "fechas", "fechas de los hitos (AAAA-MM-DD;…)"),
)
CAMPOS_CERRAR: tuple[Field, ...] = (
    Field("rifr", "texto", "número del informe final (RIFR) de la USM"),
    Field("oficio", "texto", "oficio de cierre"),
)
CAMPOS_RESOLVER: tuple[Field, ...] = (
    Field("causa", "opcion", "causa", opciones=("incumplimiento", "fuerza_mayor", "solicitud_ee")),
    Field("carta_notarial", "texto", "carta notarial de resolución"),
    Field("informe_usm", "texto", "informe de la USM que sustenta el incumplimiento", requerido=False),
)
CAMPOS_DESCALIFICAR: tuple[Field, ...] = (
    Field("causa", "opcion", "causa",
          opciones=("informacion_falsa", "plagio", "verificacion_previa", "impedimento")),
    Field("motivo", "texto", "detalle del hallazgo"),
)
