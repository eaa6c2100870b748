"""What the messages of E062-2019-01 say: of the case (its title, entity, coordinator, domicile),
and, for each message an event sends, what it says beyond the case (the result and what to do next,
the signing period, the observations and the days to lift them, the induction's date). Which event
sends each message, to whom and when is the lifecycle's and the messages' table (lifecycle.py,
mensajes.py); the templates in `templates/` read these contexts."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from states.book import Redaccion
from states.context import Context
from states.pct_2019.mensajes import FUENTE_DOMICILIO
from states.pct_2019.plazos import BY_TYPE, desde_notificacion
from states.pct_2019.rules import money

Case = Any
"""What a message reads of the case an event moved (the engine's `Case`): its code, state and facts."""
Call = Any


def domicilio(hechos: dict[str, Any]) -> str | None:
    """The domicile of the communications (mensajes.py FUENTE_DOMICILIO): the contract's, or the
    one the entity gave in writing since."""
    return (hechos.get("domicilio") or {}).get("direccion") or (hechos.get("contrato") or {}).get("domicilio")


def caso(codigo: str, hechos: dict[str, Any]) -> dict[str, Any]:
    """What every message says of its case."""
    desembolsado = (hechos.get("ejecucion") or {}).get("monto_desembolsado")
    return {"codigo": codigo, "titulo": (hechos.get("postulacion") or {}).get("titulo", ""),
            "entidad": (hechos.get("entidad") or {}).get("razon_social", ""),
            "coordinador": (hechos.get("coordinador") or {}).get("nombre", ""),
            "representante": (hechos.get("representante") or {}).get("nombre", ""),
            "domicilio": domicilio(hechos) or "", "desembolsado": money(desembolsado) if desembolsado else ""}


def cargo(hechos: dict[str, Any], mensaje: int) -> dict[str, Any]:
    """The delivery of a letter at the domicile, as `registrar_cargo` recorded it (empty if none)."""
    return (hechos.get("cargos") or {}).get(str(mensaje)) or {}


RESULTADOS = {"aprobada": "seleccionada (aprobada)", "accesitaria": "accesitaria (lista de espera)",
              "desaprobada": "no seleccionada (desaprobada)"}
QUE_HACER = {"aprobada": "presentar a la UES su proveedor de PI y el presupuesto, y coordinar la firma del contrato.",
             "accesitaria": "ninguna acción por ahora: se le avisará si se libera una plaza.",
             "desaprobada": "ninguna; puede revisar la ficha de evaluación con la UES."}


def _resultado(case: Case, ctx: Context, call: Call) -> dict[str, Any]:
    res, ev = case.estado, case.hechos.get("evaluacion") or {}
    return {"resultado_texto": RESULTADOS[res], "resolucion": ctx.datos["resolucion"],
            "puntaje": f"{Decimal(ev.get('puntaje_final', '0')):.2f}", "orden_merito": ctx.datos.get("orden_merito", "—"),
            "umbral": call.seleccion.puntaje_minimo, "que_hacer": QUE_HACER[res]}


def _invitacion(case: Case, ctx: Context, call: Call) -> dict[str, Any]:
    """The signing period runs from this notification's effect, unknown when it is sent; on a call
    that counts from the act (states/plazos.py `desde_notificacion`), from today."""
    dias = call.contrato.dias_habiles_para_firmar
    return {"dias_firma": dias, "firma_vence": None if desde_notificacion(ctx)
            else ctx.calendario.add_business_days(ctx.fecha, dias)}


def _observaciones(kind: str, dias: str):
    """The observations and the days to lift them (`dias`, the call key of the period `kind`); their
    due date only on a call that counts from the act."""
    def build(case: Case, ctx: Context, call: Call) -> dict[str, Any]:
        due = BY_TYPE[kind].vence(ctx, ctx.calendario, str(ctx.datos["hito"]) if "hito" in ctx.datos else None)
        return {"hito": ctx.datos.get("hito"), "observaciones": ctx.datos.get("observaciones", ""),
                "dias": getattr(call.plazos, dias), "vence": None if desde_notificacion(ctx) or due is None else due[1]}
    return build


def _promocion(case: Case, ctx: Context, call: Call) -> dict[str, Any]:
    return {**_invitacion(case, ctx, call), "vacante": ctx.datos["vacante"]}


def _induccion(case: Case, ctx: Context, call: Call) -> dict[str, Any]:
    k = BY_TYPE["P1"]
    _, vence = k.vence(ctx, ctx.calendario, None)
    return {"plazo": {"tipo": k.tipo, "titulo": k.titulo, "fuente": k.fuente, "vence": vence, "hito": None}}


CONTEXTO = {"resultado": _resultado, "invitacion_firma": _invitacion, "promocion": _promocion, "induccion": _induccion,
            "observaciones_itf": _observaciones("P4", "levantar_itf_dias"),
            "observaciones_ifr": _observaciones("P9", "levantar_ifr_dias")}
"""What each kind of event message says beyond the case itself; which event sends it, to whom and
when is the table's (states/lifecycle.py, states/mensajes.py)."""


REPETIDAS = ("observaciones_itf", "observaciones_ifr")
"""Notices a case may receive more than once (a report observed again): their key carries the day."""


REDACCION = Redaccion(caso=caso, contextos=CONTEXTO, repetidas=REPETIDAS, domicilio=domicilio,
                      fuente_domicilio=FUENTE_DOMICILIO, evento_domicilio="registrar_domicilio", cargo=cargo,
                      institucion="FONDECYT", muestra={"vacante": "—", "resolucion": "(resolución por emitir)"},
                      firmas={"USM": "Unidad de Seguimiento y Monitoreo", "DE": "Dirección Ejecutiva"})
