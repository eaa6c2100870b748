"""Importing proposals from CSV or JSON: all rows or none.

Every row is checked before anything is written, and every bad row is reported with its line and
reason, so the officer fixes the file once instead of discovering errors one import at a time.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session
from stdnum.pe import cui, ruc

from states.call import Call
from states.context import CallView, Context
from states.lifecycle import CICLO
from states.rules.contrato import REGIMENES
from states.rules.postulacion import REGLAS_POSTULAR
from workflow.clock import LIMA
from workflow.errors import ConvocaError
from workflow.machine import failures
from workflow.models import CaseRecord

COLUMNAS = {
    "codigo": "código de la postulación (único)",
    "titulo": "título del concepto patentable",
    "fecha_postulacion": "fecha y hora de envío, AAAA-MM-DDTHH:MM (hora de Lima)",
    "tipo_concepto": "producto, proceso o formulacion",
    "monto_solicitado": "monto solicitado a FONDECYT, en soles",
    "entidad_razon_social": "razón social de la entidad solicitante",
    "entidad_ruc": "RUC de la entidad (11 dígitos)",
    "entidad_tipo": "universidad, institucion_publica, instituto_investigacion_privado, "
                    "instituto_educacion_superior, cite, empresa o centro_internacional",
    "entidad_regimen": ", ".join(REGIMENES),
    "entidad_ciudad": "ciudad de la entidad",
    "entidad_region": "departamento",
    "coordinador_nombre": "nombre del coordinador",
    "coordinador_dni": "DNI del coordinador (8 dígitos)",
    "coordinador_email": "correo del coordinador",
    "representante_nombre": "nombre del representante legal",
    "representante_email": "correo del representante legal",
}
TIPOS_CONCEPTO = ("producto", "proceso", "formulacion")


class ImportRefused(ConvocaError):
    exit_code = 2


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number, row) pairs, numbered as a spreadsheet shows them (header = 1)."""
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
                raise ImportRefused(f"{path}: el JSON debe ser una lista de objetos, uno por postulación.")
            return [(i + 1, {k: "" if v is None else str(v) for k, v in r.items()}) for i, r in enumerate(data)]
        with path.open(encoding="utf-8-sig", newline="") as f:
            return list(enumerate(csv.DictReader(f), start=2))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, csv.Error) as exc:
        raise ImportRefused(f"No se puede leer {path}: {exc}") from None


def _submitted(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=LIMA)


def _email(text: str) -> bool:
    return "@" in text and not any(ch.isspace() for ch in text) and text.count("@") == 1


def _facts(v: dict[str, str], enviado: datetime) -> dict[str, Any]:
    return {
        "postulacion": {"titulo": v["titulo"], "fecha": enviado.isoformat(), "tipo_concepto": v["tipo_concepto"],
                        "monto_solicitado": str(Decimal(v["monto_solicitado"]))},
        "entidad": {"razon_social": v["entidad_razon_social"], "ruc": v["entidad_ruc"], "tipo": v["entidad_tipo"],
                    "regimen": v["entidad_regimen"], "ciudad": v["entidad_ciudad"], "region": v["entidad_region"]},
        "coordinador": {"nombre": v["coordinador_nombre"], "dni": v["coordinador_dni"], "email": v["coordinador_email"]},
        "representante": {"nombre": v["representante_nombre"], "email": v["representante_email"]},
    }


