"""What the officer asks of the database: case lists, a case's detail and history. Plain data
(stable JSON keys); `workflow/cli/views.py` renders it for the terminal."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from states.books import all_books, book_of
from states.plazos import ABIERTOS
from workflow.clock import LIMA, Clock
from workflow.engine.calls import all_calls
from workflow.errors import NotFound
from workflow.storage.plain import select_rows, select_value

if TYPE_CHECKING:
    from sqlmodel import Session


def spelled(conn, codigo: str) -> str:
    """A case's code as the database spells it, whatever case it was typed in: codes are read off
    paper and e-mails, where `e062-0010` and `E062-0010` are the same case. Unchanged when it names
    no case, or more than one, so the command's own refusal says so."""
    if select_value(conn, "SELECT codigo FROM caso WHERE codigo = :codigo", codigo=codigo):
        return codigo
    found = select_rows(conn, "SELECT codigo FROM caso WHERE upper(codigo) = :codigo LIMIT 2", codigo=codigo.upper())
    return found[0][0] if len(found) == 1 else codigo


def known_states() -> list[str]:
    """The states of every registered rule book, each once, in their books' order."""
    return list(dict.fromkeys(s.nombre for b in all_books() for s in b.ciclo.estados))


def list_cases(session: Session, estado: str | None, pagina: int = 1, por_pagina: int | None = 50,
               monitor: str | None = None, convocatoria: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """One page of cases in code order (every case with no page size), and how many there are in all
    (indexed: fast at 100 000); `monitor`: only the cases assigned to that monitor; `convocatoria`:
    only that call's. Each row names its call, and its entity and person as its call's book words
    them (states/book.py `Redaccion.caso`)."""
    if estado is not None and estado not in known_states():
        raise NotFound(f"Estado desconocido: {estado}. Estados: {', '.join(known_states())}")
    if pagina < 1 or (por_pagina is not None and por_pagina < 1):
        raise NotFound("La página y el tamaño de página empiezan en 1.")
    calls = {c.codigo: c for c in all_calls(session)}
    if convocatoria is not None and convocatoria not in calls:
        raise NotFound(f"Convocatoria desconocida: {convocatoria}. Convocatorias: {', '.join(calls)}")
    where = " AND ".join((["estado = :estado"] if estado else []) + (["monitor = :monitor"] if monitor else [])
                         + (["convocatoria = :convocatoria"] if convocatoria else []))
    where = f" WHERE {where}" if where else ""
    total = select_value(session, f"SELECT count(*) FROM caso{where}", estado=estado, monitor=monitor,
                         convocatoria=convocatoria)
    page = " LIMIT :limite OFFSET :desde" if por_pagina else ""
    rows = select_rows(session, f"SELECT codigo, estado, hechos, monitor, convocatoria FROM caso{where} "
                                f"ORDER BY codigo{page}", estado=estado, monitor=monitor, convocatoria=convocatoria,
                       limite=por_pagina, desde=(pagina - 1) * (por_pagina or 0))
    next_due = _next_deadlines(session, [r.codigo for r in rows])
    wording = {codigo: book_of(call).redaccion.caso for codigo, call in calls.items()}
    return [{"codigo": c, "convocatoria": k, "estado": e, **_who(wording[k](c, h)),
             "puntaje": h.get("evaluacion", {}).get("puntaje_final"),
             "excluida": h.get("evaluacion", {}).get("excluyente", False),
             "monto_solicitado": _soles(h.get("postulacion", {}).get("monto_solicitado")),
             "region": h.get("entidad", {}).get("region"), "monitor": m,
             **next_due.get(c, {"proximo_plazo": None, "proximo_vence": None})} for c, e, h, m, k in rows], total


def _who(caso: dict[str, Any]) -> dict[str, Any]:
    """The entity and the person a listing shows, as the case's book words them (empty: none yet)."""
    return {"entidad": caso.get("entidad") or None, "coordinador": caso.get("coordinador") or None}


def _soles(text: str | None) -> Decimal | None:
    return None if text in (None, "") else Decimal(str(text)).quantize(Decimal("0.01"))


def _next_deadlines(session: Session, codigos: list[str]) -> dict[str, dict[str, Any]]:
    """Each case's open deadline that falls due first (kind and date): what an officer sorts by."""
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(codigos), 500):
        for codigo, tipo, vence in select_rows(session, "SELECT codigo, tipo, vence FROM plazo WHERE codigo IN (:codigos) "
                                                  "AND estado IN (:abiertos) ORDER BY codigo, vence, id",
                                         codigos=codigos[i:i + 500], abiertos=ABIERTOS):
            out.setdefault(codigo, {"proximo_plazo": tipo, "proximo_vence": vence.isoformat()})
    return out


