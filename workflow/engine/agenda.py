"""The officers' agenda of open deadlines, its iCalendar export, and the calendar of non-working days."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from states.books import book_of, deadline_recipients
from states.calendar import TIPOS, seed_days
from states.plazos import CADUCADO
from workflow.clock import wall_clock
from workflow.engine.calls import Calls, all_calls
from workflow.files.atomic import write_whole
from workflow.storage.plain import select_rows

if TYPE_CHECKING:
    from sqlmodel import Session

SEMANA = timedelta(days=7)
"""What «esta semana» means to an officer: due from today to a week from today."""


def agenda(session: Any, today: date, *, vencidos: bool = False, hasta: date | None = None,
           responsable: str | None = None, codigo: str | None = None,
           monitor: str | None = None, calls: Calls | None = None,
           convocatoria: str | None = None) -> list[dict[str, Any]]:
    """The open deadlines, by due date, with the days left; filtered by who owes them, by the
    monitor whose cases they are, by case. An unknown owner is refused naming the valid ones.
    `calls`: those the caller has read already (`ver` judges the case with them)."""
    from states.plazos import ABIERTOS

    responsables = list(dict.fromkeys(r for c in all_calls(session) for r in book_of(c).plazos.responsables))
    if responsable is not None and responsable not in responsables:
        from workflow.errors import NotFound

        raise NotFound(f"Responsable desconocido: {responsable}. Responsables: {', '.join(responsables)}.")
    where = ["plazo.estado IN (:abiertos)"]
    if vencidos:  # overdue is a fact of the dates: whether or not a pass of vigilar has marked it
        where.append("(plazo.estado = 'vencido' OR plazo.vence < :hoy)")
    if hasta:
        where.append("plazo.vence <= :hasta")
    if responsable:
        where.append("plazo.responsable = :responsable")
    if codigo:
        where.append("plazo.codigo = :codigo")
    if monitor:
        where.append("caso.monitor = :monitor")
    if convocatoria:
        if convocatoria not in {c.codigo for c in all_calls(session)}:
            from workflow.errors import NotFound

            raise NotFound(f"Convocatoria desconocida: {convocatoria}. Convocatorias: "
                           f"{', '.join(c.codigo for c in all_calls(session))}")
        where.append("caso.convocatoria = :convocatoria")
    rows = select_rows(session, "SELECT plazo.*, caso.convocatoria FROM plazo JOIN caso ON caso.id = plazo.caso_id "
                          f"WHERE {' AND '.join(where)} ORDER BY plazo.vence, plazo.codigo, plazo.id",
                 abiertos=ABIERTOS, hoy=today, hasta=hasta, responsable=responsable, codigo=codigo, monitor=monitor,
                 convocatoria=convocatoria)
    calls = calls or Calls(session)
    out = []
    for r in rows:
        plazos = book_of(calls.call(r.convocatoria)).plazos
        kind = plazos.tipo(r.tipo)
        habiles = r.cuenta == "habiles"
        faltan = calls.calendar(r.convocatoria).business_days_between(today, r.vence) if habiles else (r.vence - today).days
        out.append({"id": r.id, "codigo": r.codigo, "convocatoria": r.convocatoria, "tipo": r.tipo,
                    "titulo": kind.titulo, "fuente": kind.fuente,
                    "hito": r.hito, "responsable": r.responsable, "vence": r.vence.isoformat(),
                    "estado": CADUCADO if kind.derecho and r.estado in ABIERTOS and r.vence < today
                    else "vencido" if r.estado == "pendiente" and r.vence < today else r.estado,
                    "dias_restantes": faltan, "unidad": "hábiles" if habiles else "calendario",
                    "urgencia": (CADUCADO if kind.derecho else "vencido") if r.vence < today
                    else "esta semana" if r.vence <= today + SEMANA else "",
                    "escalamiento": r.escalamiento, "motivo": r.motivo,
                    "cuenta_desde": plazos.cuenta_desde(kind, r.abierto_por, r.desde)})
    return out


def write_ics(rows: list[dict[str, Any]], path: Path, ensayo: bool = False) -> None:
    """One all-day event per deadline, with an alarm the day before, for any calendar program;
    from a rehearsal database each event's title starts with [ENSAYO]."""
    marca = "[ENSAYO] " if ensayo else ""
    if not path.parent.exists():
        from workflow.errors import ConvocaError

        raise ConvocaError(f"No se puede escribir {path}: la carpeta {path.parent} no existe.")
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//FONDECYT//convoca//ES")
    cal.add("version", "2.0")
    for r in rows:
        ev = Event()
        ev.add("uid", f"plazo-{r['id']}@convoca.fondecyt.invalid")
        ev.add("summary", f"{marca}{r['codigo']} {r['tipo']}: {r['titulo']}" + (f" (hito {r['hito']})" if r["hito"] else ""))
        ev.add("dtstart", date.fromisoformat(r["vence"]))
        ev.add("dtend", date.fromisoformat(r["vence"]) + timedelta(days=1))
        ev.add("description", f"{r['fuente']}. Responsable: {r['responsable']}. Estado: {r['estado']}.")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Vence {r['tipo']} de {r['codigo']}")
        alarm.add("trigger", timedelta(days=-1))
        ev.add_component(alarm)
        cal.add_component(ev)
    write_whole(path, lambda temporary: temporary.write_bytes(cal.to_ical()))


