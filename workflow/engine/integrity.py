"""Every table a checked projection of the log, and every row of the log judged again.

`auditoria verificar` first recomputes the chain (workflow/storage/audit.py); then it rebuilds from
the accepted rows each table a write around convoca could change (users, calls, calendar,
registry, outbox; the cases and their deadlines in workflow/engine/replay.py; the settings in
installation.py) and names whatever differs. Then it judges each row again as it was written:
its user held a role allowed for it at that moment (by the users' own audited history), its login
was that user's (a production database), and a case's act was a declared transition from the
state its case had reached. A row that fails is named `EVENTO ILEGAL`, whatever its hash: a chain
that verifies proves only that nothing was changed after it was written. Last, every act of a case
is fired again by the one judge on the installation as it then stood (engine/rejudging.py).
"""
from __future__ import annotations

import hashlib
from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import String, cast, or_, select, union

from notifications.outbox import (
    ENCOLAR,
    ENTREGAR,
    ESTADOS,
    addresses,
    first_state,
    json_safe,
    misdirected,
    state_problems,
    step_problem,
    unaudited,
    unofficial,
)
from states import servicios
from states.actos import POR_FILA
from states.book import Book
from states.books import book_of
from states.definition import Event
from states.roles import AUDITOR, SERVICIO, SOLO_CASOS_ASIGNADOS
from states.servicios import CAMBIAN_MENSAJES
from workflow.clock import wall_clock
from workflow.engine import history, rejudging
from workflow.engine.calls import call_of
from workflow.engine.rejudging import PAIS_ANTERIOR
from workflow.engine.replay import shown
from workflow.storage.audit import SISTEMA
from workflow.storage.identity import is_rehearsal
from workflow.storage.tables import (
    AUDITORIA,
    CASO,
    CONVOCATORIA,
    DIA_NO_LABORABLE,
    FERIADO,
    MENSAJE,
    REGISTRO,
    USUARIO,
)

FIJAR_AJUSTE = "fijar_ajuste"
USER_ACTS = ("agregar_usuario", "cambiar_rol", "cambiar_correo", "desactivar_usuario", "reactivar_usuario")
INSTALLING = "(instalación)"
"""The name of the rows written before any user exists (the call and the first admin)."""
COLUMNS = ("id", "caso_id", "codigo", "evento", "estado_origen", "estado_destino", "usuario", "rol", "login",
           "registrado_en", "fecha_efectiva", "datos", "efectos", "refiere", "aceptado", "entrada", "plazos")


SOBRE_TODO = (*USER_ACTS, "cargar_convocatoria", "guardar_feriados", "agregar_dia_no_laborable", FIJAR_AJUSTE, ENCOLAR,
              *CAMBIAN_MENSAJES)
"""The acts later rows depend on wherever they stand in the log (users, calls, calendar, settings, the
outbox): a verification since the last one reads them all, beside the rows of the cases it touches."""


def flagged():
    """Whether a row raised registry flags (`efectos` holds JSON null when it did not)."""
    return cast(AUDITORIA.c.efectos, String) != "null"


def touched(since: int):
    """The cases the rows after `since` touch, and those whose acts raised registry flags (an
    annulment ends them), as a query of their ids."""
    a = AUDITORIA.c
    return union(select(a.caso_id).where(a.id > since, a.caso_id.is_not(None)),
                 select(a.caso_id).where(flagged(), a.caso_id.is_not(None)))