def codes_in(session: Session, convocatoria: str, estados: list[str]) -> list[str]:
    """The codes of a call's cases in these states, in order: the rows of a `lote` template."""
    unknown = [e for e in estados if e not in known_states()]
    if unknown:
        raise NotFound(f"Estado desconocido: {', '.join(unknown)}. Estados: {', '.join(known_states())}")
    return [r.codigo for r in select_rows(session, "SELECT codigo FROM caso WHERE convocatoria = :convocatoria AND estado "
                                             "IN (:estados) ORDER BY codigo", convocatoria=convocatoria, estados=estados)]


def history(session: Session, codigo: str) -> list[dict[str, Any]]:
    from workflow.engine.reading import load_cases

    load_cases(session, [codigo])
    rows = select_rows(session, "SELECT * FROM auditoria WHERE codigo = :codigo ORDER BY id", codigo=codigo)
    successor = {a.refiere: (a.id, "anulada" if a.evento == "anular" else "rectificada")
                 for a in rows if a.refiere is not None and a.aceptado}
    return [{"id": a.id, "fecha_efectiva": a.fecha_efectiva.isoformat(),
             "registrado_en": a.registrado_en.astimezone(LIMA).isoformat(timespec="seconds"),
             "usuario": a.usuario, "evento": a.evento, "origen": a.estado_origen, "destino": a.estado_destino,
             "nota": a.nota, "datos": a.datos, "reglas": a.reglas, "aceptado": a.aceptado, "motivos": a.motivos,
             "refiere": a.refiere, "sucesor": ({"id": successor[a.id][0], "como": successor[a.id][1]}
                                               if a.id in successor else None)}
            for a in rows]


def case_detail(session: Session, codigo: str, clock: Clock) -> dict[str, Any]:
    from workflow.engine.agenda import agenda
    from workflow.engine.context import Scopes
    from workflow.engine.reading import allowed_events, load_cases

    row = load_cases(session, [codigo])[codigo]
    scopes = Scopes(session)
    return {"codigo": row.codigo, "convocatoria": row.convocatoria, "estado": row.estado, "version": row.version,
            "monitor": row.monitor, "hechos": row.hechos, "eventos": allowed_events(scopes, row, clock),
            "plazos": agenda(session, clock.today(), codigo=codigo, calls=scopes.calls),
            "historial": history(session, codigo)}


def registry_flags(session: Session) -> list[dict[str, Any]]:
    """The barred entities and coordinators, with the period and the source of each flag."""
    return [{"tipo": f.tipo, "documento": f.documento, "nombre": f.nombre, "desde": f.desde.isoformat(),
             "hasta": f.hasta.isoformat() if f.hasta else None, "motivo": f.motivo, "fuente": f.fuente, "caso": f.caso}
            for f in select_rows(session, "SELECT * FROM registro ORDER BY id")]


def outbox(session: Session, estado: str | None = None, codigo: str | None = None) -> list[dict[str, Any]]:
    where = " AND ".join((["estado = :estado"] if estado else []) + (["codigo = :codigo"] if codigo else []))
    rows = select_rows(session, f"SELECT * FROM mensaje{f' WHERE {where}' if where else ''} ORDER BY id",
                 estado=estado, codigo=codigo)
    return [{"id": m.id, "estado": m.estado, "tipo": m.tipo, "codigo": m.codigo, "destinatarios": m.destinatarios,
             "asunto": m.asunto, "intentos": m.intentos, "respuesta": m.respuesta, "advertencia": m.advertencia,
             "message_id": m.message_id, "creado_en": m.creado_en.isoformat()}
            for m in rows]
