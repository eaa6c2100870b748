"""The outbox, inside the caller's transaction: queuing a message, and every change of its state.

The key (case, deadline, kind, offset) is unique, so a repeated pass cannot queue a message twice;
the Message-ID is derived from the key, so a message re-sent after a crash is recognisably the
same one. A recipient without an e-mail is recorded as a warning on the message, not an error.

The outbox is a projection of the log: the row that queues a message states its key, recipients,
kind, fingerprint, first state and attachment (name, type, SHA-256), and every later change of its
state (delivered, withdrawn, a failed try and its next one, retried) is a row of the log stating the
new state, written before the message (`change_states`). `auditoria verificar` rebuilds each
message's state from those rows, and on PostgreSQL the outbox's guard refuses an UPDATE that no row
of its transaction states (migration 0015). Only a sender's lease (`enviando` for a few minutes while
it talks to the server) goes unrecorded: it is not a state of the notice, and it is bounded.
"""
from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select

from notifications.render import render
from states.book import Book
from states.books import book_of, message, parse_stored
from states.mensajes import MONITOR, RECTIFICACION, Mensaje
from states.servicios import BANDEJA, ENCOLAR, ENTREGAR, INTENTO_FALLIDO, RETIRAR
from workflow.storage.models import Message
from workflow.storage.tables import CASO, CONVOCATORIA

MENSAJE = Message.__table__
"""The outbox's own rows in the log: messages queued, one message delivered; written as `bandeja`."""
ENSAYO = "ENSAYO: mensaje de una base de datos de ensayo (capacitación, demostración o pruebas); no es oficial."


def _marked_html(html: str) -> str:
    """The rehearsal notice as the first thing inside the body."""
    at = html.find(">", html.find("<body")) + 1 if "<body" in html else 0
    return f"{html[:at]}<p><strong>{ENSAYO}</strong></p>{html[at:]}"


def declarations(conn: Connection, caso_ids: set[int | None]) -> dict[int | None, Book | None]:
    """The rule book of each case (None: the installation's own messages), whose declarations say what
    its messages cite and carry: one query for them all."""
    ids = sorted(i for i in caso_ids if i is not None)
    out: dict[int | None, Book | None] = {None: None}
    for at in range(0, len(ids), 500):
        for caso_id, codigo, text in conn.execute(
                select(CASO.c.id, CONVOCATORIA.c.codigo, CONVOCATORIA.c.definicion)
                .join(CONVOCATORIA, CONVOCATORIA.c.codigo == CASO.c.convocatoria).where(CASO.c.id.in_(ids[at:at + 500]))):
            out[caso_id] = book_of(parse_stored(codigo, text))
    return out


def written(declared: Mensaje, contexto: dict[str, Any], ensayo: bool) -> tuple[str, str, str]:
    """(subject, text, html) as convoca writes a message of this kind from its context; a rehearsal's
    marked so that nobody takes it for an official one."""
    asunto, texto, html = render(declared, contexto)
    if ensayo:
        asunto, texto, html = f"[ENSAYO] {asunto}", f"{ENSAYO}\n\n{texto}", _marked_html(html)
    return asunto, texto, html


def unofficial(m: Any, book: Book | None, ensayo: bool) -> str | None:
    """Why a message is not one convoca writes: its text is not its kind's templates on its stored
    context (a text written by hand, however it was queued), or it carries a file its kind does not
    (the declaration's `adjunto`, in its case's `book`). Never sent; `verificar` names it."""
    declared = message(m.tipo, book)
    if declared is None:
        return f"el tipo {m.tipo} no es un mensaje declarado"
    if m.contexto is None:
        return "no guarda el contexto con que se escribió: su texto no puede comprobarse"
    try:
        again = written(declared, m.contexto, ensayo)
    except Exception as exc:  # a context no convoca message has: that is the finding
        return f"su contexto no da un mensaje de tipo {m.tipo} ({type(exc).__name__})"
    if again != (m.asunto, m.texto, m.html):
        return "su asunto o su texto no es el que convoca escribe con sus plantillas para su contexto"
    adjunto = m.contexto.get("adjunto")
    if adjunto is not None:
        if declared.adjunto is None:
            return f"un mensaje de tipo {m.tipo} no lleva archivos, y este lleva {adjunto.get('nombre')}"
        content = base64.b64decode(adjunto.get("contenido") or "")
        if adjunto.get("tipo") != declared.adjunto or not content.startswith(b"%PDF-") \
                or not str(adjunto.get("nombre", "")).endswith(".pdf"):
            return f"su adjunto {adjunto.get('nombre')} ({adjunto.get('tipo')}) no es el PDF que su tipo lleva"
    return None


