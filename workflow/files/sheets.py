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
import re
import stat
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


class TooLarge(Unreadable):
    """A file over a limit of the installation: refused before it is read whole."""

    exit_code = 2


def _over(what: str, value: str, clave: str, limite: str) -> TooLarge:
    return TooLarge(f"{what} {value} supera el límite de {limite} (ajuste {clave}; un admin lo cambia con "
                    f"`convoca ajustes fijar {clave} VALOR`): no se leyó ni se escribió nada.")


def read_table(path: Path, what: str = "fila", limits: Any = None) -> Source:
    """The rows of a CSV, JSON or spreadsheet file; `what` names a row in the messages. `limits`
    (the installation's settings) bound what is read: a regular file only (never a device or a
    pipe, which would never end), its size, a spreadsheet's size once unpacked, rows and cells."""
    try:
        info = path.stat()
    except OSError as exc:
        raise Unreadable(f"No se puede leer {path}: {os_problem(exc)}.") from None
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable(f"{path} no es un archivo común (es un dispositivo, una tubería o una carpeta): "
                         "indique un archivo CSV, JSON, .xlsx u .ods.")
    if limits and info.st_size > limits.max_archivo_mb * 2 ** 20:
        raise _over(f"{path}: el archivo, de", f"{info.st_size / 2 ** 20:.1f} MB,", "max_archivo_mb",
                    f"{limits.max_archivo_mb} MB")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"No se puede leer {path}: {os_problem(exc)}.") from None
    suffix = path.suffix.lower()
    if limits and suffix not in SPREADSHEETS and raw.count(b"\n") > limits.max_filas + 1:
        # counted before a row is parsed: a million rows are refused without a million dicts in memory
        raise _over(f"{path}: tiene", f"más de {limits.max_filas} líneas y", "max_filas", f"{limits.max_filas} filas")
    if limits and suffix in (".xlsx", ".ods"):
        _unpacked_size(path, raw, limits)
    if suffix == ".xlsx":
        _formulas_have_values(path, raw)
    if suffix == ".json":
        source = _json(path, raw, what)
    elif suffix in SPREADSHEETS:
        source = _spreadsheet(path)
    else:
        source = _csv(path, raw)
    source.sha256 = hashlib.sha256(raw).hexdigest()
    if limits:
        if len(source.rows) > limits.max_filas:
            raise _over(f"{path}: tiene", f"{len(source.rows)} filas y", "max_filas", f"{limits.max_filas} filas")
        for fila, row in source.rows:
            largo = max((len(v) for v in row.values() if isinstance(v, str)), default=0)
            if largo > limits.max_celda:
                raise _over(f"{path}: una celda de la fila {fila} tiene", f"{largo} caracteres y", "max_celda",
                            f"{limits.max_celda} caracteres")
    return source


_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*>((?:(?!</c>).)*?)</c>', re.S)


def _formulas_have_values(path: Path, raw: bytes) -> None:
    """A formula saved without its computed value reads as an empty cell: a date that silently
    becomes today. Such a file is refused, naming the first cells, before anything is judged."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            sheets = sorted(n for n in z.namelist() if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
            xml = z.read(sheets[0]) if sheets else b""
    except (zipfile.BadZipFile, KeyError):
        return  # not a spreadsheet the reader knows: it says so itself
    if b"<f" not in xml:
        return
    sin_valor = [ref.decode() for ref, body in _FORMULA_CELL.findall(xml)
                 if re.search(rb"<f[ >/]", body) and not re.search(rb"<v>[^<]+</v>", body)]
    if sin_valor:
        raise Unreadable(f"{path}: la celda {', '.join(sin_valor[:5])}{' y otras' if len(sin_valor) > 5 else ''} "
                         "tiene una fórmula guardada sin su valor calculado, que se leería vacía: ábralo en su "
                         "programa de hojas de cálculo y guárdelo de nuevo (o pegue los valores). No se aplicó nada.")


def _unpacked_size(path: Path, raw: bytes, limits: Any) -> None:
    """A spreadsheet is a zip: its size once unpacked, read from its directory before anything is
    unpacked (a small file can hold gigabytes)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            total = sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile:
        return  # not a zip: the reader says what it is
    if total > limits.max_descomprimido_mb * 2 ** 20:
        raise _over(f"{path}: la hoja, descomprimida,", f"ocupa {total / 2 ** 20:.0f} MB y", "max_descomprimido_mb",
                    f"{limits.max_descomprimido_mb} MB")


def _json(path: Path, raw: bytes, what: str) -> Source:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except RecursionError:
        raise Unreadable(f"{path}: el JSON anida listas u objetos a una profundidad que no se lee; debe ser una "
                         f"lista de objetos, uno por {what}.") from None
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
    csv.field_size_limit(2 ** 31 - 1)  # a long cell is read, then judged against max_celda, in Spanish
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
    if isinstance(value, (list, dict)):  # a JSON file's list (the firms that endorse) is its JSON text
        return json.dumps(value, ensure_ascii=False)
    return str(value)
