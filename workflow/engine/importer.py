"""Importing proposals from CSV, JSON or a spreadsheet: all rows or none.

The SIG received every application in the file, so each one is recorded; what the bases object to
(a late submission, an amount over the maximum, a repeated coordinator, an excluded entity, a bad
RUC) is kept with the case as a defect with its source, for the UES to judge. Only what cannot be
read refuses the file — missing columns, unparseable dates or amounts, values outside a column's
list, a repeated code — with every bad row reported at once, so the officer fixes the file once.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session
from stdnum.pe import cui

from states import tiempo
from states.actos import ACTO
from states.call import Call
from states.common import amount
from states.pct_2019.rules.contrato import REGIMENES
from states.plural import cuantos
from workflow.clock import LIMA, wall_clock
from workflow.engine.context import Scope, rule_context
from workflow.engine.machine import failures
from workflow.files.clean import control_problem, visible
from workflow.files.sheets import Unreadable, read_table
from workflow.storage import settings
from workflow.storage.models import CaseRecord

COLUMNAS = {
    "codigo": "código de la postulación (único)",
    "titulo": "título del concepto patentable",
    "fecha_postulacion": "fecha y hora de envío, AAAA-MM-DDTHH:MM (hora de Lima)",
    "tipo_concepto": "producto, proceso o formulacion",
    "monto_solicitado": "monto solicitado a FONDECYT, en soles",
    "entidad_razon_social": "razón social de la entidad solicitante",
    "entidad_ruc": "RUC de la entidad (11 dígitos)",
    "entidad_tipo": "universidad, institucion_publica, instituto_investigacion_privado, "
                    "instituto_educacion_superior, cite, empresa u otro (un tipo que las bases excluyen se importa "
                    "y queda como defecto)",
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
AUTORIZA = {"coordinador_autoriza_correo": "coordinador", "representante_autoriza_correo": "representante"}
"""Optional columns, si or no: the express authorisation, given in the application, to be notified by
e-mail (from the day of the submission); without it, notifications go to the domicile."""
SI_NO = ("si", "sí", "no", "")


def template_columns() -> list[tuple[str, str, tuple[str, ...]]]:
    """The import file's columns for `convoca plantilla importar`: name, help and the values a cell
    may take (empty: free), from the same lists the import reads with."""
    choices = {"tipo_concepto": TIPOS_CONCEPTO, "entidad_regimen": REGIMENES}
    return ([(c, ayuda, tuple(choices.get(c, ()))) for c, ayuda in COLUMNAS.items()]
            + [(c, f"si o no: el {quien} autorizó en la postulación que se le notifique por correo (opcional)",
                ("si", "no")) for c, quien in AUTORIZA.items()])


POSTULAR = ACTO["postular"]


class ImportRefused(Unreadable):
    """A file read but refused whole: nothing was imported."""


SHOWN_PROBLEMS = 50
"""How many bad rows the refusal lists; the rest are counted."""


def _submitted(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=LIMA)


def _email(text: str) -> bool:
    return "@" in text and not any(ch.isspace() for ch in text) and text.count("@") == 1


def _facts(v: dict[str, str], enviado: datetime, forma: str, autoriza: dict[str, str]) -> dict[str, Any]:
    facts = {
        "postulacion": {"titulo": v["titulo"], "fecha": enviado.isoformat(), "tipo_concepto": v["tipo_concepto"],
                        "monto_solicitado": str(amount(v["monto_solicitado"]))},
        "entidad": {"razon_social": v["entidad_razon_social"], "ruc": v["entidad_ruc"], "tipo": v["entidad_tipo"],
                    "regimen": v["entidad_regimen"], "ciudad": v["entidad_ciudad"], "region": v["entidad_region"],
                    **({"forma": forma} if forma else {})},
        "coordinador": {"nombre": v["coordinador_nombre"], "dni": v["coordinador_dni"], "email": v["coordinador_email"]},
        "representante": {"nombre": v["representante_nombre"], "email": v["representante_email"]},
    }
    for col, quien in AUTORIZA.items():
        if autoriza.get(col) in ("si", "sí"):
            facts[quien].update(correo_autorizado=enviado.astimezone(LIMA).date().isoformat(),
                                autorizacion="formulario de postulación")
    return facts


def _unreadable(v: dict[str, str], call: Call, today: date) -> list[str]:
    """What makes a row unreadable as a proposal: wrong formats, values outside the columns' lists,
    and a submission dated outside the bounds of every act (states/tiempo.py): in the future, or
    before the call was launched. One sent after the close is read, and kept as the defect it is."""
    bad = []
    if v["fecha_postulacion"]:
        try:
            enviada = _submitted(v["fecha_postulacion"]).astimezone(LIMA).date()
        except ValueError:
            bad.append(f"fecha_postulacion inválida: {v['fecha_postulacion']!r} (AAAA-MM-DDTHH:MM)")
        else:
            fuera = tiempo.fecha_efectiva(enviada, today, call.convocatoria.lanzamiento)
            if fuera:
                bad.append(f"fecha_postulacion {v['fecha_postulacion']}: {fuera}")
    if v["monto_solicitado"]:
        try:
            amount(v["monto_solicitado"])
        except ValueError as exc:
            bad.append(f"monto_solicitado inválido: {v['monto_solicitado']!r} ({exc})")
    dni = v["coordinador_dni"]
    if dni and not (len(dni) == 8 and cui.is_valid(dni)):
        bad.append(f"DNI inválido: {dni} (8 dígitos)")
    for col, allowed in (("entidad_regimen", REGIMENES), ("tipo_concepto", TIPOS_CONCEPTO)):
        if v[col] and v[col] not in allowed:
            bad.append(f"{col} desconocido: {v[col]!r} (valores: {', '.join(sorted(allowed))})")
    for col in ("coordinador_email", "representante_email"):
        if v[col] and not _email(v[col]):
            bad.append(f"{col} inválido: {v[col]!r}")
    return bad


def _authorisations(row: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    values = {col: str(row.get(col) or "").strip().lower() for col in AUTORIZA}
    return values, [f"{col} debe ser si o no (tiene {row.get(col)!r})" for col, v in values.items() if v not in SI_NO]


def validate(scope: Scope, rows: Iterable[tuple[int, dict[str, str]]], existing: set[str],
             today: date) -> tuple[list[tuple[str, dict[str, Any], date]], list[str]]:
    """The cases to create, each with its defects, or the list of unreadable rows: (line N) code: reason.
    The defects are judged once every row is in the call's view, so a coordinator repeated within
    the file is flagged on both proposals (and on one imported earlier, by eligibility)."""
    readable: list[tuple[str, dict[str, Any], date]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    call, view, inicial = scope.call, scope.view, scope.book.ciclo.inicial
    view.cases()  # loaded now, so that the rows of this file join the proposals already there
    for line, row in rows:
        v = {c: (row.get(c) or "").strip() for c in COLUMNAS}
        sucios = [p for c, value in row.items() if (p := control_problem(str(c), value or ""))]
        codigo = v["codigo"]
        bad = [f"faltan valores: {', '.join(c for c in COLUMNAS if not v[c])}"] if not all(v.values()) else []
        if codigo in seen:
            bad.append(f"código duplicado (ya en la línea {seen[codigo]})")
        elif codigo in existing:
            bad.append("código ya importado")
        seen.setdefault(codigo, line)
        autoriza, mal_autorizado = _authorisations(row)
        bad += sucios + _unreadable(v, call, today) + mal_autorizado
        if bad:
            problems.append(visible(f"línea {line} ({codigo or 'sin código'}): " + "; ".join(bad)))
            continue
        enviado = _submitted(v["fecha_postulacion"])
        hechos = _facts(v, enviado, (row.get("entidad_forma") or "").strip(), autoriza)
        view.update(codigo, inicial, hechos)
        readable.append((codigo, hechos, enviado.astimezone(LIMA).date()))
    for codigo, hechos, fecha in readable:
        defectos = failures(scope.book.reglas_postular, rule_context(scope, codigo, inicial, hechos, fecha))
        if defectos:
            hechos["postulacion"]["defectos"] = defectos
    return readable, problems


@dataclass
class Imported:
    total: int
    con_defectos: dict[str, list[str]]
    """Code → its defects, for the cases recorded with one or more."""
    leido_como: str


def import_file(session: Session, call: Call, path: Path, usuario: str, progress=None,
                today: date | None = None) -> Imported:
    """All the rows or none, as of `today` (the working clock; the wall clock when not given)."""
    from workflow.engine.acting import permission_problem, refusal
    from workflow.engine.cases import create_cases, users

    today = today or wall_clock().astimezone(LIMA).date()

    actor = users(session).get(usuario)
    forbidden = permission_problem(actor, usuario, "importar postulaciones", POSTULAR.roles)
    if forbidden:
        raise refusal(session, POSTULAR.nombre, f"convocatoria:{call.codigo}", usuario,
                      today, [forbidden], rol=actor.rol if actor else None)

    source = read_table(path, "postulación", settings.read(session.connection()))
    rows = source.rows
    if not rows:
        raise ImportRefused(f"{path}: no contiene postulaciones.")
    header_missing = [c for c in COLUMNAS if c not in rows[0][1]]
    if header_missing:
        raise ImportRefused(f"{path} ({source.leido_como}): faltan columnas: {', '.join(header_missing)}. "
                            "Las columnas están descritas en el README (convoca importar).")
    from workflow.engine.context import Scopes

    existing = set(session.execute(select(CaseRecord.codigo)).scalars())
    cases, problems = validate(Scopes(session).of(call.codigo), progress(rows) if progress else rows, existing, today)
    if problems:
        more = len(problems) - SHOWN_PROBLEMS
        raise ImportRefused(f"No se importó nada ({source.leido_como}): {cuantos(len(problems), 'fila')} con errores.\n  "
                            + "\n  ".join(problems[:SHOWN_PROBLEMS])
                            + (f"\n  … y {cuantos(more, 'fila')} más con errores." if more > 0 else ""))
    try:
        create_cases(session, call, cases, usuario, actor.rol)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return Imported(len(cases), {c: h["postulacion"]["defectos"] for c, h, _ in cases
                                 if h["postulacion"].get("defectos")}, source.leido_como)
