"""What an officer does to the outbox by hand, each an audited act of theirs that states the new state
of the message (notifications/outbox.py): withdraw a message not sent yet, with the reason (a notice
that no longer holds must not leave, and the record says who stopped it), or send a failed one again."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from notifications.outbox import ESTADOS, MENSAJE, set_states, state
from states.actos import ACTO
from workflow.engine.acting import authorised, record
from workflow.engine.acting import refusal as refused
from workflow.errors import NotFound

RETIRAR = ACTO["retirar_mensaje"]
REINTENTAR = ACTO["reintentar_mensaje"]


def _message(session: Session, id_: int, acto, claimed: str | None, today: date, estados: tuple[str, ...],
             cuando: str, problems: list[str]):
    """The message and the acting user, or the refusal (logged) naming what stands in the way."""
    m = session.execute(select(MENSAJE).where(MENSAJE.c.id == id_)).first()
    if m is None:
        raise NotFound(f"No hay un mensaje con número {id_} (vea `convoca correos`).")
    codigo = f"mensaje:{id_}"  # an act on the outbox, not an event of the case
    user = authorised(session, claimed, acto, codigo, today)
    if m.estado not in estados:
        problems.insert(0, f"el mensaje {id_} está '{m.estado}': {cuando}")
    if problems:
        raise refused(session, acto.nombre, codigo, user.nombre, today, problems, rol=user.rol, datos={"mensaje": id_})
    return m, user, codigo


def withdraw_message(session: Session, id_: int, motivo: str, claimed: str | None, today: date) -> str | None:
    """Withdraws message `id_` (pending or without recipient); returns its case's code."""
    m, user, codigo = _message(session, id_, RETIRAR, claimed, today, ("pendiente", "sin_destinatario"),
                               "solo se retira uno que aún no se envió", [] if motivo.strip() else ["indique el motivo (--motivo)"])
    nuevo = state(m, estado="retirado", advertencia=f"retirado: {motivo.strip()} ({user.nombre})", proximo_intento=None)
    record(session, RETIRAR.nombre, codigo, user, today,
           {"mensaje": {"id": id_, "caso": m.codigo, "tipo": m.tipo, "motivo": motivo.strip()}, ESTADOS: [nuevo]})
    set_states(session.connection(), [nuevo])
    session.commit()
    return m.codigo


def retry_message(session: Session, id_: int, claimed: str | None, today: date) -> None:
    """A failed message goes back to the queue, with its tries counted afresh."""
    m, user, codigo = _message(session, id_, REINTENTAR, claimed, today, ("fallido",),
                               "solo se reintenta uno fallido (vea `convoca correos --estado fallido`)", [])
    nuevo = state(m, estado="pendiente", intentos=0, proximo_intento=None)
    record(session, REINTENTAR.nombre, codigo, user, today,
           {"mensaje": {"id": id_, "caso": m.codigo, "tipo": m.tipo}, ESTADOS: [nuevo]})
    set_states(session.connection(), [nuevo])
    session.commit()
