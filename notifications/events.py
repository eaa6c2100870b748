"""Messages an event causes (in each rule book, the kinds its events name), queued in the event's
own transaction: what each says is its book's wording (`Book.redaccion`)."""
from __future__ import annotations

from typing import Any, Protocol

from states.books import book_of
from states.call import Call
from states.context import Context
from states.definition import Event


class Case(Protocol):
    """What a message reads of the case an event moved (the engine's `Case`): its code, state and facts."""

    codigo: str
    estado: str
    hechos: dict[str, Any]


def base_context(call: Call, codigo: str, hechos: dict[str, Any]) -> dict[str, Any]:
    """What every message of a case says: its call, and the case as its book's wording describes it."""
    return {"convocatoria": {"codigo": call.codigo, "nombre": call.convocatoria.nombre},
            "caso": book_of(call).redaccion.caso(codigo, hechos)}


def outbox_key(codigo: str, tipo: str, hito: object, fecha, repetidas: tuple[str, ...]) -> str:
    """The outbox key of an event's message: one per case and kind, per milestone and day for a kind
    the book sends again (`repetidas`); `convoca notificaciones` finds a notification's message by it."""
    if tipo not in repetidas:
        return f"{codigo}:{tipo}"
    return f"{codigo}:{tipo}:{hito if hito not in (None, '') else '-'}:{fecha.isoformat()}"


def event_messages(event: Event, case: Case, ctx: Context, call: Call) -> list[dict[str, Any]]:
    """The messages `event` queues (declared in its `mensajes`), with their recipients' roles."""
    book = book_of(call)
    declared = {m.tipo: m for m in book.mensajes}
    base = base_context(call, case.codigo, case.hechos)
    return [{"clave": outbox_key(case.codigo, tipo, ctx.datos.get("hito"), ctx.fecha, book.redaccion.repetidas),
             "tipo": tipo, "roles": declared[tipo].para,
             "contexto": {**base, **book.redaccion.contextos[tipo](case, ctx, call)}}
            for tipo in event.mensajes if not declared[tipo].si_estado or case.estado in declared[tipo].si_estado]
