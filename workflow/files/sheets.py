"""Reading the tables officers already keep: CSV, JSON, Excel (.xlsx, .xls) and OpenDocument (.ods).

Every source becomes the same thing: (row number, {column: text}) pairs, numbered as the officer's
program shows them (the header is row 1), so a refusal points at the row they can see. Spreadsheet
cells typed as dates, numbers or booleans are turned into the text a command line would take
(`2019-11-08`, `1500.55`, `sí`), so the rest of convoca reads one format only.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from states.errors import os_problem
from workflow.errors import ConvocaError

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
ENCODINGS = (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252"))
"""What spreadsheets write: UTF-8 (with or without its mark), or Windows-1252 from an older Excel."""


class Unreadable(ConvocaError):
    """A file that cannot be read as a table: nothing was done with it."""

    exit_code = 2


@dataclass
class Source:
    rows: list[tuple[int, dict[str, str]]]
    leido_como: str
    """How the file was read (format, encoding, separator, sheet), said to the officer."""
    sha256: str = ""
    """The file's bytes, hashed: the same file applied twice is known by it."""


def read_table(path: Path, what: str = "fila") -> Source:
    """The rows of a CSV, JSON or spreadsheet file; `what` names a row in the messages."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"No se puede leer {path}: {os_problem(exc)}.") from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        source = _json(path, raw, what)
    elif suffix in SPREADSHEETS:
        source = _spreadsheet(path)
    else:
        source = _csv(path, raw)
    source.sha256 = hashlib.sha256(raw).hexdigest()
    return source


def _json(path: Path, raw: bytes, what: str) -> Source:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Unreadable(f"{path} no es un JSON válido (línea {getattr(exc, 'lineno', '?')}): "
                         f"debe ser una lista de objetos, uno por {what}.") from None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise Unreadable(f"{path}: el JSON debe ser una lista de objetos, uno por {what}.")
    return Source([(i + 1, {str(k): cell_text(v) for k, v in r.items()}) for i, r in enumerate(data)], "JSON")


def _csv(path: Path, raw: bytes) -> Source:
    for encoding, nombre in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 decodes almost anything; kept for files that are not text at all
        raise Unreadable(f"No se puede leer {path}: no es texto en UTF-8 ni en Windows-1252.")
    header = text.splitlines()[0] if text else ""
    separador = ";" if header.count(";") > header.count(",") else ","
    try:
        rows = list(enumerate(csv.DictReader(io.StringIO(text, newline=""), delimiter=separador), start=2))
    except csv.Error as exc:
        raise Unreadable(f"No se puede leer {path} como CSV: {exc}") from None
    return Source(rows, f"CSV en {nombre}, separado por «{separador}»")


def _spreadsheet(path: Path) -> Source:
    """The first sheet; its first row names the columns. Empty rows (a spreadsheet keeps many) are skipped."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        hoja = book.sheet_names[0]
        cells = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError) as exc:
        raise Unreadable(f"No se puede leer {path} como hoja de cálculo ({exc.__class__.__name__}): "
                         "guárdelo de nuevo como .xlsx u .ods.") from None
    if not cells:
        return Source([], f"hoja «{hoja}» de {path.suffix.lower()}")
    header = [cell_text(c).strip() for c in cells[0]]
    rows = []
    for number, values in enumerate(cells[1:], start=2):
        texts = [cell_text(v) for v in values]
        if any(t.strip() for t in texts):
            rows.append((number, {h: t for h, t in zip(header, texts) if h}))
    return Source(rows, f"hoja «{hoja}» de {path.suffix.lower()}")


def cell_text(value: Any) -> str:
    """A typed cell as the text the command line takes: dates ISO, whole numbers without `.0`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes") if value.time() != time(0) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
