"""Messages an event causes (results, promotion, invitation to sign, induction), queued in the
event's own transaction."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from notifications.outbox import case_context
from states.call import Call
from states.context import Context
from states.definition import DefinitionError, Event
from states.pct_2019.lifecycle import CICLO
from states.pct_2019.mensajes import BY_KIND
from states.pct_2019.plazos import BY_TYPE, desde_notificacion


class Case(Protocol):
    """What a message reads of the case an event moved (the engine's `Case`): its code, state and facts."""

    codigo: str
    estado: str
    hechos: dict[str, Any]


RESULTADOS = {"aprobada": "seleccionada (aprobada)", "accesitaria": "accesitaria (lista de espera)",
              "desaprobada": "no seleccionada (desaprobada)"}
QUE_HACER = {"aprobada": "presentar a la UES su proveedor de PI y el presupuesto, y coordinar la firma del contrato.",
             "accesitaria": "ninguna acción por ahora: se le avisará si se libera una plaza.",
             "desaprobada": "ninguna; puede revisar la ficha de evaluación con la UES."}


def _base(call: Call, case: Case) -> dict[str, Any]:
    return {"convocatoria": {"codigo": call.codigo, "nombre": call.convocatoria.nombre},
            "caso": case_context(case.codigo, case.hechos)}


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


def outbox_key(codigo: str, tipo: str, hito: object, fecha) -> str:
    """The outbox key of an event's message: one per case and kind, per milestone and day for the
    observations; `convoca notificaciones` finds a notification's message by it."""
    if tipo not in REPETIDAS:
        return f"{codigo}:{tipo}"
    return f"{codigo}:{tipo}:{hito if hito not in (None, '') else '-'}:{fecha.isoformat()}"


def event_messages(event: Event, case: Case, ctx: Context, call: Call) -> list[dict[str, Any]]:
    """The messages `event` queues (declared in its `mensajes`), with their recipients' roles."""
    base = _base(call, case)
    return [{"clave": outbox_key(case.codigo, tipo, ctx.datos.get("hito"), ctx.fecha), "tipo": tipo, "roles": BY_KIND[tipo].para,
             "contexto": {**base, **CONTEXTO[tipo](case, ctx, call)}}
            for tipo in event.mensajes if not BY_KIND[tipo].si_estado or case.estado in BY_KIND[tipo].si_estado]


def check() -> None:
    """Every kind an event may queue has a builder here, and nothing here is undeclared."""
    declared = {t for ev in CICLO.eventos for t in ev.mensajes}
    if declared != set(CONTEXTO):
        raise DefinitionError(f"mensajes de eventos sin contenido o de más: {sorted(declared ^ set(CONTEXTO))}")


check()