def non_working_days(session: Session, year: int, pais: str) -> list[dict[str, Any]]:
    """A country's holidays, declared non-working days and suspensions of a year, each with its source."""
    from sqlalchemy import select

    from states.books import all_books
    from states.calendar import Calendar as Ley
    from workflow.storage.tables import DIA_NO_LABORABLE, FERIADO

    guardados = session.execute(select(FERIADO).where(FERIADO.c.pais == pais, FERIADO.c.fecha.between(
        date(year, 1, 1), date(year, 12, 31)))).all()
    if guardados:
        out = [{"fecha": r.fecha.isoformat(), "tipo": "feriado", "alcance": "nacional",
                "fuente": f"{r.nombre} ({r.fuente}; guardado en la base)"} for r in guardados]
    else:
        ley = next(b.jurisdiccion.fuente_feriados for b in all_books() if b.jurisdiccion.pais == pais)
        out = [{"fecha": d.isoformat(), "tipo": "feriado", "alcance": "nacional", "fuente": f"{name} ({ley}; paquete holidays)"}
               for d, name in sorted(Ley(pais=pais).feriados_de(year).items())]
    added = session.execute(select(DIA_NO_LABORABLE).where(DIA_NO_LABORABLE.c.pais == pais)).all()
    for e in [*seed_days(pais), *added]:
        for d in (e.desde + timedelta(days=i) for i in range((e.hasta - e.desde).days + 1)):
            if d.year == year:
                origen = "archivo del proyecto" if e in seed_days(pais) else f"agregado por {e.agregado_por}"
                out.append({"fecha": d.isoformat(), "tipo": e.tipo, "alcance": e.alcance,
                            "fuente": f"{e.norma} ({origen})"})
    return sorted(out, key=lambda r: r["fecha"])


"""The fund's calendar is the executive direction's to declare (or an admin's, loading decrees)."""


