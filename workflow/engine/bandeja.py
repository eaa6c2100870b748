"""What an officer does to the outbox by hand: withdraw a message not sent yet, with the reason, as
an audited act (a notice that no longer holds must not leave, and the record says who stopped it)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from notifications.outbox import MENSAJE, withdraw
from states.actos import ACTO
from workflow.engine.acting import authorised, record
from workflow.engine.acting import refusal as refused
from workflow.errors import NotFound

RETIRAR = ACTO["retirar_mensaje"]


def withdraw_message(session: Session, id_: int, motivo: str, claimed: str | None, today: date) -> str | None:
    """Withdraws message `id_` (pending or without recipient); returns its case's code."""
    m = session.execute(select(MENSAJE).where(MENSAJE.c.id == id_)).first()
    if m is None:
        raise NotFound(f"No hay un mensaje con número {id_} (vea `convoca correos`).")
    codigo = f"mensaje:{id_}"  # an act on the outbox, not an event of the case
    user = authorised(session, claimed, RETIRAR, codigo, today)
    problems = []
    if m.estado not in ("pendiente", "sin_destinatario"):
        problems.append(f"el mensaje {id_} está '{m.estado}': solo se retira uno que aún no se envió")
    if not motivo.strip():
        problems.append("indique el motivo (--motivo)")
    if problems:
        raise refused(session, RETIRAR.nombre, codigo, user.nombre, today, problems, rol=user.rol,
                      datos={"mensaje": id_})
    withdraw(session.connection(), MENSAJE.c.id == id_, f"{motivo.strip()} ({user.nombre})")
    record(session, RETIRAR.nombre, codigo, user, today,
           {"mensaje": {"id": id_, "caso": m.codigo, "tipo": m.tipo, "motivo": motivo.strip()}})
    session.commit()
    return m.codigo
