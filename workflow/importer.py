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
from states.rules.contrato import REGIMENES
from workflow.clock import LIMA
from workflow.errors import ConvocaError
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


def validate(call: Call, rows: Iterable[tuple[int, dict[str, str]]], existing: dict[str, str],
             existing_dni: dict[str, str]) -> tuple[list[tuple[str, dict[str, Any], date]], list[str]]:
    """The cases to create, or the list of problems: (line N) code: reason."""
    cases: list[tuple[str, dict[str, Any], date]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    dni_owner = dict(existing_dni)
    tipos = set(call.elegibilidad.tipos_entidad) | set(call.elegibilidad.tipos_excluidos)
    cierre, maximo = call.convocatoria.cierre, call.seleccion.monto_maximo
    for line, row in rows:
        bad: list[str] = []
        missing = [c for c in COLUMNAS if not (row.get(c) or "").strip()]
        if missing:
            bad.append(f"faltan valores: {', '.join(missing)}")
        v = {c: (row.get(c) or "").strip() for c in COLUMNAS}
        codigo = v["codigo"]
        if codigo in seen:
            bad.append(f"código duplicado (ya en la línea {seen[codigo]})")
        elif codigo in existing:
            bad.append("código ya importado")
        seen.setdefault(codigo, line)
        enviado = None
        if v["fecha_postulacion"]:
            try:
                enviado = _submitted(v["fecha_postulacion"])
                if enviado > cierre:
                    bad.append(f"Bases §3.4: enviada el {enviado.isoformat()}, después del cierre {cierre.isoformat()}")
            except ValueError:
                bad.append(f"fecha_postulacion inválida: {v['fecha_postulacion']!r} (AAAA-MM-DDTHH:MM)")
        if v["monto_solicitado"]:
            try:
                monto = Decimal(v["monto_solicitado"])
                if not monto.is_finite() or monto <= 0 or monto > maximo:
                    bad.append(f"Bases §2.3.1: monto_solicitado {monto} fuera de (0, {maximo}]")
            except InvalidOperation:
                bad.append(f"monto_solicitado inválido: {v['monto_solicitado']!r}")
        if v["entidad_ruc"] and not ruc.is_valid(v["entidad_ruc"]):
            bad.append(f"RUC inválido: {v['entidad_ruc']} (11 dígitos con dígito verificador)")
        dni = v["coordinador_dni"]
        if dni and not (len(dni) == 8 and cui.is_valid(dni)):
            bad.append(f"DNI inválido: {dni} (8 dígitos)")
        elif dni in dni_owner and dni_owner[dni] != codigo:
            bad.append(f"Bases §3.1.2: el coordinador (DNI {dni}) ya postuló con {dni_owner[dni]}; "
                       f"un concepto patentable por coordinador")
        elif dni:
            dni_owner[dni] = codigo
        for col, allowed in (("entidad_tipo", tipos), ("entidad_regimen", REGIMENES),
                             ("tipo_concepto", TIPOS_CONCEPTO)):
            if v[col] and v[col] not in allowed:
                bad.append(f"{col} desconocido: {v[col]!r} (valores: {', '.join(sorted(allowed))})")
        for col in ("coordinador_email", "representante_email"):
            if v[col] and not _email(v[col]):
                bad.append(f"{col} inválido: {v[col]!r}")
        if bad:
            problems.append(f"línea {line} ({codigo or 'sin código'}): " + "; ".join(bad))
            continue
        assert enviado is not None
        cases.append((codigo, {
            "postulacion": {"titulo": v["titulo"], "fecha": enviado.isoformat(),
                            "tipo_concepto": v["tipo_concepto"], "monto_solicitado": str(Decimal(v["monto_solicitado"]))},
            "entidad": {"razon_social": v["entidad_razon_social"], "ruc": v["entidad_ruc"], "tipo": v["entidad_tipo"],
                        "regimen": v["entidad_regimen"], "ciudad": v["entidad_ciudad"], "region": v["entidad_region"]},
            "coordinador": {"nombre": v["coordinador_nombre"], "dni": dni, "email": v["coordinador_email"]},
            "representante": {"nombre": v["representante_nombre"], "email": v["representante_email"]},
        }, enviado.astimezone(LIMA).date()))
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
    existing: dict[str, str] = {}
    existing_dni: dict[str, str] = {}
    for codigo, convocatoria, hechos in session.execute(
            select(CaseRecord.codigo, CaseRecord.convocatoria, CaseRecord.hechos)):
        existing[codigo] = codigo
        dni = (hechos.get("coordinador") or {}).get("dni")
        if dni and convocatoria == call.codigo:  # one concept per coordinator within a call (Bases §3.1.2)
            existing_dni[dni] = codigo
    cases, problems = validate(call, progress(rows) if progress else rows, existing, existing_dni)
    if problems:
        raise ImportRefused(f"No se importó nada: {len(problems)} fila(s) con errores.\n  " + "\n  ".join(problems))
    try:
        create_cases(session, call, cases, usuario, actor.rol)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return len(cases)
