"""`convoca correos previsualizar`: a message as it was, or would be, sent — nothing is sent."""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select
from sqlmodel import Session

from notifications.context import deadline_context
from notifications.events import event_messages
from notifications.render import KINDS, render
from states.books import message
from states.context import merge
from workflow.clock import Clock
from workflow.engine.context import Scopes, rule_context
from workflow.engine.machine import Case
from workflow.engine.reading import load_cases
from workflow.errors import ConvocaError, NotFound
from workflow.storage.models import Message
from workflow.storage.tables import PLAZO


def _para(destinatarios: list[str] | None) -> str:
    return ", ".join(destinatarios) if destinatarios else "(sin destinatario registrado)"


def stored_message(session: Session, id_: int) -> tuple[str, str, str, str, str]:
    """A message of the outbox by its number: (origin, recipients, subject, text, html)."""
    m = session.get(Message, id_)
    if m is None:
        raise NotFound(f"No hay un mensaje con número {id_} (vea `convoca correos`).")
    nota = f"; {m.advertencia}" if m.advertencia else ""
    return (f"mensaje {m.id} de la bandeja ({m.estado}{nota})", _para(m.destinatarios), m.asunto, m.texto, m.html)


def preview(session: Session, codigo: str, tipo: str, clock: Clock) -> tuple[str, str, str, str, str]:
    """(origin, recipients, subject, text, html): the latest of that kind in the outbox, or the one the
    case's facts would give now."""
    origen, *resto = _preview(session, codigo, tipo, clock)
    if origen.startswith("mensaje "):
        return origen, *resto
    return origen, "(se calculan al encolarlo)", *resto


def _preview(session: Session, codigo: str, tipo: str, clock: Clock) -> tuple[str, ...]:
    if tipo not in KINDS:
        raise NotFound(f"Tipo de mensaje desconocido: {tipo}. Tipos: {', '.join(KINDS)}")
    row = load_cases(session, [codigo])[codigo]
    stored = session.execute(select(Message).where(Message.codigo == codigo, Message.tipo == tipo)
                             .order_by(Message.id.desc())).scalars().first()
    if stored:
        return f"mensaje {stored.id} de la bandeja ({stored.estado})", _para(stored.destinatarios), stored.asunto, \
            stored.texto, stored.html
    scope = Scopes(session).of(row.convocatoria)
    call, cal, book = scope.call, scope.calendario, scope.book
    declared = message(tipo, book)
    if declared is None:
        raise NotFound(f"{codigo} es de {book.titulo}, que no envía mensajes de tipo {tipo}.")
    pasos = {p.mensaje: p for p in book.plazos.escalamiento}
    if tipo in (*book.plazos.avisos, *pasos):
        plazo = session.execute(select(PLAZO).where(PLAZO.c.caso_id == row.id, PLAZO.c.estado.in_(
            ("pendiente", "vencido"))).order_by(PLAZO.c.vence)).first()
        if plazo is None:
            raise ConvocaError(f"{codigo} no tiene plazos abiertos para un mensaje de tipo {tipo}.")
        r = SimpleNamespace(**plazo._mapping, hechos=row.hechos)
        extra = {"respuesta_vence": clock.today()} if tipo in pasos and pasos[tipo].dias_habiles else \
            {"vence_anterior": plazo.vence, "norma": "(la norma que se registre)"} if tipo == book.plazos.prorroga else {}
        return (f"vista previa con el plazo {plazo.tipo}",
                *render(declared, {**deadline_context(call, cal, r, clock.today()), **extra}))
    evento = next((ev for ev in book.ciclo.eventos if tipo in ev.mensajes), None)  # the event that sends it
    if evento is None:
        raise ConvocaError(f"El mensaje de tipo {tipo} no es de un caso sino de la instalación: se genera con "
                           "`convoca servicio`.")
    datos = {**book.redaccion.muestra, **(row.hechos.get(evento.registra) or {})}
    hechos = row.hechos
    if evento.registra and evento.registra not in hechos:  # not happened yet: as if it happened today
        hechos = merge(hechos, {evento.registra: {"fecha": clock.today().isoformat()}})
    case = Case(codigo, row.estado, hechos)
    ctx = rule_context(scope, codigo, row.estado, hechos, clock.today(), datos)
    for m in event_messages(evento, case, ctx, call):
        if m["tipo"] == tipo:
            return "vista previa con los hechos actuales del caso", *render(declared, m["contexto"])
    raise ConvocaError(f"{codigo} está '{row.estado}': no corresponde un mensaje de tipo {tipo}.")