def misdirected(m: Any, known: set[str]) -> str | None:
    """Why a message goes where convoca sends none: to an address that no user of the installation and
    no party of its case has."""
    strangers = sorted(set(m.destinatarios) - known)
    return f"va a {', '.join(strangers)}, que no es de ningún usuario ni de su caso" if strangers else None


def addresses(hechos: dict[str, Any]) -> set[str]:
    """The addresses a case's facts give its parties."""
    return {x["email"] for x in hechos.values() if isinstance(x, dict) and isinstance(x.get("email"), str)}


def fingerprint(asunto: str, texto: str, html: str) -> str:
    """What the audit row that queues a message records of its text: a SHA-256 over the SHA-256 of
    each part (the same as the PostgreSQL guard's `convoca_huella`, migration 0011)."""
    parts = "".join(hashlib.sha256(p.encode()).hexdigest() for p in (asunto, texto, html))
    return hashlib.sha256(parts.encode()).hexdigest()


POR_FILA = 100
"""Messages one audit row queues. On PostgreSQL each message's guard reads its audit row's list
(migration 0011): a row of 500 made that read most of a publication's time, one of 100 a fifth."""


ESTADOS = "estados"
"""In a row that changes messages (states/servicios.py CAMBIAN_MENSAJES), the new state of each."""


def attached(contexto: dict[str, Any] | None) -> dict[str, Any] | None:
    """A message's attachment as its queuing row states it: its name, its type and the SHA-256 of
    its bytes (the bytes themselves stay in the message)."""
    adjunto = (contexto or {}).get("adjunto")
    if adjunto is None:
        return None
    contenido = base64.b64decode(adjunto["contenido"])
    return {"nombre": adjunto["nombre"], "tipo": adjunto["tipo"], "sha256": hashlib.sha256(contenido).hexdigest()}


def audit_queued(conn: Connection, rows: list[dict[str, Any]], now: datetime) -> None:
    """One audit row for the messages queued in this transaction: each one's key, recipients, kind,
    fingerprint, first state and attachment, so that `auditoria verificar` rebuilds the outbox and
    `correos enviar` sends only what the log queued. The rows take its id."""
    from workflow.storage import audit

    [auditoria_id] = audit.append(conn, [audit.Entry(
        "bandeja", ENCOLAR, BANDEJA, now.date(), rol=audit.SISTEMA, datos={"mensajes": [
            {"clave": r["clave"], "destinatarios": r["destinatarios"], "tipo": r["tipo"],
             "sha256": fingerprint(r["asunto"], r["texto"], r["html"]), "estado": r["estado"],
             "advertencia": r["advertencia"], **({"adjunto": a} if (a := attached(r["contexto"])) else {})}
            for r in rows]})])
    for r in rows:
        r["auditoria_id"] = auditoria_id


def unaudited(m: Any, datos: dict[str, Any] | None) -> str | None:
    """Why a message is not the one its audit row queued (`datos` of that row, None when there is
    none): a row written around convoca is never sent and `verificar` names it."""
    if datos is None:
        return "ninguna fila de auditoría lo encoló"
    stated = next((x for x in datos.get("mensajes", []) if x["clave"] == m.clave), None)
    if stated is None:
        return f"su fila de auditoría {m.auditoria_id} no lo encoló"
    if list(stated["destinatarios"]) != list(m.destinatarios):
        return f"destinatarios {', '.join(m.destinatarios)}; encolado para {', '.join(stated['destinatarios'])}"
    if stated["sha256"] != fingerprint(m.asunto, m.texto, m.html):
        return "su asunto o su texto no es el que se encoló"
    if stated.get("tipo", m.tipo) != m.tipo:
        return f"es de tipo {m.tipo} y se encoló como {stated['tipo']}"
    try:
        adjunto = attached(m.contexto)
    except (KeyError, TypeError, ValueError):
        return "su adjunto no se puede leer"
    if adjunto != stated.get("adjunto"):
        shown = adjunto or {"nombre": "ninguno"}
        return (f"su adjunto ({shown['nombre']}, {shown.get('tipo', '—')}) no es el que se encoló "
                f"({(stated.get('adjunto') or {}).get('nombre', 'ninguno')})")
    return None


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def state(m: Any, **changes: Any) -> dict[str, Any]:
    """A message's state as a row of the log states it, with `changes` applied."""
    out = {"id": m.id, "estado": m.estado, "intentos": m.intentos, "proximo_intento": m.proximo_intento,
           "advertencia": m.advertencia, **changes}
    out["proximo_intento"] = _iso(out["proximo_intento"])
    return out


