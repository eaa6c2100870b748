"""The events an officer may fire, read off the rule book: `avanzar --help` and `convoca eventos`.

Written from `states/` each time it is asked for, so the help cannot list an event the engine does
not know, nor forget a datum, an option or a role. `avanzar --help` gives the short form (no call is
open there, so no label with a number of the call); `convoca eventos` gives each datum's label with
the numbers of the call in the database.
"""
from __future__ import annotations

import textwrap

from states.definition import Event, Field, Lifecycle, label


def _desde(event: Event) -> str:
    """«evaluada → aprobada, accesitaria o desaprobada; postulada (sin cambio de estado)»."""
    by_origin: dict[tuple[str, ...], list[str]] = {}
    for t in event.transiciones:
        destinos = by_origin.setdefault(t.origen, [])
        if t.destino not in destinos:
            destinos.append(t.destino)
    parts = []
    for origen, destinos in by_origin.items():
        hacia = [d for d in destinos if d]
        texto = ", ".join(origen)
        if hacia:
            texto += " → " + (hacia[0] if len(hacia) == 1 else ", ".join(hacia[:-1]) + " o " + hacia[-1])
        if None in destinos:
            texto += " (o sin cambio de estado)" if hacia else " (sin cambio de estado)"
        parts.append(texto)
    return "; ".join(parts)


VALOR = {"texto": "texto", "fecha": "AAAA-MM-DD", "decimal": "número", "entero": "entero", "booleano": "sí|no",
         "fechas": "AAAA-MM-DD;AAAA-MM-DD…", "ruc": "RUC", "documento": "ruta.pdf"}
"""What an officer types after `--dato clave=` for each type of datum (states/definition.FIELD_TYPES)."""


def typed(campo: Field) -> str:
    """The datum as it is typed: `ruc_activo=sí|no`, `resultado=aprobada|accesitaria|desaprobada`;
    one token, so a folded line never parts a name from its values."""
    valores = "|".join(campo.opciones) if campo.opciones else VALOR[campo.tipo]
    return f"{campo.nombre}={valores}" + ("|no_aplica" if campo.no_aplica else "")


def _heading(event: Event) -> list[str]:
    return [f"{event.nombre} — {event.titulo}",
            f"    quién: {', '.join(event.roles)}",
            f"    desde: {_desde(event)}"]


def short(event: Event) -> list[str]:
    """The event in a few lines: name, who, from which states, its data with their types, the
    required ones first."""
    lines = _heading(event)
    for titulo, campos in (("datos", [c for c in event.campos if c.requerido]),
                           ("opcionales", [c for c in event.campos if not c.requerido])):
        if campos:
            lines.append(f"    {titulo}: " + " ".join(typed(c) for c in campos))
    return lines


def full(event: Event, call) -> list[str]:
    """The event with one line per datum and its label, the call's numbers in it."""
    lines = _heading(event)
    if event.campos:
        lines.append("    datos (--dato clave=valor):")
        lines += [f"      {typed(c)}{'' if c.requerido else ' (opcional)'}: {label(c.ayuda, call)}"
                  for c in event.campos]
    return lines


def chosen(lifecycle: Lifecycle, cual: str | None) -> tuple[list[Event], str]:
    """The events of a state, or one event by its name, or all of them; and what was asked, in
    words. An unknown name is refused naming the nearest state or event and the valid states."""
    from workflow.errors import NotFound, nearest

    if cual is None:
        return list(lifecycle.eventos), "todos los eventos"
    if (event := lifecycle.event(cual)) is not None:
        return [event], f"el evento {cual}"
    estados = [s.nombre for s in lifecycle.estados]
    if cual in estados:
        return [e for e in lifecycle.eventos if cual in e.origenes], f"los eventos desde el estado {cual}"
    cerca = nearest(cual, estados + [e.nombre for e in lifecycle.eventos])
    raise NotFound(f"«{cual}» no es un estado ni un evento." + (f" ¿Quiso decir {cerca}?" if cerca else "")
                   + f" Estados: {', '.join(estados)}.")


def for_help(width: int) -> list[str]:
    """Every event in its short form, for `avanzar --help`, folded at `width` between words."""
    from states.books import all_books

    lines: list[str] = []
    books = all_books()
    for book in books:
        lines += [f"{book.titulo} ({book.nombre}):", ""] if len(books) > 1 else []
        for event in book.ciclo.eventos:
            lines += [*(folded(line, width) for line in short(event)), ""]
    return lines[:-1]


def folded(line: str, width: int) -> str:
    """A line folded between words, its continuation under the text after the line's label."""
    indent = len(line) - len(line.lstrip())
    label_end = line.find(": ", indent)
    hang = label_end + 2 if 0 < label_end < 20 else indent + 4
    return textwrap.fill(line, max(width, 40), subsequent_indent=" " * hang, break_long_words=False,
                         break_on_hyphens=False)
