"""The application form of E062-2019-01: the columns of the import file (as the SIG exports the
applications), what each must hold, and the facts a proposal is recorded with."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from stdnum.pe import cui

from states import tiempo
from states.book import Formulario
from states.call import Call
from states.common import amount
from states.jurisdicciones import PERU
from states.pct_2019.rules.contrato import REGIMENES

LIMA = PERU.tz


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
    fecha = v["fecha_postulacion"] and tiempo.envio_ilegible(v["fecha_postulacion"], LIMA, today,
                                                            call.convocatoria.lanzamiento)
    if fecha:
        bad.append(fecha)
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


def lee(row: dict[str, Any], call, today: date) -> tuple[dict[str, Any], datetime | None, list[str]]:
    """A row of the import file as a proposal's facts and its submission instant, or what makes it
    unreadable (its formats, values outside a column's list, a submission in the future or before the
    launch); a late submission is read, and kept as the defect it is."""
    v = {c: (row.get(c) or "").strip() for c in COLUMNAS}
    autoriza, mal_autorizado = _authorisations(row)
    bad = _unreadable(v, call, today) + mal_autorizado
    if bad or not all(v.values()):
        return {}, None, bad
    enviado = tiempo.enviada(v["fecha_postulacion"], LIMA)
    return _facts(v, enviado, (row.get("entidad_forma") or "").strip(), autoriza), enviado, []


FORMULARIO = Formulario(
    columnas=COLUMNAS, opciones={"tipo_concepto": TIPOS_CONCEPTO, "entidad_regimen": REGIMENES},
    opcionales={c: f"si o no: el {quien} autorizó en la postulación que se le notifique por correo (opcional)"
                for c, quien in AUTORIZA.items()}, lee=lee, grupo="postulacion")