LEASE = timedelta(minutes=10)
"""How long a sender holds a message it took (`enviando`): one that died while talking to the server
leaves it so, and another sender takes it again after this (with the same Message-ID). The
PostgreSQL guard of the outbox holds a lease to it (migration 0015)."""


def first_state(m: Any, datos: dict[str, Any]) -> dict[str, Any]:
    """A message's state as the row that queued it states it (a row written before it did: the state
    queuing gives, from its recipients)."""
    stated = next(x for x in datos["mensajes"] if x["clave"] == m.clave)
    return {"id": m.id, "estado": stated.get("estado", "pendiente" if m.destinatarios else "sin_destinatario"),
            "intentos": 0, "proximo_intento": None, "advertencia": stated.get("advertencia", m.advertencia)}


PASOS = {ENTREGAR: (("pendiente",), ("enviado",)), INTENTO_FALLIDO: (("pendiente",), ("pendiente", "fallido")),
         RETIRAR: (("pendiente", "sin_destinatario"), ("retirado",)),
         "retirar_mensaje": (("pendiente", "sin_destinatario"), ("retirado",)),
         "reintentar_mensaje": (("fallido",), ("pendiente",))}
"""What each row that changes a message may do: the states it takes a message from, and to."""


def step_problem(evento: str, antes: dict[str, Any], despues: dict[str, Any], at: datetime, tries: int,
                 wait: timedelta) -> str | None:
    """Why one audited change of a message is not one its row may make: from a state it does not
    leave, to one it does not give, a try not counted as one, a failed message kept pending past the
    installation's tries, or a next try later than the retry policy's wait (a delayed notice)."""
    desde, hacia = PASOS[evento]
    if antes["estado"] not in desde or despues["estado"] not in hacia:
        return f"{evento} lleva un mensaje de {antes['estado']} a {despues['estado']}"
    intentos = {ENTREGAR: antes["intentos"] + 1, INTENTO_FALLIDO: antes["intentos"] + 1,
                "reintentar_mensaje": 0}.get(evento, antes["intentos"])
    if despues["intentos"] != intentos:
        return f"{evento} deja {despues['intentos']} intentos y da {intentos}"
    if evento == INTENTO_FALLIDO:
        final = intentos >= tries
        if (despues["estado"] == "fallido") != final:
            return f"tras {intentos} de {tries} intentos el mensaje queda {despues['estado']}"
        proximo = despues["proximo_intento"]
        limite = at + wait * 2 ** (intentos - 1)
        if not final and (proximo is None or datetime.fromisoformat(proximo) > limite):
            return (f"el próximo intento {proximo} pasa de la espera de la instalación ({limite.isoformat(timespec='minutes')}"
                    "): se demoraría un aviso")
    elif despues["proximo_intento"] is not None:
        return f"{evento} no fija un próximo intento"
    return None