def add_non_working_day(session: Session, desde: date, hasta: date, tipo: str, alcance: str, norma: str,
                        claimed: str | None, today: date, pais: str) -> int:
    """An audited act: who added which days under which norm, in the same transaction as the days
    and as the deadlines it moves (each with its audit row and a notice). Returns how many moved."""
    from sqlalchemy import insert

    from states.actos import ACTO
    from workflow.engine.acting import authorised, record, refusal
    from workflow.storage.tables import DIA_NO_LABORABLE

    datos = {"pais": pais, "desde": desde.isoformat(), "hasta": hasta.isoformat(), "tipo": tipo, "alcance": alcance,
             "norma": norma.strip()}
    user = authorised(session, claimed, ACTO["agregar_dia_no_laborable"], "calendario", today)
    problems = []
    if tipo not in TIPOS:
        problems.append(f"Tipo desconocido: {tipo}. Tipos: {', '.join(TIPOS)}")
    if hasta < desde:
        problems.append(f"El rango termina ({hasta}) antes de empezar ({desde}).")
    if not norma.strip():
        problems.append("Indique el decreto que declara el día (--norma).")
    if problems:
        raise refusal(session, "agregar_dia_no_laborable", "calendario", user.nombre, today, problems, rol=user.rol,
                      datos=datos)
    record(session, "agregar_dia_no_laborable", "calendario", user, today, {"calendario": datos})
    session.execute(insert(DIA_NO_LABORABLE).values(
        pais=pais, desde=desde, hasta=hasta, tipo=tipo, alcance=alcance, norma=norma.strip(), agregado_por=user.nombre,
        agregado_en=wall_clock()))
    moved = move_running_deadlines(session, today, norma.strip(), user.nombre)
    session.commit()
    return moved


def move_running_deadlines(session: Session, today: date, norma: str, usuario: str) -> int:
    """The deadlines a calendar change moves: ledger, audit row per case and a notice per deadline."""
    from types import SimpleNamespace

    from sqlalchemy import select

    from notifications.context import deadline_context
    from notifications.outbox import queue, recipients
    from states.books import book_of
    from states.plazos import MOVER_RESPUESTA
    from workflow.clock import wall_clock
    from workflow.engine.calls import calendar_for, call_of
    from workflow.engine.cases import SISTEMA
    from workflow.engine.ledger import as_json, recount, write
    from workflow.storage import audit
    from workflow.storage.tables import CASO, USUARIO

    conn, moved = session.connection(), 0
    emails = dict(session.execute(select(USUARIO.c.nombre, USUARIO.c.email)).all())
    for caso_id, codigo, ops, rows in recount(session, today, norma):
        write(conn, caso_id, codigo, ops)
        estado = rows[0].caso_estado
        audit.append(conn, [audit.Entry(codigo, "prorrogar_plazos", "calendario", today, caso_id=caso_id,
                                        estado_origen=estado, estado_destino=estado, rol=SISTEMA,
                                        nota=f"{norma} (agregado por {usuario})", plazos=as_json(ops))])
        monitor = session.execute(select(CASO.c.monitor).where(CASO.c.id == caso_id)).scalar()
        for op, r in zip(ops, rows):
            call = call_of(session, r.convocatoria)
            book = book_of(call)
            respuesta = op["accion"] == MOVER_RESPUESTA
            vence = op["escalamiento_vence"] if respuesta else op["vence"]
            nuevo = SimpleNamespace(**{**r._mapping, "vence": vence, "cuenta": "habiles" if respuesta else r.cuenta})
            contexto = {**deadline_context(call, calendar_for(session, call), nuevo, today),
                        "vence_anterior": op["vence_anterior"], "norma": norma}
            if respuesta:  # the reply period of a carta already sent, not the deadline it is about
                titulo = next(m.titulo for m in book.mensajes if m.tipo == op["respuesta_a"])
                contexto["plazo"]["titulo"] = f"respuesta a la {titulo.lower()} ({contexto['plazo']['titulo']})"
            aviso = book.plazos.prorroga
            to, missing = recipients(r.hechos, deadline_recipients(book, r.tipo, aviso), emails.get(monitor))
            queue(conn, clave=f"{codigo}:{r.tipo}:{r.hito or '-'}:{r.id}:{aviso}:{vence.isoformat()}",
                  tipo=aviso, contexto=contexto, destinatarios=to, faltan=missing, now=wall_clock(),
                  caso_id=caso_id, codigo=codigo, plazo_id=r.id)
            moved += 1
    return moved


def keep_holidays_current(session: Session, today: date) -> list[int]:
    """What the service does each day: every call's holidays through next year, in rows of its
    own (the login that runs it is on them); committed. Returns the years stored (none on most days)."""
    from workflow.engine.calls import all_calls
    from workflow.engine.feriados import store

    added = sorted({y for call in all_calls(session.connection()) for y in store(session, call, None, today)})
    session.commit()
    return added
