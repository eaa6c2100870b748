"""Extending the project: Guía §3.6 (P7), Contrato cl. 11."""
from __future__ import annotations

from typing import Any

from states.context import Context
from states.definition import Field, Rule
from states.rules.contrato import PUBLICAS


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
    if not ctx.get("ampliacion.solicitada") or ctx.get("ampliacion.aprobada"):
        return "no hay una solicitud de ampliación pendiente (solicitar_ampliacion)"
    return None


def nuevo_po_para_la_ampliacion(ctx: Context) -> str | None:
    nuevo = ctx.datos.get("nuevo_fin")
    if not nuevo:
        return None
    if int(ctx.get("po.version") or 0) <= int(ctx.get("ampliacion.po_version") or 0):
        return "la ampliación requiere una nueva versión del Plan Operativo (registrar_po)"
    if max(ctx.get("po.hitos")) != nuevo:
        return f"el último hito del PO vigente ({max(ctx.get('po.hitos'))}) debe coincidir con el nuevo fin ({nuevo})"
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
    return {"solicitada": ctx.fecha.isoformat(), "po_version": ctx.get("po.version"), "aprobada": None}


def aprobacion(ctx: Context) -> dict[str, Any]:
    return {"aprobada": ctx.fecha.isoformat()}


def ampliar_fin(ctx: Context) -> dict[str, Any]:
    """The new end and the current PO's dates for every milestone not yet presented."""
    hitos = ctx.get("hitos") or {}
    fechas = ctx.get("po.hitos")
    nuevos = {n: {"fecha": fechas[int(n) - 1]} for n, h in hitos.items()
              if h["estado"] in ("programado", "ampliado") and int(n) <= len(fechas)}
    return {"ejecucion": {"fin": ctx.datos["nuevo_fin"], "fin_original": ctx.get("ejecucion.fin_original")
                          or ctx.get("ejecucion.fin")}, "hitos": nuevos}


REGLAS_SOLICITAR_AMPLIACION = (
    Rule("Guía §3.6", "solicitud al menos {seguimiento.dias_minimos_ampliacion} días calendario antes del fin",
         solicitada_con_anticipacion),
)


REGLAS_APROBAR_AMPLIACION = (
    Rule("Guía §3.6", "solicitud de ampliación pendiente", ampliacion_solicitada),
    Rule("Guía §3.6", "el nuevo fin es posterior al actual", nuevo_fin_posterior, sobre_datos=True),
    Rule("Guía §3.6", "nueva versión del PO que termina en el nuevo fin", nuevo_po_para_la_ampliacion, sobre_datos=True),
    Rule("Guía §3.6; Contrato cl. 11", "carta fianza renovada hasta el nuevo fin", fianza_cubre_nuevo_fin,
         sobre_datos=True),
)


CAMPOS_SOLICITAR_AMPLIACION = (Field("justificacion", "texto", "justificación de la ampliación"),)


CAMPOS_APROBAR_AMPLIACION = (
    Field("informe_monitor", "texto", "informe del monitor"),
    Field("adenda_numero", "texto", "número de la adenda"),
    Field("adenda_fecha", "fecha", "fecha de la adenda"),
    Field("nuevo_fin", "fecha", "nuevo fin de la ejecución"),
)

