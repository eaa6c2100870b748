"""The letters of the outbox as the officers handle them on paper: listed with their correlative
number (per call and year, in the order they were written), printed to PDF with the domicile of the
contract, and their delivery record read from the case (`registrar_cargo`)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from notifications.carta import letter_html, number
from notifications.outbox import MENSAJE
from states.books import all_books, book_of, message
from workflow.clock import LIMA
from workflow.engine.calls import Calls
from workflow.errors import ConvocaError, NotFound
from workflow.files import pdf
from workflow.storage.tables import CASO, PLAZO


def letters(conn: Connection, codigo: str | None = None) -> list[dict[str, Any]]:
    """Every letter, numbered: the n-th letter of its call that its unit signs in the year it was written."""
    cartas = {m.tipo for b in all_books() for m in b.mensajes if m.carta}
    query = (select(MENSAJE, CASO.c.convocatoria, CASO.c.hechos, PLAZO.c.tipo.label("plazo_tipo"),
                    PLAZO.c.hito.label("plazo_hito"))
             .join(CASO, CASO.c.id == MENSAJE.c.caso_id).outerjoin(PLAZO, PLAZO.c.id == MENSAJE.c.plazo_id)
             .where(MENSAJE.c.tipo.in_(sorted(cartas))).order_by(MENSAJE.c.id))
    seen: dict[tuple[str, int, str], int] = {}
    out = []
    calls = Calls(conn)
    for m in conn.execute(query):
        book = book_of(calls.call(m.convocatoria))
        declared = next((x for x in book.mensajes if x.tipo == m.tipo and x.carta), None)
        if declared is None:
            continue  # a kind that is a letter in another book
        anio = m.creado_en.astimezone(LIMA).year
        serie = (m.convocatoria, anio, declared.carta)  # each unit numbers the letters it signs
        seen[serie] = n = seen.get(serie, 0) + 1
        if codigo and m.codigo != codigo:
            continue
        cargo = book.redaccion.cargo(m.hechos, m.id)
        plazo = f"{m.plazo_tipo}{'/' + m.plazo_hito if m.plazo_hito else ''}" if m.plazo_tipo else ""
        out.append({"id": m.id, "numero": number(declared, book.redaccion, n, anio), "tipo": m.tipo, "codigo": m.codigo, "plazo": plazo,
                    "fecha": m.creado_en.astimezone(LIMA).date().isoformat(), "estado": m.estado,
                    "domicilio": book.redaccion.domicilio(m.hechos) or "", "entregada": cargo.get("fecha") or "",
                    "cargo": " ".join(v for v in (cargo.get("notario"), cargo.get("cargo")) if v)})
    return out


def print_letter(conn: Connection, id_: int, path: Path, ensayo: bool) -> dict[str, Any]:
    """Writes letter `id_` as a PDF; refused, naming what to do, when the contract's domicile is missing."""
    found = next((c for c in letters(conn) if c["id"] == id_), None)
    if found is None:
        raise NotFound(f"No hay una carta con número de mensaje {id_} (vea `convoca cartas`).")
    m = conn.execute(select(MENSAJE.c.contexto, CASO.c.convocatoria).join(CASO, CASO.c.id == MENSAJE.c.caso_id)
                     .where(MENSAJE.c.id == id_)).one()
    book = book_of(Calls(conn).call(m.convocatoria))
    if not found["domicilio"]:
        redaccion = book.redaccion
        raise ConvocaError(f"La carta {found['numero']} va al domicilio del contrato ({redaccion.fuente_domicilio}), que "
                           f"{found['codigo']} no tiene registrado: regístrelo con `convoca avanzar {found['codigo']} "
                           f"{redaccion.evento_domicilio} --dato direccion=…` y vuelva a imprimirla.")
    if m.contexto is None:
        raise ConvocaError(f"La carta {found['numero']} se escribió antes de que convoca guardara lo necesario para "
                           f"imprimirla: vea su texto con `convoca correos previsualizar {id_}`.")
    html = letter_html(message(found["tipo"], book), book.redaccion, m.contexto, found["numero"], found["domicilio"],
                       ensayo)
    pdf.write(path, html)
    return found