def problems(session, since: int = 0) -> list[str]:
    """Everything a write around convoca left different from what the log gives, in Spanish. With
    `since`, only what the rows after it touch: they are judged, on what the earlier rows give."""
    conn = session.connection()
    a = AUDITORIA.c
    query = select(*(a[k] for k in COLUMNS)).where(a.aceptado.is_(True))
    if since:
        query = query.where(or_(a.id > since, a.evento.in_(SOBRE_TODO), a.caso_id.in_(touched(since)), flagged()))
    rows = [dict(r._mapping) for r in conn.execute(query.order_by(a.id))]
    stored_calls = dict(conn.execute(select(CONVOCATORIA.c.codigo, CONVOCATORIA.c.definicion)).all())
    case_calls = dict(conn.execute(select(CASO.c.id, CASO.c.convocatoria)).all())

    def stored_cases(convocatoria: str) -> dict[str, tuple[str, dict[str, Any]]]:
        return {c: (e, h) for c, e, h in conn.execute(select(CASO.c.codigo, CASO.c.estado, CASO.c.hechos)
                                                      .where(CASO.c.convocatoria == convocatoria))}

    of_call = {codigo: book_of(call_of(conn, codigo)) for codigo in stored_calls}
    books = {caso_id: of_call[convocatoria] for caso_id, convocatoria in case_calls.items()}
    caused: dict[str, Any] = {}
    rejudged = rejudging.problems(rows, stored_calls, case_calls, since, stored_cases if since else None, caused)
    return (users(conn, rows) + calls(conn, rows) + calendar(conn, rows) + registry(conn, rows)
            + outbox(conn, rows, since, caused, books) + illegal(rows, not is_rehearsal(conn), books, since) + rejudged)


def user_change(users_: dict[str, dict[str, Any]], row: dict[str, Any]) -> None:
    """A user's row after one audited change of it."""
    cambio = row["datos"]["usuario"]
    if row["evento"] == "agregar_usuario":
        users_[cambio["nombre"]] = {"rol": cambio["rol"], "email": cambio.get("email"), "activo": True,
                                    "login": cambio.get("login")}
    elif cambio["nombre"] in users_:
        users_[cambio["nombre"]].update(cambio["despues"])


def _differences(kind: str, stored: dict[Any, dict[str, Any]], log: dict[Any, dict[str, Any]]) -> list[str]:
    out = []
    for key in sorted(stored.keys() | log.keys(), key=str):
        a, b = stored.get(key), log.get(key)
        if a is None or b is None:
            out.append(f"{kind} {key}: {'no está' if a is None else 'está'} en la tabla y "
                       f"{'no está' if b is None else 'está'} en la auditoría")
            continue
        out += [f"{kind} {key} {col}: guardado {shown(a.get(col))}, según la auditoría {shown(b.get(col))}"
                for col in b if a.get(col) != b.get(col)]
    return out



def users(conn, rows: list[dict[str, Any]]) -> list[str]:
    """Each user's role, login, e-mail and activity, as the audited acts on users leave them."""
    log: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["evento"] in USER_ACTS:
            user_change(log, r)
    stored = {u.nombre: {"rol": u.rol, "email": u.email, "activo": u.activo, "login": u.login}
              for u in conn.execute(select(USUARIO))}
    return _differences("USUARIO ALTERADO", stored, log)


def calls(conn, rows: list[dict[str, Any]]) -> list[str]:
    """Each call's stored file is the text its last accepted load fingerprinted."""
    log = {r["datos"]["convocatoria"]: {"sha256": r["datos"]["sha256"]} for r in rows
           if r["evento"] == "cargar_convocatoria"}
    stored = {c.codigo: {"sha256": hashlib.sha256(c.definicion.encode()).hexdigest()}
              for c in conn.execute(select(CONVOCATORIA.c.codigo, CONVOCATORIA.c.definicion))}
    return _differences("CONVOCATORIA ALTERADA", stored, log)


def calendar(conn, rows: list[dict[str, Any]]) -> list[str]:
    """The holidays stored with each call's load, and the days the Dirección added, with their decree."""
    feriados = {f"{r['datos'].get('pais', PAIS_ANTERIOR)} {f}": {"nombre": n} for r in rows
                if r["evento"] == "guardar_feriados" for f, n in r["datos"].get("feriados", [])}
    stored = {f"{f.pais} {f.fecha.isoformat()}": {"nombre": f.nombre} for f in conn.execute(select(FERIADO))}
    out = _differences("FERIADO ALTERADO", stored, feriados)

    def day(values: dict[str, Any]) -> tuple:
        return tuple(str(values[k]) for k in ("desde", "hasta", "tipo", "alcance", "norma", "agregado_por", "pais"))

    added = Counter(day({"pais": PAIS_ANTERIOR, **r["datos"]["calendario"], "agregado_por": r["usuario"]}) for r in rows
                    if r["evento"] == "agregar_dia_no_laborable")
    have = Counter(day(dict(d._mapping)) for d in conn.execute(select(DIA_NO_LABORABLE)))
    out += [f"CALENDARIO ALTERADO: {d[0]}–{d[1]} ({d[2]}, {d[4]}) está {n} vez/veces en la tabla sin su acto"
            for d, n in (have - added).items()]
    out += [f"CALENDARIO ALTERADO: {d[0]}–{d[1]} ({d[2]}, {d[4]}) falta en la tabla" for d in added - have]
    return out


