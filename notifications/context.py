"""What a deadline message says: the case, the rule and its source, the due date, the days left
and what to do. Shared by `vigilar` and the preview, so a preview shows what would be sent."""
from __future__ import annotations

from datetime import date
from typing import Any

from notifications.outbox import case_context
from states.calendar import Calendar
from states.call import Call
from states.plazos import BY_TYPE

ROLES = {"vencido": ("coordinador", "monitor"), "recordatorio": ("coordinador",),
         "carta_simple": ("coordinador", "monitor"), "carta_notarial": ("representante", "coordinador", "monitor"),
         "propuesta_resolucion": ("monitor",)}
QUE_HACER = {
    "P1": "asistir al taller de inducción y pedir al monitor que registre la asistencia.",
    "P2": "coordinar con el monitor la reunión de negociación del Plan Operativo.",
    "P3": "presentar el ITF del hito en el SIG.",
    "P4": "levantar en el SIG las observaciones notificadas al ITF.",
    "P5": "entregar el ITF impreso y firmado en la mesa de partes de FONDECYT.",
    "P6": "si necesita más tiempo para el hito, solicitar su ampliación antes de esa fecha.",
    "P7": "si el proyecto necesita ampliación, solicitarla con justificación a más tardar en esa fecha.",
    "P8": "presentar el Informe Final de Resultados en el SIG.",
    "P9": "levantar en el SIG las observaciones notificadas al IFR.",
    "P10": "entregar el IFR impreso y firmado en la mesa de partes de FONDECYT.",
    "P11": "el monitor debe registrar el fin de la ejecución (terminar_ejecucion).",
    "P12": "renovar la carta fianza antes de su vencimiento y registrarla.",
}




def deadline_context(call: Call, cal: Calendar, r, today: date) -> dict[str, Any]:
    """`r` is a ledger row joined with its case (`codigo`, `hechos`, `tipo`, `hito`, `vence`, `cuenta`)."""
    kind = BY_TYPE[r.tipo]
    habiles = r.cuenta == "habiles"
    dias = cal.business_days_between(today, r.vence) if habiles else (r.vence - today).days
    return {"convocatoria": {"codigo": call.codigo, "nombre": call.convocatoria.nombre},
            "caso": case_context(r.codigo, r.hechos), "hoy": today, "que_hacer": QUE_HACER[r.tipo],
            "plazo": {"tipo": r.tipo, "titulo": kind.titulo, "fuente": kind.fuente, "vence": r.vence, "hito": r.hito,
                      "dias_restantes": dias, "unidad": "hábiles" if habiles else "calendario",
                      "consecuencia": kind.consecuencia}}
