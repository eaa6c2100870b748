"""Changing cases: every accepted event is one transaction with its audit row.

`prepare` loads the cases and fires the events in memory (nothing is written, a refusal leaves
the database as it was); `commit` writes the new states, versions, facts and audit rows together,
refusing the whole batch if any case changed since it was read (optimistic lock on `version`).
A single command is a batch of one; publishing a call's results is a batch of thousands, written
with `executemany` so it costs little more than the plain SQL it amounts to.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, insert, select, update

from states import tiempo
from states.actos import ACTO
from states.books import book_of
from states.call import Call
from states.context import Context
from states.definition import Event
from workflow.clock import Clock
from workflow.engine import history
from workflow.engine.acting import permission_problem
from workflow.engine.calls import call_of, local_date
from workflow.engine.context import Scope, Scopes, rule_context
from workflow.engine.fields import BadData, parse_data
from workflow.engine.ledger import OPEN, advance, as_json, moves_deadlines, open_deadlines, ops_for, write
from workflow.engine.machine import Case, event_or_fail, fire, why_not
from workflow.engine.reading import load_cases
from workflow.errors import Conflict, ConvocaError, NotFound, Refusal
from workflow.files.clean import control_problem, visible
from workflow.storage import audit, settings
from workflow.storage.audit import Entry
from workflow.storage.settings import Settings
from workflow.storage.tables import AUDITORIA, CASO, PLAZO, REGISTRO, USUARIO

if TYPE_CHECKING:
    from sqlmodel import Session
SISTEMA = history.SISTEMA
"""The role of the deadline service's own audit rows (defined with the fold, which passes them over)."""


@dataclass
class Request:
    codigo: str
    evento: str
    datos: dict[str, Any]
    usuario: str
    fecha: date | None = None
    nota: str | None = None
    refiere: int | None = None
    """The audit row a rectification corrects or an annulment (`evento` = "anular") takes out."""
    resolucion: str | None = None
    """The resolution of the Dirección that annuls (states/rectificacion.py)."""


@dataclass
class _Loaded:
    id: int
    version: int
    call: str
    case: Case
    monitor: str | None = None
    changes: int = 0
    ultima: date | None = None
    """The case's last accepted effective date: its history never goes back before it."""
    plazos: list[dict[str, Any]] | None = None
    """Its open deadlines, read when a rule or the ledger first needs them."""


