"""Monitoring of reports: ITF per milestone and the IFR (Guía §3.2.3, §3.2.4, §3.3.2, §3.4).

Rules here read `ctx.clave`, the report addressed: `hitos.N` for a milestone's ITF, `ifr` for the
final report. Unmet indicators of a milestone are not copied forward: the next milestone computes
them from the one before, so there is one fact and no second copy to drift.
"""
from __future__ import annotations

from decimal import Decimal

from states.context import Context
from states.definition import Rule
from states.plural import cuantos


def _n(ctx: Context) -> int | None:
    return int(ctx.clave.split(".")[1]) if ctx.clave and ctx.clave.startswith("hitos.") else None


def pendientes_previos(hechos_hitos: dict, n: int) -> int:
    """Indicators left unmet by the milestones before n and not yet met since (Guía §3.2.4: met at
    a later milestone). They are tracked beside milestone n, never added to its denominator."""
    antes = [h for k, h in hechos_hitos.items() if int(k) < n]
    return sum(int(h.get("pendientes") or 0) - int(h.get("pendientes_cumplidos") or 0) for h in antes)


def sin_cumplir(hechos_hitos: dict) -> dict[str, int]:
    """Unmet indicators per milestone still owed, oldest first: later milestones' catch-up pays the
    oldest debt first."""
    deuda = {k: int(h.get("pendientes") or 0) for k, h in sorted(hechos_hitos.items(), key=lambda kv: int(kv[0]))}
    for k, h in sorted(hechos_hitos.items(), key=lambda kv: int(kv[0])):
        pagado = int(h.get("pendientes_cumplidos") or 0)
        for j in deuda:
            if int(j) >= int(k) or not pagado:
                break
            usado = min(deuda[j], pagado)
            deuda[j] -= usado
            pagado -= usado
    return {k: v for k, v in deuda.items() if v}


def programados(ctx: Context, n: int) -> int:
    """Each milestone is graded on its own programmed indicators (Guía §3.2.4)."""
    return int((ctx.get("hitos") or {})[str(n)]["indicadores"])


def indicadores_posibles(ctx: Context) -> str | None:
    n = _n(ctx)
    if n is None:
        return None
    cumplidos, previos = ctx.datos.get("indicadores_cumplidos"), ctx.datos.get("pendientes_cumplidos")
    total = programados(ctx, n)
    if cumplidos is not None and not 0 <= cumplidos <= total:
        return f"indicadores cumplidos = {cumplidos}, pero el hito {n} programa {total}"
    debe = pendientes_previos(ctx.get("hitos") or {}, n)
    if previos is not None and not 0 <= previos <= debe:
        return (f"pendientes cumplidos = {previos}, pero de los hitos anteriores quedan {cuantos(debe, 'indicador')} "
                "sin cumplir")
    return None


def itf_con_indicadores(ctx: Context) -> str | None:
    if _n(ctx) is not None and ctx.datos.get("indicadores_cumplidos") is None \
            and ctx.get(f"{ctx.clave}.indicadores_cumplidos") is None:
        return "el ITF debe informar los indicadores cumplidos (indicadores_cumplidos)"
    return None


def no_es_el_ultimo_hito(ctx: Context) -> str | None:
    n = _n(ctx)
    if n is not None and str(n + 1) not in (ctx.get("hitos") or {}):
        return f"el hito {n} es el final: no admite ampliación (use la ampliación del proyecto, Guía §3.6)"
    return None


def solicitada_dentro_de_p6(ctx: Context) -> str | None:
    """P6 read from the ledger: the request is timely while the milestone's P6 is open."""
    n, solicitud = _n(ctx), ctx.datos.get("fecha_solicitud")
    if n is None or not solicitud or str(n + 1) not in (ctx.get("hitos") or {}):
        return None
    p6 = ctx.plazo("P6", str(n))
    if p6 is None:
        return f"P6: no hay plazo abierto para solicitar la ampliación del hito {n}"
    if solicitud > p6["vence"].isoformat():
        return (f"P6 (solicitud de ampliación del hito {n}) venció el {p6['vence'].isoformat()}; "
                f"la solicitud es del {solicitud}")
    return None


def nueva_fecha_coherente(ctx: Context) -> str | None:
    n, nueva = _n(ctx), ctx.datos.get("nueva_fecha")
    if n is None or not nueva:
        return None
    actual, fin = ctx.get(f"{ctx.clave}.fecha"), ctx.get("ejecucion.fin")
    siguiente = (ctx.get(f"hitos.{n + 1}") or {}).get("fecha")
    if nueva <= actual:
        return f"la nueva fecha ({nueva}) debe ser posterior a la actual ({actual})"
    if siguiente and nueva >= siguiente:
        return f"la nueva fecha ({nueva}) debe ser anterior al hito {n + 1} ({siguiente})"
    if nueva > fin:
        return f"la nueva fecha ({nueva}) excede el fin de la ejecución ({fin})"
    return None


