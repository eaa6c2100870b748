"""What a deadline message says: the case, the rule and its source, the due date, the days left
and what to do. Shared by `vigilar` and the preview, so a preview shows what would be sent."""
from __future__ import annotations

from datetime import date
from typing import Any

from notifications.events import base_context
from states.books import book_of
from states.calendar import Calendar
from states.call import Call


def deadline_context(call: Call, cal: Calendar, r, today: date) -> dict[str, Any]:
    """`r` is a ledger row joined with its case (`codigo`, `hechos`, `tipo`, `hito`, `vence`, `cuenta`)."""
    kind = book_of(call).plazos.tipo(r.tipo)
    habiles = r.cuenta == "habiles"
    dias = cal.business_days_between(today, r.vence) if habiles else (r.vence - today).days
    return {**base_context(call, r.codigo, r.hechos), "hoy": today, "que_hacer": kind.que_hacer,
            "plazo": {"tipo": r.tipo, "titulo": kind.titulo, "fuente": kind.fuente, "vence": r.vence, "hito": r.hito,
                      "dias_restantes": dias, "unidad": "hábiles" if habiles else "calendario",
                      "consecuencia": kind.consecuencia}}