@dataclass
class Plan:
    """Events fired in memory, ready to be written in one transaction."""

    session: Session
    loaded: dict[str, _Loaded]
    now: datetime
    audit: list[dict[str, Any]] = field(default_factory=list)
    flags: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    """Registry flags, each with the index of the audit row that raised it."""
    ledger: list[tuple[int, str, list[dict[str, Any]]]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    """One per request, in order: what a dry run shows row by row."""
    voided: list[int] = field(default_factory=list)
    """Audit rows whose registry flags an annulment lifts."""
    corrections: list[tuple[int, str, str, str]] = field(default_factory=list)
    """(case id, code, the act's event, why) for each act a correction changed: its messages follow."""
    ids: list[int] = field(default_factory=list)
    """The audit rows written, once committed."""
    refused: list[ConvocaError] = field(default_factory=list)
    attempts: list[dict[str, Any]] = field(default_factory=list)
    """The refused attempts, bounded, for the audit log."""


@dataclass
class Outcome:
    """What became of one request: the state it leads to, or every reason it was refused."""

    codigo: str
    evento: str
    origen: str
    destino: str | None = None
    motivos: list[str] = field(default_factory=list)

    @property
    def procede(self) -> bool:
        return self.destino is not None


def last_effective_dates(session: Session, ids: list[int]) -> dict[int, date]:
    """The last date of each case's lifecycle events. The deadline service's marks (reminders,
    overdue notices, letters) are dated by its pass and change no state: they do not stop an officer
    from recording the next morning what the entity did the day before."""
    a = AUDITORIA
    out: dict[int, date] = {}
    for i in range(0, len(ids), 500):
        out.update(session.execute(select(a.c.caso_id, func.max(a.c.fecha_efectiva))
                                   .where(a.c.caso_id.in_(ids[i:i + 500]), a.c.aceptado.is_(True),
                                          a.c.rol != SISTEMA)
                                   .group_by(a.c.caso_id)).all())
    return out


def date_problem(fecha: date, loaded: _Loaded, call: Call, today: date) -> str | None:
    """The bounds of time (states/tiempo.py) for the date an event is recorded with."""
    return tiempo.fecha_efectiva(fecha, today, call.convocatoria.lanzamiento)


def too_long(datos: dict[str, Any], nota: str | None, ajustes: Settings) -> list[str]:
    """Text over the installation's limit, and a note that carries a control character (a datum's are
    judged with its type, engine/fields.py)."""
    limite = ajustes.largo_maximo_texto
    values = [*datos.items(), *([("nota", nota)] if nota else [])]
    out = [f"'{k}' tiene {len(str(v))} caracteres; el máximo es {limite}" for k, v in values if len(str(v)) > limite]
    return out + [p for p in [control_problem("nota", nota, free_text=True)] if p]


def attempt_summary(datos: dict[str, Any], ajustes: Settings) -> dict[str, Any]:
    """What a refused attempt keeps of the data it carried: bounded, and with any control character
    written as its escape, whatever was sent."""
    limite = ajustes.largo_resumen_intento
    shown = {visible(str(k)): visible(str(v)) for k, v in datos.items()}
    text = json.dumps(shown, ensure_ascii=False)
    if len(text) <= limite:
        return {"intento": shown}
    return {"intento_resumido": text[:limite] + "…", "intento_caracteres": len(text)}


def users(session: Session) -> dict[str, Any]:
    return {u.nombre: u for u in session.execute(select(USUARIO))}


class _Batch:
    """The steps of `prepare`, one method each: judge a request, refuse it, or record its effects."""

    def __init__(self, session: Session, plan: Plan):
        self.session, self.plan = session, plan
        self.actors = users(session)
        self.ajustes = settings.read(session.connection())
        self.scopes = Scopes(session)
        self.opened = 0
        """Deadlines opened in memory get ids -1, -2…, until `commit` writes them (ledger.write)."""

    def scope(self, codigo: str) -> Scope:
        return self.scopes.of(codigo)

    def today(self, loaded: _Loaded) -> date:
        """The day it is where the case's call counts its days (its time zone), at the plan's instant."""
        return local_date(self.scopes.calls.call(loaded.call), self.plan.now)

    def open_deadlines(self, loaded: _Loaded) -> list[dict[str, Any]]:
        """Read once per case, and for every case of the batch at the first need (a query per 500
        cases, not one per case: publishing thousands reads them together); then kept as the batch
        moves them (see `effects`)."""
        if loaded.plazos is None:
            unread = [x for x in self.plan.loaded.values() if x.plazos is None]
            found = open_deadlines(self.session, [x.id for x in unread])
            for x in unread:
                x.plazos = found[x.id]
        return loaded.plazos

    def context(self, loaded: _Loaded, datos: dict[str, Any], fecha: date, plazos=None) -> Context:
        case = loaded.case
        return rule_context(self.scope(loaded.call), case.codigo, case.estado, case.hechos, fecha, datos, plazos)

    def judge(self, req: Request, loaded: _Loaded, event: Event, fecha: date) -> Context:
        """Fires the event on the case in memory, or raises the refusal with every reason."""
        call, case = self.scope(loaded.call).call, loaded.case
        forbidden = permission_problem(self.actors.get(req.usuario), req.usuario, event.nombre, event.roles, True,
                                       loaded.monitor)
        if forbidden:
            raise Refusal(event.nombre, req.codigo, [forbidden])
        largos = too_long(req.datos, req.nota, self.ajustes)
        if largos:
            raise Refusal(event.nombre, req.codigo, largos)
        ctx = self.context(loaded, parse_data(event, req.datos, call), fecha,
                           self.open_deadlines(loaded) if event.lee_plazos else None)
        fuera = date_problem(fecha, loaded, call, self.today(loaded))
        if fuera and event.transitions_from(case.estado):  # from a wrong state, that is the reason
            raise Refusal(event.nombre, req.codigo, [*why_not(case, event, ctx, with_data=True), fuera])
        fire(case, event, ctx)
        return ctx

    def refuse(self, req: Request, loaded: _Loaded, nombre: str, fecha: date, refusal: ConvocaError) -> None:
        """The attempt, bounded, for the audit log; nothing else of it is kept."""
        actor = self.actors.get(req.usuario)
        self.plan.refused.append(refusal)
        motivos = refusal.motivos if isinstance(refusal, Refusal) else str(refusal).splitlines()[1:]
        self.plan.outcomes.append(Outcome(req.codigo, nombre, loaded.case.estado, motivos=motivos))
        self.plan.attempts.append(Entry(
            loaded.case.codigo, nombre, req.usuario, min(fecha, self.today(loaded)), caso_id=loaded.id,
            estado_origen=loaded.case.estado, estado_destino=loaded.case.estado, rol=actor.rol if actor else None,
            nota=visible((req.nota or "")[:self.ajustes.largo_resumen_intento]) or None,
            datos=attempt_summary(req.datos, self.ajustes), aceptado=False, motivos=motivos))

    def effects(self, req: Request, loaded: _Loaded, event: Event, origen: str, ctx: Context) -> None:
        """What an accepted event writes besides the case: ledger changes, messages, its audit row."""
        case, sc = loaded.case, self.scope(loaded.call)
        sc.view.update(case.codigo, case.estado, case.hechos)
        loaded.changes += 1
        loaded.ultima = ctx.fecha
        after = self.context(loaded, ctx.datos, ctx.fecha)
        ops: list[dict[str, Any]] = []
        if moves_deadlines(sc.book, event, origen, case.estado):
            ops = ops_for(event, origen, case.estado, after, self.open_deadlines(loaded), sc.calendario)
            self.plan.ledger.append((loaded.id, case.codigo, ops))
            self.follow(loaded, ops)
        if event.mensajes:
            from notifications.events import event_messages

            self.plan.messages += [{**m, "caso_id": loaded.id, "codigo": case.codigo, "hechos": case.hechos}
                                   for m in event_messages(event, case, after, sc.call)]
        self.plan.audit.append(Entry(
            case.codigo, event.nombre, req.usuario, ctx.fecha, caso_id=loaded.id, estado_origen=origen,
            estado_destino=case.estado, rol=self.actors[req.usuario].rol, nota=req.nota, datos=case.patch,
            reglas=case.reglas, plazos=ops, entrada=ctx.datos, efectos=effects(case.registro)))
        self.plan.flags += [(len(self.plan.audit) - 1, flag) for flag in case.registro]
        self.plan.outcomes.append(Outcome(case.codigo, event.nombre, origen, case.estado))

    def refold(self, req: Request, loaded: _Loaded, fecha: date) -> None:
        """An act recorded late, a rectification or an annulment: the case's history with the change,
        judged again from the first act it touches (engine/history.py); its state, facts and
        deadlines become what that history gives, in this transaction."""
        a = AUDITORIA.c
        rows = [dict(r._mapping) for r in self.session.execute(
            select(a.id, a.evento, a.estado_origen, a.estado_destino, a.rol, a.fecha_efectiva, a.datos, a.entrada,
                   a.refiere, a.aceptado, a.plazos).where(a.caso_id == loaded.id, a.aceptado.is_(True)).order_by(a.id))]
        actor, codigo = self.actors.get(req.usuario), loaded.case.codigo
        scope, call = self.scope(loaded.call), self.scope(loaded.call).call
        original = history.original_act(rows, req.refiere, req.evento, codigo) if req.refiere is not None else None
        nombre = history.ANULAR if req.evento == history.ANULAR else (original or {}).get("evento", req.evento)
        event = None if nombre == history.ANULAR else event_or_fail(scope.book, nombre)
        roles = ACTO[history.ANULAR].roles if event is None else event.roles
        forbidden = permission_problem(actor, req.usuario, "anular" if event is None else
                                       ("rectificar " if original else "") + nombre, roles, True, loaded.monitor)
        if forbidden:
            raise Refusal(nombre, codigo, [forbidden])
        largos = too_long(req.datos, req.nota, self.ajustes)
        if largos:
            raise Refusal(nombre, codigo, largos)
        entrada = None
        if event is not None:
            if original is not None:
                entrada = dict(original.get("entrada") or {})
                kept = {k: v for k, v in entrada.items()
                        if any(f.nombre == k and f.tipo != "documento" for f in event.campos)}
                entrada = {**entrada, **parse_data(event, {**kept, **req.datos}, call)}
                fecha = req.fecha or history.effective_date(original)
            else:
                entrada = parse_data(event, req.datos, call)
            fuera = date_problem(fecha, loaded, call, self.today(loaded))
            if fuera:
                raise Refusal(nombre, codigo, [fuera])
        change = history.judge_change(scope, codigo, rows, original, event, entrada, fecha, actor.rol, req.resolucion)
        folded, estado, hechos, nuevo = change.folded, change.estado, change.hechos, change.nuevo
        stored = [dict(r._mapping) for r in self.session.execute(select(PLAZO).where(PLAZO.c.caso_id == loaded.id))]

        def new_id() -> int:
            self.opened += 1
            return -self.opened

        ops = history.reconcile(stored, folded.plazos, change.motivo, new_id)
        self.plan.ledger.append((loaded.id, codigo, ops))
        origen = loaded.case.estado
        loaded.case = Case(codigo, estado, hechos)
        loaded.changes += 1
        loaded.plazos = None
        scope.view.update(codigo, estado, hechos)
        rol = actor.rol
        if event is None:
            self.plan.audit.append(Entry(
                codigo, history.ANULAR, req.usuario, fecha, caso_id=loaded.id, estado_origen=origen, estado_destino=estado,
                rol=rol, nota=req.nota, reglas=[f"anular ({scope.book.jurisdiccion.fuente_anular})"], plazos=ops,
                refiere=original["id"],
                datos={"anulacion": {"evento": original["evento"], "resolucion": req.resolucion}}))
            self.plan.voided += [r["id"] for r in rows if history.root_of(rows, r) == history.root_of(rows, original)]
            self.plan.corrections.append((loaded.id, codigo, original["evento"], f"anulado por la {req.resolucion}"))
        else:
            fired = folded.nuevo
            reglas = [*fired.reglas, *([f"rectificar ({scope.book.jurisdiccion.fuente_rectificar})"] if original else [])]
            self.plan.audit.append(Entry(
                codigo, nombre, req.usuario, fecha, caso_id=loaded.id, estado_origen=nuevo["estado_origen"],
                estado_destino=nuevo["estado_destino"], rol=rol, nota=req.nota, datos=nuevo["datos"], reglas=reglas,
                plazos=ops, entrada=nuevo["entrada"], refiere=req.refiere, efectos=effects(fired.registro)))
            self.plan.flags += [(len(self.plan.audit) - 1, flag) for flag in fired.registro]
            if original is not None:
                self.plan.corrections.append((loaded.id, codigo, nombre, f"rectificado: {req.nota or 'error material'}"))
            elif event.mensajes:
                from notifications.events import event_messages

                after = self.context(loaded, nuevo["entrada"], fecha)
                self.plan.messages += [{**m, "caso_id": loaded.id, "codigo": codigo, "hechos": hechos}
                                       for m in event_messages(event, loaded.case, after, call)]
        self.plan.outcomes.append(Outcome(codigo, nombre, origen, estado))

    def follow(self, loaded: _Loaded, ops: list[dict[str, Any]]) -> None:
        """The case's open deadlines after `ops`, in memory, so that a later request of the same batch
        (a file's next row) judges against them."""
        for op in ops:
            if op["accion"] == "abrir":
                self.opened += 1
                op["id"] = -self.opened
        rows = advance({r["id"]: r for r in loaded.plazos or []},
                       [{**op, "caso_id": loaded.id, "codigo": loaded.case.codigo} for op in ops])
        loaded.plazos = [r for r in rows.values() if r["estado"] in OPEN]


def judge_all(session: Session, requests: list[Request], clock: Clock, progress=None) -> Plan:
    """Fires every request in memory, in order, each on the case as the earlier ones left it; a
    refused request changes nothing and the next ones still run. Nothing is written. `progress`
    wraps the requests as they are judged (a bar on the officer's terminal)."""
    rows = load_cases(session, [r.codigo for r in requests])
    ultimas = last_effective_dates(session, [r.id for r in rows.values()])
    plan = Plan(session, {c: _Loaded(r.id, r.version, r.convocatoria, Case(c, r.estado, dict(r.hechos)), r.monitor,
                                     ultima=ultimas.get(r.id))
                          for c, r in rows.items()}, now=clock.now())
    batch = _Batch(session, plan)
    session.rollback()  # read done: hold no lock while the rules run
    per_case = Counter(r.codigo for r in requests)
    for req in progress(requests) if progress else requests:
        loaded = plan.loaded[req.codigo]
        fecha = req.fecha or batch.today(loaded)
        if req.evento == history.ANULAR or req.refiere is not None or (loaded.ultima and fecha < loaded.ultima):
            try:
                if per_case[req.codigo] > 1:
                    raise Refusal(req.evento, req.codigo, [
                        f"un acto con fecha {fecha.isoformat()}, anterior a hechos ya registrados del caso "
                        f"(el último del {loaded.ultima.isoformat() if loaded.ultima else '—'}), una rectificación o "
                        "una anulación se registran solos en su caso, con `convoca avanzar`, `rectificar` o `anular`"])
                batch.refold(req, loaded, fecha)
            except (Refusal, BadData) as refusal:
                batch.refuse(req, loaded, req.evento, fecha, refusal)
            continue
        event = event_or_fail(batch.scope(loaded.call).book, req.evento)
        origen = loaded.case.estado
        try:
            ctx = batch.judge(req, loaded, event, fecha)
        except (Refusal, BadData) as refusal:
            batch.refuse(req, loaded, event.nombre, fecha, refusal)
            continue
        batch.effects(req, loaded, event, origen, ctx)
    return plan


def _grouped(attempts) -> list[str]:
    """Each reason once, with the cases it refuses: a publication refused for every case because one
    proposal is pending says so once, not thirty times."""
    cases: dict[str, list[str]] = {}
    for a in attempts:
        for m in a.motivos:
            cases.setdefault(m, []).append(a.codigo)
    return [f"{', '.join(c) if len(c) <= 3 else f'{c[0]} y {len(c) - 1} casos más'}: {m}" for m, c in cases.items()]


def prepare(session: Session, requests: list[Request], clock: Clock) -> Plan:
    """`judge_all`, then one `Refusal` listing every refused case, carrying the refused attempts
    (`intentos`) for the audit log."""
    plan = judge_all(session, requests, clock)
    if plan.refused:
        error = plan.refused[0] if len(plan.refused) == 1 else Refusal(
            requests[0].evento, f"{len(plan.refused)} casos", _grouped(plan.attempts))
        error.intentos = plan.attempts
        raise error
    return plan


def audited_act(session: Session, id_: int) -> tuple[str, str]:
    """(case code, event) of an audit row that records an act of a case, or NotFound."""
    row = session.execute(select(AUDITORIA.c.codigo, AUDITORIA.c.evento, AUDITORIA.c.caso_id)
                          .where(AUDITORIA.c.id == id_)).first()
    session.rollback()
    if row is None or row.caso_id is None:
        raise NotFound(f"La fila {id_} de la auditoría no es un acto de un caso (vea `convoca historial CODIGO`).")
    return row.codigo, row.evento


def effects(registro: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The registry flags an act raises, as its audit row keeps them (`auditoria verificar` rebuilds
    the table `registro` from them)."""
    return {"registro": as_json(registro)} if registro else None


def monitor_of(hechos: dict[str, Any]) -> str | None:
    """The assigned monitor is a fact (so the log rebuilds it) mirrored in an indexed column."""
    return (hechos.get("asignacion") or {}).get("monitor")


def commit(plan: Plan) -> None:
    """Writes the plan in one transaction, or nothing when any case changed meanwhile."""
    changed = [ld for ld in plan.loaded.values() if ld.changes]
    if not changed:
        return
    session = plan.session
    stmt = (update(CASO)
            .where(CASO.c.id == bindparam("b_id"), CASO.c.version == bindparam("b_version"))
            .values(estado=bindparam("b_estado"), hechos=bindparam("b_hechos"),
                    version=bindparam("b_nueva"), monitor=bindparam("b_monitor")))
    params = [{"b_id": ld.id, "b_version": ld.version, "b_estado": ld.case.estado, "b_hechos": ld.case.hechos,
               "b_nueva": ld.version + ld.changes, "b_monitor": monitor_of(ld.case.hechos)}
              for ld in changed]
    try:
        result = session.connection().execute(stmt, params)
        if result.rowcount != len(params):
            session.rollback()
            codes = ", ".join(ld.case.codigo for ld in changed[:5])
            raise Conflict(f"Conflicto: otra persona modificó {codes} mientras usted trabajaba. "
                           "No se guardó nada; revise el caso con `convoca ver` y vuelva a intentar.")
        conn = session.connection()
        opened: dict[int, int] = {}
        for caso_id, codigo, ops in plan.ledger:
            write(conn, caso_id, codigo, ops, opened)
        if plan.messages:
            from notifications.outbox import queue_many, recipients

            queue_many(conn, [{**m, **dict(zip(("destinatarios", "faltan"), recipients(m["hechos"], m["roles"], None)))}
                              for m in plan.messages], plan.now)
        ids = plan.ids = audit.append(conn, [replace(row, plazos=as_json(row.plazos)) for row in plan.audit])
        if plan.flags:
            conn.execute(insert(REGISTRO), [{**flag, "auditoria_id": ids[i]} for i, flag in plan.flags])
        if plan.voided:  # an annulled act's flags end where they began: never in force
            conn.execute(update(REGISTRO).where(REGISTRO.c.auditoria_id.in_(plan.voided)).values(hasta=REGISTRO.c.desde))
        _messages_follow(conn, plan)
        session.commit()
    except Conflict:
        raise
    except Exception:
        session.rollback()
        raise


def _messages_follow(conn, plan: Plan) -> None:
    """What the outbox holds about an act a correction changed, or a deadline it moved or voided:
    a message not yet sent is withdrawn, with the reason; one already sent gets a rectification."""
    from notifications.events import base_context
    from notifications.outbox import MENSAJE, rectify_sent, withdraw

    loaded = {ld.id: ld for ld in plan.loaded.values()}

    def base(caso_id: int) -> dict[str, Any]:
        ld = loaded[caso_id]
        return base_context(call_of(plan.session, ld.call), ld.case.codigo, ld.case.hechos)

    for caso_id, codigo, evento, why in plan.corrections:
        tipos = book_of(call_of(plan.session, loaded[caso_id].call)).ciclo.event(evento).mensajes
        if tipos:
            where = (MENSAJE.c.caso_id == caso_id) & MENSAJE.c.tipo.in_(tipos)
            withdraw(conn, where, why, local_date(call_of(plan.session, loaded[caso_id].call), plan.now))
            rectify_sent(conn, where, why, plan.now, base(caso_id))
    for caso_id, _, ops in plan.ledger:
        moved = [op["id"] for op in ops if op["accion"] == "corregir"]
        if moved:
            where = MENSAJE.c.plazo_id.in_(moved)
            withdraw(conn, where, "el plazo cambió por una corrección del expediente: el aviso ya no corresponde",
                     local_date(call_of(plan.session, loaded[caso_id].call), plan.now))
            avisos = book_of(call_of(plan.session, loaded[caso_id].call)).plazos.avisos
            rectify_sent(conn, where & MENSAJE.c.tipo.in_(avisos),
                         "el plazo de este aviso cambió por una corrección del expediente", plan.now, base(caso_id))


def apply(session: Session, requests: list[Request], clock: Clock) -> Plan:
    """Prepares and commits; a refused attempt is itself logged (and changes nothing else)."""
    try:
        plan = prepare(session, requests, clock)
    except ConvocaError as exc:
        attempts = getattr(exc, "intentos", None)
        if attempts:
            session.rollback()
            audit.append(session.connection(), attempts)
            session.commit()
        raise
    commit(plan)
    return plan


def create_cases(session: Session, call: Call, cases: list[tuple[str, dict[str, Any], date]],
                 usuario: str, rol: str) -> None:
    """New cases in the initial state, each with its `postular` audit row, in the caller's transaction."""
    conn = session.connection()
    inicial = book_of(call).ciclo.inicial
    conn.execute(insert(CASO), [{"codigo": c, "convocatoria": call.codigo, "estado": inicial, "version": 1,
                                 "hechos": h} for c, h, _ in cases])
    ids = dict(session.execute(select(CASO.c.codigo, CASO.c.id).where(CASO.c.convocatoria == call.codigo)).all())
    reglas = [f"{r.codigo} ({r.fuente})" for r in book_of(call).reglas_postular]
    audit.append(conn, [Entry(c, "postular", usuario, fecha, caso_id=ids[c], estado_destino=inicial, rol=rol, datos=h,
                              reglas=reglas, entrada={"convocatoria": call.codigo}) for c, h, fecha in cases])
