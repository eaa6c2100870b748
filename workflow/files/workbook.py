"""Spreadsheets convoca writes (openpyxl): listings with typed cells, and the form an officer fills
in for `convoca lote`.

A listing's cells keep their type so the officer can sort and add up without converting: dates are
dates, amounts and scores numbers shown with two decimals. Text is always text — a cell that starts
like a formula is stored as a string, never run.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from states.books import all_books, book_of
from states.definition import Event, label
from workflow.clock import LIMA
from workflow.files.atomic import write_whole
from workflow.files.clean import visible

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})?$")
_AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
TWO_DECIMALS = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
INSTANT_FORMAT = "yyyy-mm-dd hh:mm:ss"
WIDEST = 60
"""A column wider than this folds its text instead (a title or a list of reasons)."""


ENCABEZADOS = {"codigo": "Código", "region": "Región", "proximo_plazo": "Próximo plazo",
               "proximo_vence": "Próximo vencimiento", "registrado_en": "Registrado", "id": "Id", "dias": "Días",
               "titulo": "Título", "vencen": "Vencidos al corte", "pendiente": "Por vencer",
               "incumplido": "Incumplidos"}
"""Headers a listing's key does not spell by itself («fecha_efectiva» is «Fecha efectiva»)."""
ESTADOS = ("estado", "estado_origen", "estado_destino")
"""Columns whose values are states of the lifecycle, shown by their titles."""


def header(key: str) -> str:
    """A JSON key as a spreadsheet's header: `monto_solicitado` → «Monto solicitado»."""
    return ENCABEZADOS.get(key) or key.replace("_", " ").capitalize()


def _state_title(value: Any) -> Any:

    known = {s.nombre: s.titulo for b in all_books() for s in b.ciclo.estados}
    return known.get(value, value) if isinstance(value, str) else value


def _typed(value: Any) -> tuple[Any, str | None]:
    """The cell's value and number format; an instant shown in Lima with its offset, so the sheet
    says which clock it is read on."""
    if isinstance(value, bool):
        return ("sí" if value else "no"), None
    if isinstance(value, datetime):
        if not value.tzinfo:
            return value, INSTANT_FORMAT
        local = value.astimezone(LIMA)
        offset = local.strftime("%z")
        return local.replace(tzinfo=None), f'{INSTANT_FORMAT} "{offset[:3]}:{offset[3:]}"'
    if isinstance(value, date):
        return value, DATE_FORMAT
    if isinstance(value, Decimal):
        return float(value), TWO_DECIMALS
    if isinstance(value, (int, float)) or value is None:
        return value, None
    if isinstance(value, list):
        return "; ".join(map(str, value)), None
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str), None
    text = str(value)
    if _DATE.match(text):
        return date.fromisoformat(text), DATE_FORMAT
    if _INSTANT.match(text):
        return _typed(datetime.fromisoformat(text))
    if _AMOUNT.match(text):
        return float(text), TWO_DECIMALS
    return text, None


def _shown_width(value: Any, fmt: str | None) -> int:
    if fmt == DATE_FORMAT:
        return len(DATE_FORMAT)
    if fmt and fmt.startswith(INSTANT_FORMAT):
        return len(INSTANT_FORMAT) + len(fmt) - len(INSTANT_FORMAT) - 2  # the offset without its quotes
    if fmt == TWO_DECIMALS:
        return len(f"{value:,.2f}")
    return len(str(value if value is not None else ""))


def _save(book, path: Path) -> None:
    write_whole(path, book.save)


def _header(sheet, columns: list[str]) -> None:
    from openpyxl.styles import Font

    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _fit(sheet, widths: dict[int, int]) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 6) + 2, WIDEST)
        if width > WIDEST:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_listing(rows: list[dict[str, Any]], path: Path, title: str, ensayo: bool = False, progress=None) -> int:
    """Any listing as an .xlsx sheet: the columns of its JSON, a frozen header row, columns that fit.
    A rehearsal database's listing says ENSAYO in its sheet name and in a first column. `progress`
    wraps the rows as they are written (a bar on the officer's terminal)."""
    return write_book([(title, rows)], path, ensayo, progress)


