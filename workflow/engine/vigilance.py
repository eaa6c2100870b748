"""One pass of the deadline service (`convoca vigilar`): it reads the ledger and acts on it.

Several schedulers may run against one PostgreSQL database: each claims the deadline rows it acts
on (`FOR UPDATE … SKIP LOCKED`), so two passes never act on the same deadline twice.

At an instant it marks overdue deadlines `vencido`, starts or advances the escalation chain declared
in states/plazos.py (whose last step waits for the executive director: the system never resolves a
contract itself), queues the reminders due and records each action in the audit log. Every action
is keyed in the ledger or the outbox, so a second pass at the same instant finds nothing to do. Its
queries touch the deadlines due, not all cases.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, exists, select, update
from sqlmodel import Session

from notifications.context import deadline_context
from notifications.outbox import MENSAJE, queue_many, recipients
from states.book import Book
from states.books import all_books, book_of, deadline_recipients
from states.calendar import Calendar
from states.call import Call
from states.plazos import PLAZO_VENCIDO, RECORDATORIO
from states.plural import dias
from workflow.engine.calls import Calls, all_calls, local_date, zone
from workflow.engine.cases import SISTEMA
from workflow.engine.ledger import advance, as_json
from workflow.errors import Conflict
from workflow.storage import audit
from workflow.storage.models import CaseRecord, User
from workflow.storage.tables import PLAZO

CASO, USUARIO = CaseRecord.__table__, User.__table__

@dataclass
class Action:
    fecha: date
    codigo: str
    accion: str
    plazo: str
    detalle: str


class _Pass:
    """Reads what is due, decides every action in memory, then writes them all at once: one
    `executemany` for the deadlines, one for the messages, one for the audit rows. The three readings
    are disjoint (overdue, escalating, about to fall due), so deciding them before writing changes
    nothing. The rows are claimed before they are read: `FOR UPDATE SKIP LOCKED` on PostgreSQL, the
    database's write lock on SQLite, so that a second pass at the same instant waits and then finds
    nothing left to do."""

    def __init__(self, conn: Connection, session: Session, instant: datetime):
        self.conn, self.session, self.instant = conn, session, instant
        self.calls = Calls(conn)
        self.days: dict[str, date] = {}
        self.actions: list[Action] = []
        self.stated: dict[int, tuple[Any, list[dict[str, Any]]]] = {}
        """Each deadline acted on, with the operations stated on it, in order (see `claims`)."""
        self.messages: list[dict[str, Any]] = []
        self.audit: list[dict[str, Any]] = []

    def call(self, codigo: str) -> Call:
        return self.calls.call(codigo)

    def day(self, r) -> date:
        """The day it is in the row's call's time zone: its deadlines fall due by that call's days."""
        if r.convocatoria not in self.days:
            self.days[r.convocatoria] = local_date(self.call(r.convocatoria), self.instant)
        return self.days[r.convocatoria]

    def book(self, r) -> Book:
        """The rule book of the row's call: its deadlines, its escalation, its messages."""
        return book_of(self.call(r.convocatoria))

    def calendar(self, codigo: str) -> Calendar:
        return self.calls.calendar(codigo)

    def rows(self, where):
        query = (select(PLAZO, CASO.c.estado.label("caso_estado"), CASO.c.hechos, CASO.c.convocatoria,
                        USUARIO.c.email.label("monitor_email"))
                 .join(CASO, CASO.c.id == PLAZO.c.caso_id)
                 .outerjoin(USUARIO, USUARIO.c.nombre == CASO.c.monitor)
                 .where(where).order_by(PLAZO.c.vence, PLAZO.c.id)
                 .with_for_update(of=PLAZO, skip_locked=True))
        return self.conn.execute(query).all()

    def clave(self, r, tipo: str, offset: int) -> str:
        return f"{r.codigo}:{r.tipo}:{r.hito or '-'}:{r.id}:{tipo}:{offset}"

    def message(self, r, tipo: str, offset: int, extra: dict[str, Any]) -> None:
        call = self.call(r.convocatoria)
        contexto = {**deadline_context(call, self.calendar(r.convocatoria), r, self.day(r)), **extra}
        to, missing = recipients(r.hechos, deadline_recipients(self.book(r), r.tipo, tipo), r.monitor_email)
        self.messages.append({"clave": self.clave(r, tipo, offset), "tipo": tipo, "contexto": contexto,
                              "destinatarios": to, "faltan": missing, "caso_id": r.caso_id, "codigo": r.codigo,
                              "plazo_id": r.id})

    def claims(self) -> list[dict[str, Any]]:
        """Each deadline's new values, as the ledger's one function gives them from the operations
        stated on it; written only if the row is still as read (checked in `write`)."""
        out = []
        for r, ops in self.stated.values():
            new = advance({r.id: dict(r._mapping)}, ops)[r.id]
            columns = ("estado", "motivo", "escalamiento", "escalamiento_vence")
            if all(new[c] == getattr(r, c) for c in columns):
                continue  # a reminder: the row stays as it is
            out.append({"b_id": r.id, "b_estado_antes": r.estado, "b_escalamiento_antes": r.escalamiento,
                        "b_estado": new["estado"], "b_motivo": new["motivo"], "b_escalamiento": new["escalamiento"],
                        "b_escalamiento_vence": new["escalamiento_vence"]})
        return out

    def record(self, r, accion: str, detalle: str, cambio: dict[str, Any]) -> None:
        """An operation on the deadline (states/plazos.py), with its audit row."""
        kind = self.book(r).plazos.tipo(r.tipo)
        op = {"accion": accion, "id": r.id, "tipo": r.tipo, "hito": r.hito, **cambio}
        self.stated.setdefault(r.id, (r, []))[1].append(op)
        self.audit.append(audit.Entry(
            r.codigo, accion, "vigilar", self.day(r), caso_id=r.caso_id, estado_origen=r.caso_estado,
            estado_destino=r.caso_estado, rol=SISTEMA, nota=detalle, reglas=[f"{r.tipo} ({kind.fuente})"],
            plazos=as_json([op])))
        self.actions.append(Action(self.day(r), r.codigo, accion, f"{r.tipo}{'/' + r.hito if r.hito else ''}", detalle))

    def reply_by(self, r, paso) -> date | None:
        """The reply date a step of the chain gives, counted from today; None when it waits for the DE."""
        if paso.dias_habiles is None:
            return None
        dias = getattr(self.call(r.convocatoria).plazos, paso.dias_habiles)
        return self.calendar(r.convocatoria).add_business_days(self.day(r), dias)

    def take_step(self, r, n: int, responder: date | None) -> None:
        """Records and notifies step `n` (from 1) of the book's escalation chain."""
        paso = self.book(r).plazos.escalamiento[n - 1]
        self.record(r, paso.mensaje, paso.detalle.format(responder=responder),
                    {"escalamiento": n, "escalamiento_vence": responder})
        self.message(r, paso.mensaje, n, {"respuesta_vence": responder} if responder else {})

    def overdue(self, rows) -> None:
        for r in rows:
            if r.vence >= self.day(r):
                continue  # read for a call whose day comes later: not yet due where it counts
            plazos = self.book(r).plazos
            kind = plazos.tipo(r.tipo)
            motivo = kind.recomendacion(r.hechos) if kind.recomendacion else r.motivo
            detalle = f"{kind.titulo} venció el {r.vence.isoformat()}: {kind.consecuencia}"
            if kind.recomendacion:
                detalle += f"; {motivo}"
            self.record(r, PLAZO_VENCIDO, detalle, {"estado": "vencido", "motivo": motivo})
            if not (kind.derecho or kind.tarea) and plazos.vencido:
                self.message(r, plazos.vencido, 0, {})
            if kind.escalamiento and plazos.escalamiento:
                self.take_step(r, 1, self.reply_by(r, plazos.escalamiento[0]))

    def escalate(self, rows) -> None:
        for r in rows:
            if r.escalamiento_vence >= self.day(r):
                continue
            step, pasos = r.escalamiento + 1, self.book(r).plazos.escalamiento
            if step <= len(pasos):  # the book's chain may be shorter than the longest of the installation
                self.take_step(r, step, self.reply_by(r, pasos[step - 1]))

    def reminders(self, rows) -> None:
        """A reminder is keyed in the outbox: one already queued (by an earlier pass) is not repeated."""
        due = []
        for r in rows:
            plazos = self.book(r).plazos
            if plazos.tipo(r.tipo).tarea or not plazos.recordatorio:
                continue  # the fund's own task: the agenda shows it, nobody is reminded by e-mail
            if r.vence < self.day(r):
                continue  # overdue in its call's time zone: `overdue` acts on it
            offsets = sorted(self.call(r.convocatoria).plazos.recordatorios_dias)
            reached = [o for o in offsets if (r.vence - self.day(r)).days <= o]
            if reached:
                due.append((r, reached[0], plazos.recordatorio))
        sent = set()
        claves = [self.clave(r, aviso, o) for r, o, aviso in due]
        for i in range(0, len(claves), 500):
            sent.update(self.conn.execute(select(MENSAJE.c.clave).where(MENSAJE.c.clave.in_(claves[i:i + 500])))
                        .scalars())
        for (r, offset, aviso), clave in zip(due, claves):
            if clave in sent:
                continue
            self.message(r, aviso, offset, {})
            self.record(r, RECORDATORIO, f"recordatorio: vence el {r.vence.isoformat()} "
                                         f"({dias((r.vence - self.day(r)).days)})", {"dias_antes": offset})

    def due(self) -> tuple[Any, Any, Any]:
        """What is overdue, what escalates and what falls due within the longest reminder horizon, as
        of the latest day any call is in (each row is then judged by its own call's day)."""
        calls = [self.call(c) for c in self.calls.codes()]
        horizon = max((max(c.plazos.recordatorios_dias, default=0) for c in calls), default=0)
        days = [local_date(c, self.instant) for c in calls] or [self.instant.date()]
        first, last = min(days), max(days)
        return (and_(PLAZO.c.estado == "pendiente", PLAZO.c.vence < last),
                and_(PLAZO.c.estado == "vencido",
                     PLAZO.c.escalamiento.between(1, max((len(b.plazos.escalamiento) for b in all_books()), default=1) - 1),
                     PLAZO.c.escalamiento_vence < last),
                and_(PLAZO.c.estado == "pendiente", PLAZO.c.vence >= first,
                     PLAZO.c.vence <= last + timedelta(days=horizon)))

    def run(self) -> None:
        overdue, escalating, upcoming = self.due()
        if not any(self.conn.execute(select(exists().where(c))).scalar() for c in (overdue, escalating, upcoming)):
            return  # nothing to do: no lock taken, nothing written (each test is one lookup in the index)
        if self.conn.dialect.name == "sqlite":
            audit.lock(self.conn)  # the write lock before the read: what is read stays as read until commit
        self.overdue(self.rows(overdue))
        self.escalate(self.rows(escalating))
        self.reminders(self.rows(upcoming))
        self.write()

    def write(self) -> None:
        claims = self.claims()
        if claims:
            stmt = (update(PLAZO).where(PLAZO.c.id == bindparam("b_id"), PLAZO.c.estado == bindparam("b_estado_antes"),
                                        PLAZO.c.escalamiento == bindparam("b_escalamiento_antes"))
                    .values(estado=bindparam("b_estado"), motivo=bindparam("b_motivo"),
                            escalamiento=bindparam("b_escalamiento"),
                            escalamiento_vence=bindparam("b_escalamiento_vence")))
            changed = self.conn.execute(stmt, claims).rowcount
            if self.conn.dialect.supports_sane_multi_rowcount and changed != len(claims):
                raise Conflict("Otra pasada de vigilancia cambió los mismos plazos a la vez: no se escribió nada; "
                               "repita `convoca vigilar`.")
        queue_many(self.conn, self.messages, self.instant)
        audit.append(self.conn, self.audit)


def run_pass(session: Session, instant: datetime) -> list[Action]:
    """Acts on the ledger at `instant`, inside the session's transaction; the caller commits."""
    p = _Pass(session.connection(), session, instant)
    p.run()
    return p.actions


def pass_and_deliver(session: Session, instant: datetime) -> tuple[list[Action], str]:
    """What `vigilar` and the service do on each tick: the pass, committed, then the e-mails due."""
    from notifications.delivery import deliver_pending

    actions = run_pass(session, instant)
    session.commit()
    return actions, deliver_pending(session, instant)


def simulate(session: Session, desde: date, hasta: date) -> list[Action]:
    """What would fire day by day until `hasta`, computed by the real pass and then rolled back: each
    day's pass at 09:00 where it is latest among the calls' time zones (every call's day has begun)."""
    actions: list[Action] = []
    zones = {zone(c) for c in all_calls(session.connection())}
    try:
        day = desde
        while day <= hasta:
            actions += run_pass(session, max((datetime.combine(day, time(9, 0), z) for z in zones),
                                             default=datetime.combine(day, time(9, 0), UTC)))
            day += timedelta(days=1)
    finally:
        session.rollback()
    return actions
