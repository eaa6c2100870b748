"""The identities convoca writes its own rows under (rol `sistema`), each limited to its own acts.

A row of a service never moves a case, never rectifies or annuls another (only `rectificar` and
`anular`, an officer's acts, take an act out of a case's history) and writes nothing outside what
its declaration says: the deadline service states the deadline operations of its pass, the calendar
stores holidays and moves deadlines when a decree does, the outbox queues and delivers messages.
`auditoria verificar` judges every such row by this table, and on PostgreSQL the chaining trigger
refuses any other (migration 0014). The deadline service's rows are the service's alone: in a
production database they come only from the login of a user with the role `servicio`, which no
officer holds; the calendar's and the outbox's rows also follow an officer's own act (a decree
added, the notices of a publication, a delivery run by hand).
"""
from __future__ import annotations

from dataclasses import dataclass

from states.books import escalones
from states.definition import DefinitionError
from states.plazos import OPERACIONES
from states.roles import SERVICIO

__all__ = ["SERVICIO", "SERVICIOS", "BY_NAME", "CAMBIAN_MENSAJES", "problem"]
ENCOLAR, ENTREGAR, BANDEJA = "encolar_mensajes", "entregar_mensaje", "bandeja"
RETIRAR, INTENTO_FALLIDO = "retirar_mensajes", "intento_fallido"


@dataclass(frozen=True)
class Servicio:
    nombre: str
    titulo: str
    eventos: tuple[str, ...]
    operaciones: tuple[str, ...] = ()
    """The deadline operations (states/plazos.py) its rows may state."""
    sobre_casos: bool = False
    """Whether its rows may name a case (they never move it)."""
    solo_servicio: bool = False
    """Whether its rows come only from the service's own login (role `servicio`)."""


_PASADA = (*(o.accion for o in OPERACIONES if o.por == "vigilar"), *escalones())
"""The acts of the deadline service's pass: marking a deadline missed, a reminder, and each letter of
a registered book's escalation."""

SERVICIOS: tuple[Servicio, ...] = (
    Servicio("vigilar", "El servicio de plazos (avisos, vencimientos y escalamiento)", _PASADA, _PASADA,
             sobre_casos=True, solo_servicio=True),
    Servicio("calendario", "El calendario (feriados guardados, plazos movidos por un decreto)",
             ("guardar_feriados", "prorrogar_plazos"), ("mover", "mover_respuesta"), sobre_casos=True),
    Servicio(BANDEJA, "La bandeja de salida (mensajes encolados, entregados, retirados y reintentados)",
             (ENCOLAR, ENTREGAR, RETIRAR, INTENTO_FALLIDO)),
)
BY_NAME = {s.nombre: s for s in SERVICIOS}
CAMBIAN_MENSAJES = (ENTREGAR, RETIRAR, INTENTO_FALLIDO, "retirar_mensaje", "reintentar_mensaje")
"""The rows that change the state of messages in the outbox (the outbox's own, and an officer's
withdrawal or retry): each lists the new states, which the outbox projects (notifications/outbox.py)."""


def check(servicios: tuple[Servicio, ...]) -> None:
    from states.books import operacion

    def unknown(accion: str) -> bool:
        try:
            operacion(accion)
        except KeyError:
            return True
        return False

    problems = [f"{s.nombre}: operación de plazo desconocida '{o}'" for s in servicios for o in s.operaciones
                if unknown(o)]
    problems += [f"{s.nombre}: sin eventos" for s in servicios if not s.eventos]
    problems += [f"{s.nombre}: declarado dos veces" for s in servicios if BY_NAME.get(s.nombre) is not s]
    if problems:
        raise DefinitionError("servicios inválidos:\n  " + "\n  ".join(problems))


check(SERVICIOS)


def problem(row: dict) -> str | None:
    """What a row written under a service's name may not hold, in Spanish; None if it is its own."""
    s = BY_NAME.get(row.get("usuario"))
    if s is None:
        return f"el rol sistema es de las filas de convoca ({', '.join(BY_NAME)}), no de un usuario"
    if row.get("evento") not in s.eventos:
        return f"{s.nombre} no registra {row.get('evento')}: sus filas son {', '.join(s.eventos)}"
    if row.get("estado_origen") != row.get("estado_destino"):
        return f"una fila de {s.nombre} no mueve un caso ({row.get('estado_origen')} → {row.get('estado_destino')})"
    if row.get("refiere") is not None:
        return f"una fila de {s.nombre} no rectifica ni anula otra (refiere a la fila {row['refiere']})"
    if row.get("efectos"):
        return f"una fila de {s.nombre} no escribe fuera de su caso"
    if row.get("caso_id") is not None and not s.sobre_casos:
        return f"una fila de {s.nombre} no es de un caso"
    ajenas = sorted({op.get("accion") for op in row.get("plazos") or []} - set(s.operaciones))
    if ajenas:
        return f"{s.nombre} no hace la operación de plazo {', '.join(map(str, ajenas))}"
    return None
