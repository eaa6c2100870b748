"""The rule books this installation knows, by the name a call file gives (`reglamento`), and the
reading of a call file: it names its book, whose schema validates the rest.

Each book is a package of `states/` whose `BOOK` is a states.book.Book; it is imported the first time
a call names it and checked then (states/book.py), once per process. A wrong type, a missing key or
an unknown book stops the load with a message naming the key, so a typo in a call file is caught when
the officer runs `convoca init`, not in the middle of a selection.
"""
from __future__ import annotations

import tomllib
from functools import cache, lru_cache
from importlib import import_module
from pathlib import Path

from pydantic import ValidationError

from states.book import Book, check
from states.call import CallBase
from states.errors import ConvocaError, os_problem, small_text
from states.mensajes import INSTALACION, Mensaje
from states.plazos import POR_ACCION, Operacion, escalon

REGISTRADOS = {
    "pct-2019": "states.pct_2019",
    "ande-bpd-2025": "states.ande_bpd_2025",
}
"""Name → package. A new book is a package of `states/` and a line here."""


class UnknownBook(ConvocaError):
    """A call file names a book this installation does not know."""


@cache
def book(nombre: str) -> Book:
    if nombre not in REGISTRADOS:
        raise UnknownBook(f"el libro de reglas '{nombre}' no está registrado en esta instalación (libros: "
                          f"{', '.join(REGISTRADOS)})")
    return check(import_module(REGISTRADOS[nombre]).BOOK)


def all_books() -> list[Book]:
    return [book(nombre) for nombre in REGISTRADOS]


def state_title(nombre: str) -> str:
    """A state's title as the registered books write it (the first that has it), or its name."""
    return next((s.titulo for b in all_books() for s in b.ciclo.estados if s.nombre == nombre), nombre)


def escalones() -> tuple[str, ...]:
    """The letters of every registered book's escalation chain: the deadline service's steps."""
    return tuple(dict.fromkeys(p.mensaje for b in all_books() for p in b.plazos.escalamiento))


def operacion(accion: str) -> Operacion:
    """The ledger's operation by its name (states/plazos.py), a step of a registered book's escalation
    included; KeyError for any other name."""
    if accion in POR_ACCION:
        return POR_ACCION[accion]
    if accion in escalones():
        return escalon(accion)
    raise KeyError(accion)


def message(tipo: str, book: Book | None = None) -> Mensaje | None:
    """The declaration of a message kind: the book's, or, for the installation's own (the digest, the
    seal, the portfolio report), states/mensajes.py's."""
    return next((m for m in (*(book.mensajes if book else ()), *INSTALACION) if m.tipo == tipo), None)


def deadline_recipients(book: Book, tipo_plazo: str, mensaje: str) -> tuple[str, ...]:
    """Who a message about one of the book's deadlines goes to: as its deadlines' book says
    (`LibroDePlazos.para`), or else as the message's declaration does."""
    plazos = book.plazos
    if plazos.para is not None:
        return plazos.para(plazos.tipo(tipo_plazo), mensaje)
    declared = message(mensaje, book)
    return declared.para if declared else ()


def declared_messages() -> tuple[Mensaje, ...]:
    """Every message the registered books and the installation declare."""
    return (*(m for b in all_books() for m in b.mensajes), *INSTALACION)


def message_kinds() -> tuple[str, ...]:
    """Every kind the registered books and the installation declare, each once."""
    return tuple(dict.fromkeys(m.tipo for m in (*(m for b in all_books() for m in b.mensajes), *INSTALACION)))


@lru_cache(maxsize=32)
def parse_stored(codigo: str, text: str) -> CallBase:
    """A call as a database stores its file's text, parsed once per process."""
    return parse_call(text, f"convocatoria {codigo}", stored=True)


def book_of(call: CallBase) -> Book:
    """The rule book a call names."""
    return book(call.reglamento)


class InvalidCallFile(ConvocaError):
    """A call file that does not describe a call; lists every offending key."""


