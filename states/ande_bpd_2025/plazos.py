"""The deadlines of ANDE «Bienes Públicos Digitales» 2025: the clarification asked in the formal
check (no answer: eliminated), the convenio after approval (else it may be deemed withdrawn), ANDE's
own advance within its days of the start, and a rendition after each period of the schedule.
Counted in Uruguay's calendar: «días hábiles» in its business days; bare «días», [policy] calendar days."""
from __future__ import annotations

from datetime import date, timedelta

from states.context import Context
from states.plazos import DeadlineKind, LibroDePlazos
from states.roles import MONITOR
from states.roles import UES as ROL_UES

INSTITUCION = "institucion"
UES = "UES"
"""The program's unit (officers with the role ues) owes ANDE's own obligations, as the installation names it."""


def _aclaracion(ctx: Context, cal, hito: str | None) -> tuple[date, date] | None:
    pedido = ctx.date("aclaracion.fecha")
    return None if pedido is None else (pedido, cal.add_business_days(pedido, ctx.call.plazos.dias_habiles_aclaracion))


def _convenio(ctx: Context, cal, hito: str | None) -> tuple[date, date] | None:
    aprobado = ctx.date("decision.fecha")
    return None if aprobado is None else (aprobado, aprobado + timedelta(days=ctx.call.plazos.dias_convenio))


def _anticipo(ctx: Context, cal, hito: str | None) -> tuple[date, date] | None:
    inicio = ctx.date("convenio.fecha_inicio")
    return None if inicio is None else (inicio, inicio + timedelta(days=ctx.call.plazos.dias_anticipo))


def _rendicion(ctx: Context, cal, hito: str | None) -> tuple[date, date] | None:
    hasta = ctx.date(f"periodos.{hito}.hasta") if hito else None
    return None if hasta is None else (hasta, cal.add_business_days(hasta, ctx.call.plazos.dias_habiles_rendicion))


PLAZOS = (
    DeadlineKind("PA", "Respuesta a la aclaración", "B «Ámbitos de evaluación y aprobación»", INSTITUCION, "habiles",
                 ("pedir_aclaracion",), ("responder_aclaracion",),
                 "sin respuesta, la postulación queda eliminada automáticamente", _aclaracion,
                 anula=("eliminar",), que_hacer="responder o corregir lo pedido por ANDE.",
                 avisar=("responsable",)),
    DeadlineKind("PC", "Firma del convenio", "B «Implementación» a", INSTITUCION, "calendario",
                 ("decidir",), ("firmar_convenio",),
                 "ANDE puede dar por desistida la postulación, salvo que apruebe expresamente otra fecha", _convenio,
                 anula=("dar_por_desistida",), que_hacer="firmar el convenio con ANDE.", avisar=("responsable",)),
    DeadlineKind("PD", "Anticipo (30 %) de ANDE", "B «Modalidad de desembolsos»", UES, "calendario",
                 ("firmar_convenio",), ("desembolsar",), "ANDE desembolsa fuera del plazo que fijan las bases",
                 _anticipo, cumple_si=lambda c: c.datos.get("tramo") == "anticipo", tarea=True,
                 que_hacer="desembolsar el anticipo (desembolsar, tramo=anticipo).", avisar=(MONITOR,)),
    DeadlineKind("PR", "Rendición de gastos del período", "planilla «Cronograma» 3", INSTITUCION, "habiles",
                 ("firmar_convenio",), ("rendir",), "el monitor lo registra; no hay segundo desembolso sin lo rendido",
                 _rendicion, por_hito=True, que_hacer="rendir los gastos del período (fondos de ANDE y contrapartida).",
                 avisar=("responsable", MONITOR)),
)


def _abre(kind: DeadlineKind, evento: str, ctx: Context) -> bool:
    """The convenio's period opens only for an approved application."""
    if kind.tipo == "PC":
        return evento in kind.abre and ctx.get("decision.decision") == "aprobada"
    return evento in kind.abre


LIBRO = LibroDePlazos(
    tipos=PLAZOS, hitos="periodos", salidas=frozenset({"eliminada", "no_admitida", "no_aprobada", "desistida",
                                                        "cancelada", "cerrada"}),
    responsables=(INSTITUCION, UES, MONITOR), del_rol={ROL_UES: UES}, recordatorio="recordatorio", vencido="vencido",
    prorroga="prorroga", abre=_abre)
"""The book of deadlines of ANDE BPD 2025, as the engine reads it (states/plazos.py)."""