def registry(conn, rows: list[dict[str, Any]]) -> list[str]:
    """The registry's flags, each from the act that raised it; an annulled act's flag ends where it began."""
    by_case: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        if r["caso_id"] is not None:
            by_case.setdefault(r["caso_id"], []).append(r)
    voided: set[int] = set()
    for case_rows in by_case.values():
        by_id = {r["id"]: r for r in case_rows}
        for r in case_rows:
            if r["evento"] == history.ANULAR and r["refiere"] in by_id:
                root = history.root_of(case_rows, by_id[r["refiere"]], by_id)
                voided |= {x["id"] for x in case_rows if history.root_of(case_rows, x, by_id) == root}
    log = {}
    for r in rows:
        for flag in (r["efectos"] or {}).get("registro", []):
            key = f"{flag['tipo']} {flag['documento']} (fila {r['id']})"
            log[key] = {k: str(v) if v is not None else None for k, v in flag.items()}
            if r["id"] in voided:
                log[key]["hasta"] = log[key]["desde"]
    stored = {f"{f.tipo} {f.documento} (fila {shown(f.auditoria_id)})":
              {k: str(v) if v is not None else None for k, v in f._mapping.items() if k not in ("id", "auditoria_id")}
              for f in conn.execute(select(REGISTRO))}
    return _differences("REGISTRO ALTERADO", stored, log)


def outbox(conn, rows: list[dict[str, Any]], since: int = 0, caused: dict[str, Any] | None = None,
           books: dict[int, Book] | None = None) -> list[str]:
    """Each message is the one its audit row queued, one convoca writes (its kind's templates on its
    context, to addresses of users or of its case's parties), marked sent only with its delivery
    audited, and in the state the last row that changed it states (notifications/outbox.py). A message
    of an event's kind is the one its act gives (`caused`: key → context, engine/rejudging.py). With
    `since`, the messages the rows after it queue or change."""
    queued = {r["id"]: r["datos"] for r in rows if r["evento"] == ENCOLAR}
    delivered = {r["codigo"] for r in rows if r["evento"] == ENTREGAR}
    query = select(MENSAJE)
    if since:
        changed = {s["id"] for r in rows if r["id"] > since and r["evento"] in CAMBIAN_MENSAJES
                   for s in (r["datos"] or {}).get(ESTADOS, [])}
        query = query.where(or_(MENSAJE.c.auditoria_id > since, MENSAJE.c.id.in_(sorted(changed))))
        queued_now = {i for i in queued if i > since}
    messages = {m.id: m for m in conn.execute(query.order_by(MENSAJE.c.id))}
    states, out = _message_steps(rows, messages, queued, since)
    now, ensayo, known = wall_clock(), is_rehearsal(conn), _known_addresses(conn, rows, messages.values())
    claves = set()
    for m in messages.values():
        claves.add(m.clave)
        where = f"MENSAJE ALTERADO {m.id} ({m.tipo}, {m.codigo or 'sin caso'})"
        datos = queued.get(m.auditoria_id)
        if problem := unaudited(m, datos):
            out.append(f"{where}: {problem}")
            continue
        if (m.estado == "enviado") != (f"mensaje:{m.id}" in delivered):
            out.append(f"MENSAJE ALTERADO {m.id} ({m.tipo}): estado {m.estado}, y la auditoría "
                       f"{'registra' if f'mensaje:{m.id}' in delivered else 'no registra'} su entrega")
        if problem := unofficial(m, (books or {}).get(m.caso_id), ensayo) \
                or misdirected(m, known["usuarios"] | known.get(m.caso_id, set())):
            out.append(f"{where}: {problem}")
        elif caused is not None and m.caso_id in (books or {}) and m.auditoria_id > since \
                and m.tipo in {t for ev in books[m.caso_id].ciclo.eventos for t in ev.mensajes}:
            if m.clave not in caused:
                out.append(f"{where}: ningún acto registrado lo escribe (los avisos de tipo {m.tipo} los escribe el "
                           "acto del caso que los declara)")
            elif json_safe(caused[m.clave]) != m.contexto:
                out.append(f"{where}: su contexto no es el que da el acto que lo escribe")
        stated = states.get(m.id) or first_state(m, datos)
        out += [f"{where}: {p}" for p in state_problems(m, stated, now)]
    out += [f"MENSAJE ALTERADO {x['clave']}: encolado por la fila {i} y ausente de la bandeja"
            for i, datos in queued.items() if not since or i in queued_now
            for x in datos["mensajes"] if x["clave"] not in claves]
    return out


