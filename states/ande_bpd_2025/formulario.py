"""The application form of ANDE «Bienes Públicos Digitales» 2025 (I §1–§5, the project form, the
budget workbook), as an import file: one row per application; its partners and its endorsing firms as
JSON lists in one column each, every firm with its attributes (I §3, aval model). A row without the
minimum of endorsing firms, or with an amount that is not a plain number of pesos, is refused."""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from stdnum.uy import rut

from states import tiempo
from states.ande_bpd_2025.reglas import TIPOS
from states.book import Formulario
from states.common import amount
from states.jurisdicciones import URUGUAY

MONTEVIDEO = URUGUAY.tz
MONTOS = ("monto_ande", "contrapartida_efectivo", "contrapartida_especie", "equipamiento", "imprevistos",
          "administracion_contrapartida")

COLUMNAS = {
    "codigo": "código de la postulación (único)",
    "titulo": "nombre del proyecto",
    "fecha_postulacion": "fecha y hora de «Finalizar», AAAA-MM-DDTHH:MM (hora de Montevideo)",
    "institucion_razon_social": "razón social de la institución proponente",
    "institucion_rut": "RUT de la institución (12 dígitos)",
    "institucion_tipo": "asociacion, camara, gremial, persona_juridica o sin_fines_de_lucro",
    "institucion_departamento": "departamento de la institución",
    "responsable_nombre": "nombre de la Persona Responsable",
    "responsable_email": "correo de la Persona Responsable",
    "monto_ande": "aporte pedido a ANDE, en pesos uruguayos (p. ej. 1500000.00)",
    "contrapartida_efectivo": "contrapartida en efectivo (institución y socias), en pesos",
    "contrapartida_especie": "contrapartida en especie, a valor de mercado, en pesos",
    "equipamiento": "rubro equipamiento (de ANDE), en pesos",
    "imprevistos": "rubro imprevistos, en pesos",
    "administracion_contrapartida": "administración del proyecto (solo contrapartida), en pesos",
    "avales": "empresas que avalan, lista JSON: empresa, rut, ciiu, departamento, cadena, liderada_por_mujer, "
              "chequeo_digital",
}
OPCIONALES = {
    "administracion_ande": "administración pedida a ANDE (las bases no la financian: se importa y la admisión la "
                           "rechaza)",
    "socios": "instituciones socias, lista JSON: nombre, rut, efectivo, especie",
}
TIPOS_INSTITUCION = ("asociacion", "camara", "gremial", "persona_juridica", "sin_fines_de_lucro")
AVAL = ("empresa", "rut", "ciiu", "departamento", "cadena", "liderada_por_mujer", "chequeo_digital")


def _avales(text: str, call) -> tuple[list[dict[str, Any]], list[str]]:
    try:
        avales = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [f"avales no es una lista JSON (posición {exc.pos})"]
    if not isinstance(avales, list) or not all(isinstance(a, dict) for a in avales):
        return [], ["avales debe ser una lista JSON de empresas"]
    bad = []
    if len(avales) < call.avales.minimo:
        bad.append(f"{TIPOS}: al menos {call.avales.minimo} empresas avalan el proyecto; la fila trae {len(avales)}")
    departamentos = {d for ds in call.avales.regiones.values() for d in ds}
    for i, a in enumerate(avales, 1):
        falta = [k for k in AVAL if k not in a]
        if falta:
            bad.append(f"aval {i}: faltan {', '.join(falta)}")
            continue
        if not rut.is_valid(str(a["rut"])):
            bad.append(f"aval {i} ({a['empresa']}): RUT inválido {a['rut']!r}")
        if a["departamento"] not in departamentos:
            bad.append(f"aval {i} ({a['empresa']}): departamento desconocido {a['departamento']!r}")
        if a["cadena"] not in (*call.avales.cadenas, "otra"):
            bad.append(f"aval {i} ({a['empresa']}): cadena {a['cadena']!r} (valores: {', '.join(call.avales.cadenas)}, "
                       "otra)")
    return avales, bad


def _socios(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    if not text:
        return [], []
    try:
        socios = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [f"socios no es una lista JSON (posición {exc.pos})"]
    if not isinstance(socios, list):
        return [], ["socios debe ser una lista JSON"]
    return socios, []


def lee(row: dict[str, Any], call, today: date) -> tuple[dict[str, Any], datetime | None, list[str]]:
    """A row as an application's facts and its submission instant, or what makes it unreadable."""
    v = {c: str(row.get(c) or "").strip() for c in (*COLUMNAS, *OPCIONALES)}
    bad = []
    for col in (*MONTOS, "administracion_ande"):
        if v[col]:
            try:
                amount(v[col])
            except ValueError as exc:
                bad.append(f"{col} {v[col]!r}: {exc} (pesos uruguayos, sin símbolo ni separador de miles)")
    fecha = v["fecha_postulacion"] and tiempo.envio_ilegible(v["fecha_postulacion"], MONTEVIDEO, today,
                                                            call.convocatoria.lanzamiento)
    if fecha:
        bad.append(fecha)
    if v["institucion_rut"] and not rut.is_valid(v["institucion_rut"]):
        bad.append(f"RUT inválido: {v['institucion_rut']} (12 dígitos con su dígito verificador)")
    if v["institucion_tipo"] and v["institucion_tipo"] not in TIPOS_INSTITUCION:
        bad.append(f"institucion_tipo desconocido: {v['institucion_tipo']!r} (valores: {', '.join(TIPOS_INSTITUCION)})")
    avales, mal = _avales(v["avales"], call) if v["avales"] else ([], [])
    socios, mal_socios = _socios(v["socios"])
    bad += mal + mal_socios
    if bad or not all(v[c] for c in COLUMNAS):
        return {}, None, bad
    enviado = tiempo.enviada(v["fecha_postulacion"], MONTEVIDEO)
    facts = {
        "postulacion": {"titulo": v["titulo"], "fecha": enviado.isoformat(),
                        **{k: str(amount(v[k])) for k in MONTOS},
                        "administracion_ande": str(amount(v["administracion_ande"] or "0"))},
        "institucion": {"razon_social": v["institucion_razon_social"], "rut": v["institucion_rut"],
                        "tipo": v["institucion_tipo"], "departamento": v["institucion_departamento"]},
        "responsable": {"nombre": v["responsable_nombre"], "email": v["responsable_email"]},
        "avales": avales, "socios": socios,
    }
    return facts, enviado, []


FORMULARIO = Formulario(columnas=COLUMNAS, lee=lee, grupo="postulacion", opcionales=OPCIONALES,
                        opciones={"institucion_tipo": TIPOS_INSTITUCION})