def state_problems(m: Any, stated: dict[str, Any], now: datetime) -> list[str]:
    """How a message's stored state differs from the one the log states: `enviando` is a sender's
    lease on a pending message (never longer than `LEASE` from now), and a pending message's next try
    is never later than the log's (a later one suppresses it)."""
    out = []
    estado = "pendiente" if m.estado == "enviando" else m.estado
    if estado != stated["estado"]:
        out.append(f"estado {m.estado}, según la auditoría {stated['estado']}")
    if m.intentos != stated["intentos"]:
        out.append(f"{m.intentos} intentos, según la auditoría {stated['intentos']}")
    if m.advertencia != stated["advertencia"]:
        out.append(f"advertencia «{m.advertencia or ''}», según la auditoría «{stated['advertencia'] or ''}»")
    proximo = datetime.fromisoformat(stated["proximo_intento"]) if stated["proximo_intento"] else None
    if m.estado == "enviando":
        if m.proximo_intento is None or m.proximo_intento > now + LEASE:
            out.append(f"tomado para enviar hasta {_iso(m.proximo_intento) or 'siempre'}: más que los "
                       f"{int(LEASE.total_seconds() // 60)} minutos de un envío")
    elif estado == "pendiente":
        if m.proximo_intento is not None and (proximo is None or m.proximo_intento > proximo):
            out.append(f"próximo intento {_iso(m.proximo_intento)}, según la auditoría {_iso(proximo) or 'ya'}: "
                       "se demoraría un aviso")
    elif m.proximo_intento != proximo:
        out.append(f"próximo intento {_iso(m.proximo_intento) or 'ninguno'}, según la auditoría "
                   f"{_iso(proximo) or 'ninguno'}")
    return out


def set_states(conn: Connection, states: list[dict[str, Any]], **columns: Any) -> None:
    """The messages in the states a row of the log (written first, in this transaction) states."""
    from sqlalchemy import update

    for s in states:
        proximo = s["proximo_intento"]
        conn.execute(update(MENSAJE).where(MENSAJE.c.id == s["id"]).values(
            estado=s["estado"], intentos=s["intentos"], advertencia=s["advertencia"],
            proximo_intento=datetime.fromisoformat(proximo) if proximo else None, **columns))


def change_states(conn: Connection, evento: str, states: list[dict[str, Any]], today: date,
                  **datos: Any) -> None:
    """A change of the outbox as its own act (`bandeja`): the row that states the new states, then
    the messages."""
    from workflow.storage import audit

    if not states:
        return
    audit.append(conn, [audit.Entry("bandeja", evento, BANDEJA, today, rol=audit.SISTEMA,
                                    datos={**datos, ESTADOS: states})])
    set_states(conn, states)


def queued_by(conn: Connection, m: Any) -> dict[str, Any] | None:
    """The `datos` of the accepted audit row that queued the message, if there is one."""
    from workflow.storage.tables import AUDITORIA

    if m.auditoria_id is None:
        return None
    return conn.execute(select(AUDITORIA.c.datos).where(AUDITORIA.c.id == m.auditoria_id,
                                                        AUDITORIA.c.evento == ENCOLAR,
                                                        AUDITORIA.c.aceptado.is_(True))).scalar()


def deliver(conn: Connection, m: Any, now: datetime, respuesta: str) -> None:
    """The delivery of a message as an audited fact, and the message marked sent after it."""
    from workflow.storage import audit

    sent = state(m, estado="enviado", intentos=m.intentos + 1, proximo_intento=None)
    audit.append(conn, [audit.Entry(f"mensaje:{m.id}", ENTREGAR, BANDEJA, now.date(), rol=audit.SISTEMA, datos={
        "mensaje": {"clave": m.clave, "message_id": m.message_id, "enviado_en": now.isoformat(),
                    "respuesta": respuesta}, ESTADOS: [sent]})])
    set_states(conn, [sent], respuesta=respuesta, enviado_en=now)


def message_id(clave: str) -> str:
    return f"<{hashlib.sha256(clave.encode()).hexdigest()[:32]}@convoca.fondecyt.invalid>"


def json_safe(value: Any) -> Any:
    """What a letter's templates were given, as JSON keeps it (dates as ISO text)."""
    import json

    return json.loads(json.dumps(value, default=str))


def recipients(hechos: dict[str, Any], roles: tuple[str, ...], monitor_email: str | None) -> tuple[list[str], list[str]]:
    """(addresses, missing roles) for the roles a message goes to."""
    found, missing = [], []
    for role in roles:
        email = monitor_email if role == MONITOR else (hechos.get(role) or {}).get("email")
        (found if email else missing).append(email or role)
    return list(dict.fromkeys(found)), missing


