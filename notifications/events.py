"""Messages an event causes (results, promotion, invitation to sign, induction), queued in the
event's own transaction."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from notifications.outbox import case_context
from states.call import Call
from states.context import Context
from states.definition import Event
from workflow.machine import Case

RESULTADOS = {"aprobada": "seleccionada (aprobada)", "accesitaria": "accesitaria (lista de espera)",
              "desaprobada": "no seleccionada (desaprobada)"}
QUE_HACER = {"aprobada": "presentar a la UES su proveedor de PI y el presupuesto, y coordinar la firma del contrato.",
             "accesitaria": "ninguna acción por ahora: se le avisará si se libera una plaza (Bases §4.3).",
             "desaprobada": "ninguna; puede revisar la ficha de evaluación con la UES."}


def _base(call: Call, case: Case) -> dict[str, Any]:
    return {"convocatoria": {"codigo": call.codigo, "nombre": call.convocatoria.nombre},
            "caso": case_context(case.codigo, case.hechos)}


def event_messages(event: Event, case: Case, ctx: Context, call: Call) -> list[dict[str, Any]]:
    base = _base(call, case)
    out: list[dict[str, Any]] = []

    def invitation(desde) -> dict[str, Any]:
        dias = call.contrato.dias_habiles_para_firmar
        return {"dias_firma": dias, "firma_vence": ctx.calendario.add_business_days(desde, dias)}

    if event.nombre == "publicar":
        res = case.estado
        ev = case.hechos.get("evaluacion") or {}
        out.append({"clave": f"{case.codigo}:resultado", "tipo": "resultado", "roles": ("coordinador",),
                    "contexto": {**base, "resultado_texto": RESULTADOS[res], "resolucion": ctx.datos["resolucion"],
                                 "puntaje": f"{Decimal(ev.get('puntaje_final', '0')):.2f}",
                                 "orden_merito": ctx.datos.get("orden_merito", "—"),
                                 "umbral": call.seleccion.puntaje_minimo, "que_hacer": QUE_HACER[res]}})
        if res == "aprobada":
            out.append({"clave": f"{case.codigo}:invitacion_firma", "tipo": "invitacion_firma",
                        "roles": ("representante", "coordinador"), "contexto": {**base, **invitation(ctx.fecha)}})
    elif event.nombre == "promover":
        inv = invitation(ctx.fecha)
        out.append({"clave": f"{case.codigo}:promocion", "tipo": "promocion", "roles": ("coordinador", "representante"),
                    "contexto": {**base, **inv, "vacante": ctx.datos["vacante"]}})
        out.append({"clave": f"{case.codigo}:invitacion_firma", "tipo": "invitacion_firma",
                    "roles": ("representante", "coordinador"), "contexto": {**base, **inv}})
    elif event.nombre == "firmar_contrato":
        from states.plazos import BY_TYPE

        k = BY_TYPE["P1"]
        desde, vence = k.vence(ctx, ctx.calendario, None)
        out.append({"clave": f"{case.codigo}:induccion", "tipo": "induccion", "roles": ("coordinador",),
                    "contexto": {**base, "plazo": {"tipo": "P1", "titulo": k.titulo, "fuente": k.fuente,
                                                   "vence": vence, "hito": None}}})
    return out
