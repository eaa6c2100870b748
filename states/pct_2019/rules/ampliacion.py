"""Extending the project: Guía §3.6 (P7), Contrato cl. 11."""
from __future__ import annotations

from typing import Any

from states.context import Context
from states.definition import Field, Rule
from states.pct_2019.rules.contrato import PUBLICAS


def solicitada_con_anticipacion(ctx: Context) -> str | None:
    """P7 read from the ledger: the request is timely while P7 is open and not past its day."""
    fin, dias = ctx.date("ejecucion.fin"), ctx.call.seguimiento.dias_minimos_ampliacion
    if fin is None:
        return "el caso no tiene registrado el periodo de ejecución (desembolsar)"
    p7 = ctx.plazo("P7")
    if p7 is None:
        return "P7: no hay plazo abierto para solicitar la ampliación del proyecto"
    limite = p7["vence"]
    if ctx.fecha > limite:
        return (f"la ampliación debe solicitarse al menos {dias} días calendario antes del fin de la ejecución "
                f"({fin.isoformat()}): a más tardar el {limite.isoformat()}; solicitada el {ctx.fecha.isoformat()}")
    return None


def ampliacion_solicitada(ctx: Context) -> str | None:
    if not ctx.get("ampliacion.solicitada") or ctx.get("ampliacion.aprobada") or ctx.get("ampliacion.rechazada"):
        return "no hay una solicitud de ampliación pendiente (solicitar_ampliacion)"
    return None


def nuevo_po_para_la_ampliacion(ctx: Context) -> str | None:
    """Guía §3.6: the extension comes with a new PO version whose milestones all fall within the new
    period (the last need not fall on its last day) and keep every milestone already programmed."""
    nuevo = ctx.datos.get("nuevo_fin")
    if not nuevo:
        return None
    if int(ctx.get("po.version") or 0) <= int(ctx.get("ampliacion.po_version") or 0):
        return "la ampliación requiere una nueva versión del Plan Operativo (registrar_po)"
    fechas, inicio = ctx.get("po.hitos") or [], ctx.get("ejecucion.inicio")
    fuera = [f for f in fechas if not inicio < f <= nuevo]
    if fuera:
        return f"hitos del PO vigente fuera del nuevo periodo ({inicio} a {nuevo}): {', '.join(fuera)}"
    hitos = ctx.get("hitos") or {}
    if len(fechas) < len(hitos):
        return f"el PO vigente programa {len(fechas)} hitos y el proyecto ya tiene {len(hitos)}"
    return None


def nuevo_fin_posterior(ctx: Context) -> str | None:
    nuevo, fin = ctx.datos.get("nuevo_fin"), ctx.get("ejecucion.fin")
    if nuevo and nuevo <= fin:
        return f"el nuevo fin ({nuevo}) debe ser posterior al actual ({fin})"
    return None


def fianza_cubre_nuevo_fin(ctx: Context) -> str | None:
    nuevo = ctx.datos.get("nuevo_fin")
    if not nuevo or ctx.get("entidad.regimen") in PUBLICAS:
        return None
    vence = ctx.get("fianza.vencimiento")
    if not vence or vence < nuevo:
        return f"la carta fianza vence el {vence} y debe renovarse hasta el nuevo fin ({nuevo}) (registrar_fianza)"
    return None


def solicitud(ctx: Context) -> dict[str, Any]:
    return {"solicitada": ctx.fecha.isoformat(), "po_version": ctx.get("po.version"), "aprobada": None,
            "rechazada": None}


def aprobacion(ctx: Context) -> dict[str, Any]:
    return {"aprobada": ctx.fecha.isoformat()}


def rechazo(ctx: Context) -> dict[str, Any]:
    return {"rechazada": ctx.fecha.isoformat()}


def ampliar_fin(ctx: Context) -> dict[str, Any]:
    """The new end and the new PO's milestones: new dates (and indicators) for those not yet
    presented, and the milestones the new PO adds, programmed like the first ones."""
    from states.pct_2019.rules.arranque import indicadores_del_po

    hitos = ctx.get("hitos") or {}
    fechas, indicadores = ctx.get("po.hitos"), indicadores_del_po(ctx)
    cambios: dict[str, Any] = {}
    for i, fecha in enumerate(fechas):
        n = str(i + 1)
        if n not in hitos:
            cambios[n] = {"fecha": fecha, "indicadores": indicadores[i], "estado": "programado",
                          "agregado_por_ampliacion": ctx.fecha.isoformat()}
        elif hitos[n]["estado"] in ("programado", "ampliado"):
            cambios[n] = {"fecha": fecha, "indicadores": indicadores[i]}
    return {"ejecucion": {"fin": ctx.datos["nuevo_fin"], "fin_original": ctx.get("ejecucion.fin_original")
                          or ctx.get("ejecucion.fin")}, "hitos": cambios}


REGLAS_SOLICITAR_AMPLIACION = (
    Rule("Guía §3.6", "solicitud al menos {seguimiento.dias_minimos_ampliacion} días calendario antes del fin",
         solicitada_con_anticipacion),
)


REGLAS_APROBAR_AMPLIACION = (
    Rule("Guía §3.6", "solicitud de ampliación pendiente", ampliacion_solicitada),
    Rule("Guía §3.6", "el nuevo fin es posterior al actual", nuevo_fin_posterior, sobre_datos=True),
    Rule("Guía §3.6", "nueva versión del PO con sus hitos dentro del nuevo periodo", nuevo_po_para_la_ampliacion,
         sobre_datos=True),
    Rule("Guía §3.6; Contrato cl. 11", "carta fianza renovada hasta el nuevo fin", fianza_cubre_nuevo_fin,
         sobre_datos=True),
)


REGLAS_RECHAZAR_AMPLIACION = (
    Rule("Guía §3.6", "solicitud de ampliación pendiente", ampliacion_solicitada),
)


CAMPOS_RECHAZAR_AMPLIACION = (
    Field("informe_monitor", "texto", "informe del monitor"),
    Field("motivo", "texto", "por qué no procede la ampliación"),
)


CAMPOS_SOLICITAR_AMPLIACION = (Field("justificacion", "texto", "justificación de la ampliación"),)


CAMPOS_APROBAR_AMPLIACION = (
    Field("informe_monitor", "texto", "informe del monitor"),
    Field("adenda_numero", "texto", "número de la adenda"),
    Field("adenda_fecha", "fecha", "fecha de la adenda"),
    Field("nuevo_fin", "fecha", "nuevo fin de la ejecución"),
)

