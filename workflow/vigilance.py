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
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, and_, select, update
from sqlmodel import Session

from notifications.context import deadline_context
from notifications.outbox import queue, recipients
from states.calendar import Calendar
from states.call import Call, parse_call
from states.plazos import BY_TYPE, ESCALAMIENTO, para
from workflow import audit
from workflow.cases import SISTEMA, call_of
from workflow.clock import LIMA
from workflow.ledger import PLAZO, calendar_for
from workflow.models import CallRecord, CaseRecord, User

CASO, USUARIO = CaseRecord.__table__, User.__table__
@dataclass
class Action:
    fecha: date
    codigo: str
    accion: str
    plazo: str
    detalle: str


class _Pass:
    def __init__(self, conn: Connection, session: Session, instant: datetime):
        self.conn, self.session, self.instant = conn, session, instant
        self.today = instant.astimezone(LIMA).date()
        self.calls: dict[str, Call] = {}
        self.calendars: dict[str, Calendar] = {}
        self.actions: list[Action] = []

    def call(self, codigo: str) -> Call:
        if codigo not in self.calls:
            self.calls[codigo] = call_of(self.session, codigo)
            self.calendars[codigo] = calendar_for(self.conn, self.calls[codigo])
        return self.calls[codigo]

    def rows(self, *where):
        query = (select(PLAZO, CASO.c.estado.label("caso_estado"), CASO.c.hechos, CASO.c.convocatoria,
                        USUARIO.c.email.label("monitor_email"))
                 .join(CASO, CASO.c.id == PLAZO.c.caso_id)
                 .outerjoin(USUARIO, USUARIO.c.nombre == CASO.c.monitor)
                 .where(and_(*where)).order_by(PLAZO.c.vence, PLAZO.c.id)
                 .with_for_update(of=PLAZO, skip_locked=True))
        return self.conn.execute(query).all()

    def message(self, r, tipo: str, offset: int, extra: dict[str, Any]) -> bool:
        call = self.call(r.convocatoria)
        contexto = {**deadline_context(call, self.calendars[r.convocatoria], r, self.today), **extra}
        to, missing = recipients(r.hechos, para(BY_TYPE[r.tipo], tipo), r.monitor_email)
        return queue(self.conn, clave=f"{r.codigo}:{r.tipo}:{r.hito or '-'}:{r.id}:{tipo}:{offset}", tipo=tipo,
                     contexto=contexto, destinatarios=to, faltan=missing, now=self.instant, caso_id=r.caso_id,
                     codigo=r.codigo, plazo_id=r.id)

    def claim(self, r, values: dict[str, Any], **expected: Any) -> bool:
        """Changes the deadline only if it is still as read: another pass that got there first (on
        SQLite, where rows cannot be skipped while locked) leaves nothing for this one to do."""
        guard = [PLAZO.c[k] == v for k, v in expected.items()]
        return self.conn.execute(update(PLAZO).where(PLAZO.c.id == r.id, *guard).values(**values)).rowcount == 1

    def record(self, r, accion: str, detalle: str, cambio: dict[str, Any]) -> None:
        kind = BY_TYPE[r.tipo]
        audit.append(self.conn, [{
            "caso_id": r.caso_id, "codigo": r.codigo, "evento": accion, "estado_origen": r.caso_estado,
            "estado_destino": r.caso_estado, "usuario": "vigilar", "rol": SISTEMA,
            "fecha_efectiva": self.today, "nota": detalle, "reglas": [f"{r.tipo} ({kind.fuente})"],
            "plazos": [{"accion": accion, "id": r.id, "tipo": r.tipo, "hito": r.hito, **cambio}]}])
        self.actions.append(Action(self.today, r.codigo, accion, f"{r.tipo}{'/' + r.hito if r.hito else ''}", detalle))

    def reply_by(self, r, paso) -> date | None:
        """The reply date a step of the chain gives, counted from today; None when it waits for the DE."""
        if paso.dias_habiles is None:
            return None
        dias = getattr(self.call(r.convocatoria).plazos, paso.dias_habiles)
        return self.calendars[r.convocatoria].add_business_days(self.today, dias)

    def take_step(self, r, n: int, responder: date | None) -> None:
        """Records and notifies step `n` (from 1) of the escalation chain (states/plazos.py)."""
        paso = ESCALAMIENTO[n - 1]
        self.record(r, paso.mensaje, paso.detalle.format(responder=responder),
                    {"escalamiento": n, **({"responder_hasta": responder.isoformat()} if responder else {})})
        self.message(r, paso.mensaje, n, {"respuesta_vence": responder} if responder else {})

    def overdue(self) -> None:
        for r in self.rows(PLAZO.c.estado == "pendiente", PLAZO.c.vence < self.today):
            kind = BY_TYPE[r.tipo]
            values: dict[str, Any] = {"estado": "vencido"}
            detalle = f"{kind.titulo} venció el {r.vence.isoformat()}: {kind.consecuencia}"
            if kind.recomendacion:
                values["motivo"] = kind.recomendacion(r.hechos)
                detalle += f"; {values['motivo']}"
            if kind.escalamiento:
                values["escalamiento"], values["escalamiento_vence"] = 1, self.reply_by(r, ESCALAMIENTO[0])
            if not self.claim(r, values, estado="pendiente"):
                continue
            self.record(r, "plazo_vencido", detalle, {"estado": "vencido"})
            if not kind.derecho:
                self.message(r, "vencido", 0, {})
            if kind.escalamiento:
                self.take_step(r, 1, values["escalamiento_vence"])

    def escalate(self) -> None:
        for r in self.rows(PLAZO.c.estado == "vencido", PLAZO.c.escalamiento.between(1, len(ESCALAMIENTO) - 1),
                           PLAZO.c.escalamiento_vence < self.today):
            step = r.escalamiento + 1
            responder = self.reply_by(r, ESCALAMIENTO[step - 1])
            if not self.claim(r, {"escalamiento": step, "escalamiento_vence": responder}, estado="vencido",
                              escalamiento=r.escalamiento):
                continue
            self.take_step(r, step, responder)

    def reminders(self) -> None:
        texts = self.conn.execute(select(CallRecord.__table__.c.definicion)).scalars()
        horizon = max((max(parse_call(t).plazos.recordatorios_dias, default=0) for t in texts), default=0)
        for r in self.rows(PLAZO.c.estado == "pendiente", PLAZO.c.vence >= self.today,
                           PLAZO.c.vence <= self.today + timedelta(days=horizon)):
            call = self.call(r.convocatoria)
            offsets = sorted(call.plazos.recordatorios_dias)
            left = (r.vence - self.today).days
            reached = [o for o in offsets if left <= o]
            if reached and self.message(r, "recordatorio", reached[0], {}):
                self.record(r, "recordatorio", f"recordatorio: vence el {r.vence.isoformat()} ({left} día(s))",
                            {"dias_antes": reached[0]})


def run_pass(session: Session, instant: datetime) -> list[Action]:
    """Acts on the ledger at `instant`, inside the session's transaction; the caller commits."""
    p = _Pass(session.connection(), session, instant)
    p.overdue()
    p.escalate()
    p.reminders()
    return p.actions


def pass_and_deliver(session: Session, instant: datetime) -> tuple[list[Action], str]:
    """What `vigilar` and the service do on each tick: the pass, committed, then the e-mails due."""
    from notifications.delivery import deliver_pending

    actions = run_pass(session, instant)
    session.commit()
    return actions, deliver_pending(session, instant)


def simulate(session: Session, desde: date, hasta: date) -> list[Action]:
    """What would fire day by day until `hasta`, computed by the real pass and then rolled back."""
    actions: list[Action] = []
    try:
        day = desde
        while day <= hasta:
            actions += run_pass(session, datetime.combine(day, time(9, 0), LIMA))
            day += timedelta(days=1)
    finally:
        session.rollback()
    return actions
