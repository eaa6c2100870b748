"""Turns the text an officer types (`--dato clave=valor`) into the facts an event records.

Values are kept in their JSON form (dates ISO, money as decimal text) because that is what the
audit row stores; a bad value is refused here, before any rule runs, with the key and the value.
"""
from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from states.common import NO_APLICA, amount
from states.definition import Event, Field, label
from workflow.errors import ConvocaError
from workflow.files.clean import CONTROL, CONTROL_IN_TEXT

_TRUE = {"si", "sí", "true", "1", "s", "yes"}
_FALSE = {"no", "false", "0", "n"}


class BadData(ConvocaError):
    exit_code = 2


_NO_APLICA = {"no aplica", "no_aplica", "n/a", "na"}


def _one(field: Field, raw: Any) -> Any:
    if isinstance(raw, bool) or raw is None:
        text = raw
    else:
        text = str(raw).strip()
        found = (CONTROL_IN_TEXT if field.tipo == "texto" else CONTROL).search(text)
        if found:
            raise ValueError(f"contiene un carácter de control (U+{ord(found.group()):04X}), que no se admite")
    if field.no_aplica and isinstance(text, str) and text.lower() in _NO_APLICA:
        return NO_APLICA
    t = field.tipo
    if t == "booleano":
        if isinstance(text, bool):
            return text
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError("debe ser sí o no")
    if t == "entero":
        try:
            return int(text)
        except ValueError:
            raise ValueError("debe ser un número entero") from None
    if t == "decimal":
        return str(amount(text))
    if t == "fecha":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError("debe ser una fecha AAAA-MM-DD") from None
    if t == "fechas":
        try:
            return sorted(date.fromisoformat(p.strip()).isoformat() for p in text.split(";") if p.strip())
        except ValueError:
            raise ValueError("deben ser fechas AAAA-MM-DD separadas por ';'") from None
    if t == "opcion":
        if text not in field.opciones:
            raise ValueError(f"debe ser una de: {', '.join(field.opciones)}")
        return text
    if t == "ruc":
        from stdnum.pe import ruc

        try:
            return ruc.validate(text)
        except Exception:
            raise ValueError("RUC inválido (11 dígitos, prefijo 10/15/17/20 y dígito verificador)") from None
    if not text:
        raise ValueError("está vacío")
    return text


def parse_data(event: Event, raw: dict[str, Any], call) -> dict[str, Any]:
    """Every problem at once, so the officer fixes the command in one go."""
    fields = {f.nombre: f for f in event.campos}
    problems = [f"'{k}': dato desconocido para {event.nombre}" for k in raw if k not in fields]
    out: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in raw or raw[name] in ("", None):
            if field.requerido:
                problems.append(f"'{name}': falta ({label(field.ayuda, call)})")
            continue
        try:
            out[name] = _one(field, raw[name])
        except ValueError as exc:
            problems.append(f"'{name}' = {raw[name]!r}: {exc}")
        if field.tipo == "documento" and name in out:
            path = Path(out.pop(name))
            if not path.is_file():  # a regular file: never a device or a pipe
                problems.append(f"'{name}' = {raw[name]!r}: no se encuentra el archivo (indique la ruta de {field.ayuda})")
                continue
            out[name] = path.name
            try:
                with path.open("rb") as f:  # in chunks: a document of gigabytes is never held whole
                    out[f"{name}_sha256"] = hashlib.file_digest(f, "sha256").hexdigest()
            except OSError as exc:
                problems.append(f"'{name}' = {raw[name]!r}: no se puede leer ({exc.strerror or exc})")
    if problems:
        valid = ", ".join(fields) or "ninguno"
        raise BadData(f"Datos inválidos para {event.nombre}:\n  " + "\n  ".join(problems)
                      + f"\n  Datos que acepta: {valid}")
    return out


def parse_pairs(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BadData(f"--dato debe tener la forma clave=valor (recibido: {pair!r})")
        out[key.strip()] = value.strip()
    return out