def _known_addresses(conn, rows: list[dict[str, Any]], messages) -> dict[Any, set[str]]:
    """The addresses convoca may write to: every user's, as the users' acts gave them (under
    "usuarios"), and each case's parties', as its rows and its stored facts give them."""
    users_: set[str] = set()
    by_case: dict[Any, set[str]] = {}
    for r in rows:
        datos = r["datos"] or {}
        if r["evento"] in USER_ACTS:
            cambio = datos["usuario"]
            users_ |= {e for e in (cambio.get("email"), (cambio.get("despues") or {}).get("email")) if e}
        elif r["caso_id"] is not None:
            by_case.setdefault(r["caso_id"], set()).update(addresses(datos))
    ids = sorted({m.caso_id for m in messages if m.caso_id is not None})
    for i in range(0, len(ids), 500):
        for caso_id, hechos in conn.execute(select(CASO.c.id, CASO.c.hechos).where(CASO.c.id.in_(ids[i:i + 500]))):
            by_case.setdefault(caso_id, set()).update(addresses(hechos))
    return {"usuarios": users_, **by_case}


def _message_steps(rows: list[dict[str, Any]], messages: dict[int, Any], queued: dict[int, dict[str, Any]],
                   since: int = 0) -> tuple[dict[int, dict[str, Any]], list[str]]:
    """Each message's state as the rows that changed it leave it, each change judged as a step its
    row may make under the retry policy then in force (notifications/outbox.py `step_problem`)."""
    from workflow.storage.settings import Settings

    policy = Settings().model_dump()
    states: dict[int, dict[str, Any]] = {}
    out = []
    for r in rows:
        datos = r["datos"] or {}
        if r["evento"] == FIJAR_AJUSTE and datos["ajuste"]["clave"] in ("intentos_envio", "espera_reintento_minutos"):
            policy[datos["ajuste"]["clave"]] = int(datos["ajuste"]["despues"])
        if r["evento"] not in CAMBIAN_MENSAJES:
            continue
        for nuevo in datos.get(ESTADOS, []):
            m = messages.get(nuevo["id"])
            antes = states.get(nuevo["id"]) or (first_state(m, queued[m.auditoria_id]) if m is not None
                                                and queued.get(m.auditoria_id) else None)
            if antes is not None and r["id"] > since and (why := step_problem(
                    r["evento"], antes, nuevo, r["registrado_en"], policy["intentos_envio"],
                    timedelta(minutes=policy["espera_reintento_minutos"]))):
                out.append(f"EVENTO ILEGAL fila {r['id']} ({r['evento']}, mensaje {nuevo['id']}, {r['usuario']}): {why}")
            states[nuevo["id"]] = nuevo
    return states, out