def queue(conn: Connection, *, clave: str, tipo: str, contexto: dict[str, Any], destinatarios: list[str],
          faltan: list[str], now: datetime, caso_id: int | None = None, codigo: str | None = None,
          plazo_id: int | None = None) -> bool:
    """Renders and inserts the message unless its key is already there; True when queued."""
    return queue_many(conn, [{"clave": clave, "tipo": tipo, "contexto": contexto, "destinatarios": destinatarios,
                              "faltan": faltan, "caso_id": caso_id, "codigo": codigo, "plazo_id": plazo_id}], now) == 1


def queue_many(conn: Connection, items: list[dict[str, Any]], now: datetime) -> int:
    """Queues a batch (a whole publication's results) with one lookup, one audit row and one insert
    per `POR_FILA` messages. The insert itself ignores a duplicate key, so two schedulers racing on
    the same key queue it once."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    from workflow.storage.identity import is_rehearsal

    if not items:
        return 0
    dialect_insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}.get(conn.dialect.name)
    ensayo = is_rehearsal(conn)
    books = declarations(conn, {m.get("caso_id") for m in items})
    queued = 0
    for i in range(0, len(items), POR_FILA):
        chunk = items[i:i + POR_FILA]
        known = set(conn.execute(select(MENSAJE.c.clave).where(MENSAJE.c.clave.in_([m["clave"] for m in chunk])))
                    .scalars())
        rows = []
        for m in chunk:
            if m["clave"] in known:
                continue
            known.add(m["clave"])
            asunto, texto, html = written(message(m["tipo"], books[m.get("caso_id")]), m["contexto"], ensayo)
            rows.append({"clave": m["clave"], "caso_id": m.get("caso_id"), "codigo": m.get("codigo"), "tipo": m["tipo"],
                         "plazo_id": m.get("plazo_id"), "destinatarios": m["destinatarios"], "asunto": asunto,
                         "texto": texto, "html": html,
                         "estado": "pendiente" if m["destinatarios"] else "sin_destinatario",
                         "advertencia": f"sin correo para: {', '.join(m['faltan'])}" if m["faltan"] else None,
                         "intentos": 0, "message_id": message_id(m["clave"]), "creado_en": now,
                         "contexto": json_safe(m["contexto"])})
        if not rows:
            continue
        audit_queued(conn, rows, now)
        stmt = (dialect_insert or insert)(MENSAJE)
        if dialect_insert:
            stmt = stmt.on_conflict_do_nothing(index_elements=["clave"])
        if len(rows) == 1:
            queued += conn.execute(stmt.values(rows[0]).returning(MENSAJE.c.id)).first() is not None
        else:
            conn.execute(stmt, rows)
            queued += len(rows)
    return queued


def withdraw(conn: Connection, where, motivo: str, today: date) -> int:
    """Messages not sent yet that no longer hold: kept, marked `retirado` with the reason, by an
    audited act of the outbox."""
    held = conn.execute(select(MENSAJE).where(where, MENSAJE.c.estado.in_(("pendiente", "sin_destinatario")))
                        .order_by(MENSAJE.c.id)).all()
    change_states(conn, RETIRAR, [state(m, estado="retirado", advertencia=f"retirado: {motivo}", proximo_intento=None)
                                  for m in held], today, motivo=motivo)
    return len(held)


def rectify_sent(conn: Connection, where, motivo: str, now: datetime, base: dict[str, Any]) -> int:
    """A rectification notice (`rectificacion`) to the recipients of each message already sent that
    the change makes wrong, once per message and reason. `base`: the call and the case, as every
    message of the case names them."""
    sent = conn.execute(select(MENSAJE).where(where, MENSAJE.c.estado == "enviado")).all()
    return queue_many(conn, [{
        "clave": f"{m.clave}:{RECTIFICACION}:{hashlib.sha256(motivo.encode()).hexdigest()[:8]}", "tipo": RECTIFICACION,
        "contexto": {**base, "codigo": m.codigo, "asunto_original": m.asunto, "enviado_en": m.enviado_en, "motivo": motivo},
        "destinatarios": list(m.destinatarios), "faltan": [], "caso_id": m.caso_id, "codigo": m.codigo,
        "plazo_id": m.plazo_id} for m in sent], now)