def _unreadable(v: dict[str, str], call: Call) -> list[str]:
    """What makes a row unreadable as a proposal: wrong formats and values outside the columns' lists."""
    bad = []
    if v["fecha_postulacion"]:
        try:
            _submitted(v["fecha_postulacion"])
        except ValueError:
            bad.append(f"fecha_postulacion inválida: {v['fecha_postulacion']!r} (AAAA-MM-DDTHH:MM)")
    if v["monto_solicitado"]:
        try:
            Decimal(v["monto_solicitado"])
        except InvalidOperation:
            bad.append(f"monto_solicitado inválido: {v['monto_solicitado']!r}")
    if v["entidad_ruc"] and not ruc.is_valid(v["entidad_ruc"]):
        bad.append(f"RUC inválido: {v['entidad_ruc']} (11 dígitos con dígito verificador)")
    dni = v["coordinador_dni"]
    if dni and not (len(dni) == 8 and cui.is_valid(dni)):
        bad.append(f"DNI inválido: {dni} (8 dígitos)")
    tipos = set(call.elegibilidad.tipos_entidad) | set(call.elegibilidad.tipos_excluidos)
    for col, allowed in (("entidad_tipo", tipos), ("entidad_regimen", REGIMENES), ("tipo_concepto", TIPOS_CONCEPTO)):
        if v[col] and v[col] not in allowed:
            bad.append(f"{col} desconocido: {v[col]!r} (valores: {', '.join(sorted(allowed))})")
    for col in ("coordinador_email", "representante_email"):
        if v[col] and not _email(v[col]):
            bad.append(f"{col} inválido: {v[col]!r}")
    return bad


def validate(call: Call, rows: Iterable[tuple[int, dict[str, str]]], existing: set[str],
             view: CallView) -> tuple[list[tuple[str, dict[str, Any], date]], list[str]]:
    """The cases to create, or the list of problems: (line N) code: reason. Each readable row is
    judged by the rules of registration (states/rules/postulacion.py) against the call's other
    proposals, earlier rows of the same file included."""
    cases: list[tuple[str, dict[str, Any], date]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        v = {c: (row.get(c) or "").strip() for c in COLUMNAS}
        codigo = v["codigo"]
        bad = [f"faltan valores: {', '.join(c for c in COLUMNAS if not v[c])}"] if not all(v.values()) else []
        if codigo in seen:
            bad.append(f"código duplicado (ya en la línea {seen[codigo]})")
        elif codigo in existing:
            bad.append("código ya importado")
        seen.setdefault(codigo, line)
        bad += _unreadable(v, call)
        if not bad:
            enviado = _submitted(v["fecha_postulacion"])
            hechos = _facts(v, enviado)
            ctx = Context(codigo, CICLO.inicial, hechos, {}, call, enviado.astimezone(LIMA).date(), view)
            bad = failures(REGLAS_POSTULAR, ctx)
        if bad:
            problems.append(f"línea {line} ({codigo or 'sin código'}): " + "; ".join(bad))
            continue
        view.update(codigo, CICLO.inicial, hechos)
        cases.append((codigo, hechos, ctx.fecha))
    return cases, problems


IMPORTADORES = ("ues", "admin")


def import_file(session: Session, call: Call, path: Path, usuario: str, progress=None) -> int:
    from workflow.cases import create_cases, users

    actor = users(session).get(usuario)
    if actor is None or not actor.activo or actor.rol not in IMPORTADORES:
        quien = "desconocido o desactivado" if actor is None or not actor.activo else f"con rol {actor.rol}"
        raise ImportRefused(f"Permisos: el usuario {usuario!r} ({quien}) no puede importar postulaciones; "
                            f"pueden: {', '.join(IMPORTADORES)}.")

    rows = read_rows(path)
    if not rows:
        raise ImportRefused(f"{path}: no contiene postulaciones.")
    header_missing = [c for c in COLUMNAS if c not in rows[0][1]]
    if header_missing:
        raise ImportRefused(f"{path}: faltan columnas: {', '.join(header_missing)}. "
                            "Las columnas están descritas en el README (convoca importar).")
    from workflow.cases import call_view

    existing = set(session.execute(select(CaseRecord.codigo)).scalars())
    cases, problems = validate(call, progress(rows) if progress else rows, existing, call_view(session, call.codigo))
    if problems:
        raise ImportRefused(f"No se importó nada: {len(problems)} fila(s) con errores.\n  " + "\n  ".join(problems))
    try:
        create_cases(session, call, cases, usuario, actor.rol)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return len(cases)