def illegal(rows: list[dict[str, Any]], production: bool, books: dict[int, Book], since: int = 0) -> list[str]:
    """Each accepted row (after `since`) judged again as the log stood when it was written (see the module)."""
    people: dict[str, dict[str, Any]] = {}
    monitors: dict[int, str | None] = {}
    out = []
    for r in rows:
        event = books[r["caso_id"]].ciclo.event(r["evento"]) if r["caso_id"] in books else None
        why = _author_problem(r, event, people, monitors, production) if r["id"] > since else None
        if why:
            out.append(f"EVENTO ILEGAL fila {r['id']} ({r['evento']}, {r['codigo']}, {r['usuario']}): {why}")
        if r["evento"] in USER_ACTS and not why:  # an illegal change of a user gives nobody a role
            user_change(people, r)
        if r["caso_id"] is not None and (r["datos"] or {}).get("asignacion"):
            monitors[r["caso_id"]] = r["datos"]["asignacion"].get("monitor")
    by_case: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        if r["caso_id"] is not None:
            by_case.setdefault(r["caso_id"], []).append(r)
    for case_rows in by_case.values():
        if case_rows[0]["caso_id"] in books:
            out += _transition_problems(case_rows, books[case_rows[0]["caso_id"]], since)
    return out


def _author_problem(r: dict[str, Any], event: Event | None, people: dict[str, dict[str, Any]],
                    monitors: dict[int, str | None],
                    production: bool) -> str | None:
    logins = {u["login"]: nombre for nombre, u in people.items() if u["login"]}
    if r["usuario"] == INSTALLING:
        return "escrita como la instalación cuando ya había usuarios" if people else None
    if r["rol"] == SISTEMA:
        if problem := servicios.problem(r):
            return problem
        if production and r["login"] is not None and r["login"] not in logins:
            return f"el login {r['login']} no era de ningún usuario"
        if production and r["login"] is not None:
            who = people[logins[r["login"]]]
            if who["rol"] == AUDITOR:
                return f"el login {r['login']} era de un auditor, que no cambia nada"
            if servicios.BY_NAME[r["usuario"]].solo_servicio and (who["rol"] != SERVICIO or not who["activo"]):
                return (f"las filas de {r['usuario']} son solo del servicio (un usuario activo con el rol {SERVICIO}) "
                        f"y el login {r['login']} era de {logins[r['login']]} ({who['rol']})")
        return None
    user = people.get(r["usuario"])
    if user is None:
        return "el usuario no existía entonces"
    if not user["activo"]:
        return "el usuario estaba desactivado"
    if production and r["login"] is not None and user["login"] != r["login"]:
        return f"el login {r['login']} no era el de {r['usuario']} ({user['login'] or 'sin login'})"
    if r["rol"] != user["rol"]:
        return f"dice el rol {r['rol']} y {r['usuario']} tenía el rol {user['rol']}"
    roles = event.roles if event else POR_FILA[r["evento"]].roles if r["evento"] in POR_FILA else None
    if roles is None:
        return "el evento no está declarado en el reglamento (states/)"
    if user["rol"] not in roles:
        return f"el rol {user['rol']} no puede {r['evento']}; pueden: {', '.join(roles)}"
    if event and user["rol"] in SOLO_CASOS_ASIGNADOS and monitors.get(r["caso_id"]) != r["usuario"]:
        monitor = monitors.get(r["caso_id"])
        return f"el caso estaba asignado a {monitor}" if monitor else "el caso no estaba asignado a ningún monitor"
    return None


def _transition_problems(case_rows: list[dict[str, Any]], book: Book, since: int = 0) -> list[str]:
    """The case's acts in effect, in their order: each one (after `since`) a declared transition from
    the state reached."""
    found, estado = [], None
    for a in history.effective(case_rows):
        event = book.ciclo.event(a["evento"])
        out = found if a["id"] > since else []
        where = f"EVENTO ILEGAL fila {a['id']} ({a['evento']}, {a['codigo']}, {a['usuario']})"
        if event is None:
            if estado is not None:
                out.append(f"{where}: el caso ya existía ({estado})")
            estado = a["estado_destino"]
            continue
        if a["estado_origen"] != estado:
            out.append(f"{where}: dice venir de {a['estado_origen']} y el caso estaba en {estado}")
        allowed = {t.destino or estado for t in event.transiciones if estado in t.origen}
        if not allowed:
            out.append(f"{where}: {a['evento']} no procede desde {estado}")
        elif a["estado_destino"] not in allowed and not event.destino_por:
            out.append(f"{where}: {a['evento']} lleva de {estado} a {', '.join(sorted(allowed))}, "
                       f"no a {a['estado_destino']}")
        if a["estado_origen"] != a["estado_destino"] or estado is None:
            estado = a["estado_destino"]
    return found

