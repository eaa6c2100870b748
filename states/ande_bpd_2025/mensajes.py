"""The messages of ANDE «Bienes Públicos Digitales» 2025 and what they say: the clarification the
formal check asks, the Directorio's decision, the deadlines' reminders and notices, a deadline moved,
a sent notice rectified. Their wording is this book's (templates/ande_bpd_2025/). The documents say
nothing of notification with legal effect: none of these starts a period by its reception."""
from __future__ import annotations

from typing import Any

from states.ande_bpd_2025.reglas import money
from states.book import Redaccion
from states.mensajes import MONITOR, Mensaje, check

RESPONSABLE = "responsable"
PARTES = (RESPONSABLE,)
"""The Persona Responsable (I §2): the applicant's counterpart before ANDE, who receives its messages."""
PLANTILLAS = "ande_bpd_2025/"

MENSAJES: tuple[Mensaje, ...] = tuple(Mensaje(*m[:4], **m[4], plantillas=PLANTILLAS) for m in (
    ("aclaracion", "Pedido de aclaración", (RESPONSABLE,), "B «Ámbitos de evaluación y aprobación»", {}),
    ("resultado", "Decisión del Directorio", (RESPONSABLE,), "B «Resolución»", {}),
    ("recordatorio", "Recordatorio de un plazo", (RESPONSABLE,), "[policy] plazos.recordatorios_dias", {}),
    ("vencido", "Aviso de plazo vencido", (RESPONSABLE, MONITOR), "[policy] aviso al vencer", {}),
    ("prorroga", "Prórroga de un plazo", (RESPONSABLE, MONITOR), "la norma que declara el día no laborable", {}),
    ("rectificacion", "Rectificación de un aviso ya enviado", (RESPONSABLE,),
     "[policy] corrección de un error material", {}),
))
check(MENSAJES, PARTES)


def caso(codigo: str, hechos: dict[str, Any]) -> dict[str, Any]:
    """What every message says of its case."""
    return {"codigo": codigo, "titulo": (hechos.get("postulacion") or {}).get("titulo", ""),
            "entidad": (hechos.get("institucion") or {}).get("razon_social", ""),
            "coordinador": (hechos.get("responsable") or {}).get("nombre", ""),
            "monto": money((hechos.get("postulacion") or {}).get("monto_ande") or 0)}


def _aclaracion(case, ctx, call) -> dict[str, Any]:
    return {"pedido": ctx.datos["pedido"], "dias": call.plazos.dias_habiles_aclaracion,
            "vence": ctx.calendario.add_business_days(ctx.fecha, call.plazos.dias_habiles_aclaracion)}


def _resultado(case, ctx, call) -> dict[str, Any]:
    aprobada = case.estado == "aprobada"
    return {"aprobada": aprobada, "resolucion": ctx.datos["resolucion"], "dias_convenio": call.plazos.dias_convenio}


REDACCION = Redaccion(caso=caso, contextos={"aclaracion": _aclaracion, "resultado": _resultado},
                      institucion="ANDE", muestra={"resolucion": "(resolución por emitir)"})