def write_book(sections: list[tuple[str, list[dict[str, Any]]]], path: Path, ensayo: bool = False,
               progress=None) -> int:
    """Several listings, a sheet each (the portfolio report's sections), as `write_listing` writes one.
    Returns the rows written."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    written = 0
    for title, rows in sections:
        written += _fill(book.create_sheet(("ENSAYO " + title if ensayo else title)[:31]), rows, ensayo, progress)
    _save(book, path)
    return written


def _fill(sheet, rows: list[dict[str, Any]], ensayo: bool, progress) -> int:
    columns = list(dict.fromkeys(k for r in rows for k in r))
    _header(sheet, (["Base"] if ensayo else []) + [header(c) for c in columns])
    widths = {i: len(c) for i, c in enumerate(sheet[1], start=1) for c in [str(c.value)]}
    for number, row in enumerate(progress(rows) if progress else rows, start=2):
        values = (["ENSAYO"] if ensayo else []) + [_state_title(row.get(c)) if c in ESTADOS else row.get(c)
                                                   for c in columns]
        for index, raw in enumerate(values, start=1):
            value, fmt = _typed(raw)
            if isinstance(value, str):
                value = visible(value, lines=True)  # a cell a spreadsheet can hold, and shows as written
            cell = sheet.cell(row=number, column=index, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
            if fmt:
                cell.number_format = fmt
            widths[index] = max(widths[index], _shown_width(value, fmt))
    _fit(sheet, widths)
    if rows:
        sheet.auto_filter.ref = sheet.dimensions  # the officer filters by state, monitor, region at once
    return len(rows)


FIXED = {
    "codigo": "código del caso (viene llenado)",
    "evento": "el evento de la fila (viene llenado; `convoca ver CODIGO` muestra los posibles)",
    "fecha": "fecha efectiva AAAA-MM-DD (vacía: hoy)",
    "nota": "nota para la auditoría (opcional)",
}


def _commented_header(sheet, helps: dict[str, str]) -> None:
    from openpyxl.comments import Comment

    _header(sheet, list(helps))
    for cell in sheet[1]:
        comment = Comment(helps[cell.value], "convoca")
        comment.width, comment.height = 300, 120
        cell.comment = comment


def _choices(sheet, column: str, choices: tuple[str, ...], name: str, last: int) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                          showErrorMessage=True, errorTitle=name, error=f"Elija uno de: {', '.join(choices)}")
    rule.add(f"{column}2:{column}{last}")
    sheet.add_data_validation(rule)


def write_import_template(columns: list[tuple[str, str, tuple[str, ...]]], path: Path) -> None:
    """The form of `convoca importar`: a column per field with its help as the header's comment and
    the list to choose from where the import accepts only some values; no rows."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "postulaciones"
    _commented_header(sheet, {name: ayuda for name, ayuda, _ in columns})
    for index, (name, _, choices) in enumerate(columns, start=1):
        if choices:
            _choices(sheet, get_column_letter(index), choices, name, 5000)
    _fit(sheet, {i: max(len(name), 12) for i, (name, _, _) in enumerate(columns, start=1)})
    _save(book, path)


def _optional(campo, ciclo) -> str:
    """What leaving a cell empty means: nothing, or a requirement left unproven that a later event
    of the book's lifecycle needs (the eligibility checklist refuses until it is recorded)."""
    if campo.requerido:
        return ""
    needed = ciclo.exigido_por(campo.nombre)
    if needed:
        return f" (vacía: queda sin acreditar, y {' y '.join(needed)} lo exige)"
    return " (opcional)"


def write_template(event: Event, codigos: list[str], path: Path, call) -> None:
    """The form of `convoca lote` for one event: a column per datum with its help as the header's
    comment, lists to choose from for sí/no and for options, one row per case with its code."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = event.nombre[:31]
    columns = list(FIXED) + [f.nombre for f in event.campos]
    _commented_header(sheet, {**FIXED, **{f.nombre: label(f.ayuda, call) + _optional(f, book_of(call).ciclo) for f in event.campos}})
    last = max(len(codigos) + 1, 2)
    for f in event.campos:
        column = sheet.cell(row=1, column=columns.index(f.nombre) + 1).column_letter
        if f.tipo == "fecha":
            for number in range(2, last + 1):
                sheet[f"{column}{number}"].number_format = DATE_FORMAT
        choices = ("sí", "no") if f.tipo == "booleano" else f.opciones
        if not choices:
            continue
        _choices(sheet, column, (*choices, "no aplica") if f.no_aplica else choices, f.nombre, max(last, 1000))
    for number, codigo in enumerate(codigos, start=2):
        sheet.cell(row=number, column=1, value=codigo)
        sheet.cell(row=number, column=2, value=event.nombre)
        sheet.cell(row=number, column=3).number_format = DATE_FORMAT
    _fit(sheet, {i: max(len(c), 12 if c != "codigo" else max(map(len, codigos), default=10))
                 for i, c in enumerate(columns, start=1)})
    _save(book, path)