def plazo_para_pendientes(ctx: Context) -> str | None:
    """Guía §3.2.4: the monitor may set a period for the unmet indicators; it runs after the RITF and
    within the project's execution, where they can still be met."""
    plazo, n = ctx.datos.get("plazo_pendientes"), _n(ctx)
    if not plazo or n is None:
        return None
    fin = ctx.get("ejecucion.fin")
    if plazo <= ctx.fecha.isoformat():
        return f"el plazo para los indicadores pendientes ({plazo}) debe ser posterior a la aprobación ({ctx.fecha})"
    if fin and plazo > fin:
        return f"el plazo para los indicadores pendientes ({plazo}) excede el fin de la ejecución ({fin})"
    return None


REGLAS_APROBAR: tuple[Rule, ...] = (
    Rule("Guía §3.2.4", "el plazo para los indicadores pendientes cae dentro de la ejecución", plazo_para_pendientes,
         sobre_datos=True),
)

REGLAS_PRESENTAR: tuple[Rule, ...] = (
    Rule("Guía §3.3.2", "el ITF informa sus indicadores", itf_con_indicadores, sobre_datos=True),
    Rule("Guía §3.2.4", "indicadores cumplidos dentro de los programados", indicadores_posibles, sobre_datos=True),
)

REGLAS_AMPLIAR_HITO: tuple[Rule, ...] = (
    Rule("Guía §3.4", "no se amplía el hito final", no_es_el_ultimo_hito),
    Rule("Guía §3.4", "se solicita hasta la fecha de fin del hito (P6)", solicitada_dentro_de_p6, sobre_datos=True),
    Rule("Guía §3.4", "nueva fecha entre la actual, el hito siguiente y el fin de la ejecución",
         nueva_fecha_coherente, sobre_datos=True),
)


def presentado(ctx: Context) -> dict[str, object]:
    return {"presentado": ctx.fecha.isoformat()}


def observado(ctx: Context) -> dict[str, object]:
    """The day of the observations; their notification takes effect later (states/notificaciones.py)."""
    return {"observado": ctx.fecha.isoformat()}


def levantado(ctx: Context) -> dict[str, object]:
    return {"levantado": ctx.fecha.isoformat()}


def recibido(ctx: Context) -> dict[str, object]:
    return {"fisico_recibido": ctx.fecha.isoformat()}


def ampliado(ctx: Context) -> dict[str, object]:
    original = ctx.get(f"{ctx.clave}.fecha_original") or ctx.get(f"{ctx.clave}.fecha")
    return {"fecha": ctx.datos["nueva_fecha"], "fecha_original": original, "ampliacion_aprobada": ctx.fecha.isoformat()}


def grade(cumplidos: int, total: int, mal_uso: bool, falta_grave: bool, ctx: Context) -> tuple[str, Decimal]:
    """RITF grade (Guía §3.2.4): all indicators weigh the same."""
    cumplimiento = Decimal(cumplidos) / Decimal(total) if total else Decimal(1)
    seg = ctx.call.seguimiento
    if mal_uso or falta_grave or cumplimiento < seg.ritf_aprobado_con_reserva:
        return "Desaprobado", cumplimiento
    if cumplimiento < seg.ritf_aprobado:
        return "Aprobado con reserva", cumplimiento
    return "Aprobado", cumplimiento


GESTION = ("satisfactoria", "no_satisfactoria")
"""The RIFR's grades of the EE's technical and financial management (Guía §3.3.2, Cap. IV)."""


def calificar(ctx: Context) -> dict[str, object]:
    n = _n(ctx)
    if n is None:
        tecnica, financiera = ctx.datos["gestion_tecnica"], ctx.datos["gestion_financiera"]
        nota = "satisfactoria" if tecnica == financiera == "satisfactoria" else "no_satisfactoria"
        return {"aprobado": ctx.fecha.isoformat(), "calificacion": nota}
    total = programados(ctx, n)
    cumplidos = int(ctx.datos.get("indicadores_cumplidos", ctx.get(f"{ctx.clave}.indicadores_cumplidos")))
    mal_uso = bool(ctx.datos.get("mal_uso_fondos"))
    falta = bool(ctx.get(f"{ctx.clave}.falta_grave"))
    nota, cumplimiento = grade(cumplidos, total, mal_uso, falta, ctx)
    motivo = ("mal uso de los fondos" if mal_uso else "negativa de acceso a la visita de monitoreo" if falta
              else f"{cumplidos} de {total} indicadores ({cumplimiento:.0%})")
    return {"aprobado": ctx.fecha.isoformat(), "calificacion": nota, "cumplimiento": str(cumplimiento),
            "pendientes": total - cumplidos, "motivo_calificacion": motivo, "mal_uso_fondos": mal_uso}