_PROBLEMS = {
    "missing": "falta",
    "extra_forbidden": "clave desconocida (¿error de escritura?)",
    "int_parsing": "debe ser un número entero",
    "int_type": "debe ser un número entero",
    "int_from_float": "debe ser un número entero",
    "decimal_parsing": "debe ser un número decimal escrito entre comillas, p. ej. \"0.10\"",
    "decimal_type": "debe ser un número decimal escrito entre comillas, p. ej. \"0.10\"",
    "bool_type": "debe ser true o false",
    "bool_parsing": "debe ser true o false",
    "date_type": "debe ser una fecha AAAA-MM-DD",
    "date_parsing": "debe ser una fecha AAAA-MM-DD",
    "date_from_datetime_inexact": "debe ser una fecha AAAA-MM-DD, sin hora",
    "datetime_type": "debe ser una fecha y hora con zona, p. ej. 2019-10-11T13:00:00-05:00",
    "datetime_parsing": "debe ser una fecha y hora con zona, p. ej. 2019-10-11T13:00:00-05:00",
    "literal_error": "valor no permitido",
    "list_type": "debe ser una lista",
    "string_type": "debe ser un texto",
    "model_type": "debe ser una sección [tabla]",
    "dict_type": "debe ser una sección [tabla]",
}


INSTALLATION_SECTIONS = ("servicio", "entrada")
"""Sections older call files carried that are settings of the installation, not of the bases
(`convoca ajustes`): a call stored with them still reads; a file loaded now is told where they went."""


def parse_call(text: str, origin: str = "convocatoria", stored: bool = False) -> CallBase:
    """Validates a call file's text; raises `InvalidCallFile` naming every bad key. `stored`: the
    text as a database keeps it since its load, which may still carry the installation's sections."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidCallFile(f"{origin}: no es un TOML válido: {exc}") from None
    legacy = [k for k in INSTALLATION_SECTIONS if k in data]
    if legacy and not stored:
        raise InvalidCallFile(f"{origin}: las secciones {', '.join(f'[{k}]' for k in legacy)} ya no son de la "
                              "convocatoria sino de la instalación: quítelas del archivo y fije esos valores con "
                              "`convoca ajustes fijar CLAVE VALOR` (vea `convoca ajustes`).")
    for k in legacy:
        data.pop(k)
    nombre = data.get("reglamento")
    try:
        esquema = book(nombre).esquema if isinstance(nombre, str) else None
    except UnknownBook as exc:
        raise InvalidCallFile(f"{origin}: clave 'reglamento': {exc}") from None
    if esquema is None:
        raise InvalidCallFile(f"{origin}: clave 'reglamento': falta el libro de reglas de la convocatoria (uno de: "
                              f"{', '.join(REGISTRADOS)})")
    try:
        call = esquema.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            key = ".".join(str(part) for part in err["loc"])
            problem = _PROBLEMS.get(err["type"], err["msg"])
            shown = "" if err["type"] == "missing" else f" (valor: {err.get('input')!r})"
            lines.append(f"  clave '{key}': {problem}{shown}")
        raise InvalidCallFile(f"{origin}: archivo de convocatoria inválido:\n" + "\n".join(lines)) from None
    jurisdiccion = book(call.reglamento).jurisdiccion
    if call.convocatoria.zona_horaria != jurisdiccion.zona_horaria:
        raise InvalidCallFile(f"{origin}: clave 'convocatoria.zona_horaria': el libro {call.reglamento} es de "
                              f"{jurisdiccion.nombre} ({jurisdiccion.zona_horaria}), no de {call.convocatoria.zona_horaria}")
    if call.convocatoria.cierre.tzinfo is None:
        raise InvalidCallFile(f"{origin}: clave 'convocatoria.cierre': falta la zona horaria "
                              f"({jurisdiccion.desfase})")
    return call


def load_call(path: Path) -> tuple[CallBase, str]:
    """Reads and validates a call file; returns the call and the text to store with it."""
    try:
        text = small_text(path)
    except OSError as exc:
        raise InvalidCallFile(f"No se puede leer el archivo de convocatoria {path}: {os_problem(exc)}") from None
    except ValueError as exc:
        raise InvalidCallFile(f"El archivo de convocatoria {path} {exc}.") from None
    return parse_call(text, str(path)), text
