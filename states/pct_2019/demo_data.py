"""Fictional proposals and facts that satisfy the rules: the demo's data.

The tests use the same builders to reach any state, so the demo and the tests exercise the same
paths an officer would.
"""
from __future__ import annotations

import random
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from stdnum.pe import ruc

ENTIDADES = [
    ("Universidad Nacional de San Agustín de Arequipa", "universidad", "publica", "Arequipa", "Arequipa"),
    ("Pontificia Universidad Católica del Perú", "universidad", "universidad_asociativa", "Lima", "Lima"),
    ("Universidad Peruana de Ciencias Aplicadas S.A.C.", "universidad", "universidad_societaria", "Lima", "Lima"),
    ("Universidad Nacional de Trujillo", "universidad", "publica", "Trujillo", "La Libertad"),
    ("Instituto Nacional de Innovación Agraria", "institucion_publica", "publica", "Lima", "Lima"),
    ("Instituto de Investigaciones de la Amazonía Peruana", "institucion_publica", "publica", "Iquitos", "Loreto"),
    ("CITE Agroindustrial Piura", "cite", "publica", "Piura", "Piura"),
    ("Instituto Andino de Biotecnología", "instituto_investigacion_privado", "privada_sin_fines_de_lucro", "Cusco", "Cusco"),
    ("Tecsup", "instituto_educacion_superior", "privada_sin_fines_de_lucro", "Arequipa", "Arequipa"),
    ("Andes Biomateriales S.A.C.", "empresa", "privada_con_fines_de_lucro", "Arequipa", "Arequipa"),
    ("Inca Foods Tech E.I.R.L.", "empresa", "privada_con_fines_de_lucro", "Lima", "Lima"),
    ("Agua Limpia Perú S.R.L.", "empresa", "privada_con_fines_de_lucro", "Chiclayo", "Lambayeque"),
    ("International Potato Center", "centro_internacional", "privada_sin_fines_de_lucro", "Lima", "Lima"),
]
NOMBRES = ["Rosa", "Jorge", "Milagros", "Luis", "Carmen", "Víctor", "Patricia", "Julio", "Elena", "César",
           "Flor", "Raúl", "Gladys", "Óscar", "Maribel", "Walter", "Yolanda", "Edwin", "Ruth", "Percy"]
APELLIDOS = ["Quispe", "Mamani", "Huamán", "Flores", "Rojas", "Vargas", "Chávez", "Ramos", "Castillo", "Torres",
             "Paredes", "Condori", "Salazar", "Cárdenas", "Ccahuana", "Espinoza", "Zevallos", "Apaza"]
CONCEPTOS = ["Biofiltro de arcilla para arsénico", "Secador solar de quinua", "Recubrimiento de quitosano para palta",
             "Sensor de humedad para suelos andinos", "Proceso de extracción de pectina de cacao",
             "Formulación de bioestimulante de algas", "Trampa de feromonas para mosca de la fruta",
             "Panel aislante de totora", "Prótesis de mano de bajo costo", "Envase comestible de almidón de papa"]
PROVEEDOR_RUC = "20100047218"


def entity_ruc(rng: random.Random, prefix: str = "20") -> str:
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return body + ruc.calc_check_digit(body)


def proposals(n: int, seed: int = 2019, call_close: datetime | None = None) -> list[dict[str, str]]:
    """Rows in the import format, each with a distinct coordinator and a valid RUC and DNI."""
    rng = random.Random(seed)
    close = call_close or datetime(2019, 10, 11, 13, 0)
    rucs = {name: entity_ruc(rng) for name, *_ in ENTIDADES}
    rows = []
    for i in range(n):
        name, tipo, regimen, ciudad, region = ENTIDADES[i % len(ENTIDADES)]
        nombre = f"{rng.choice(NOMBRES)} {rng.choice(APELLIDOS)} {rng.choice(APELLIDOS)}"
        concepto = CONCEPTOS[i % len(CONCEPTOS)]
        sent = close - timedelta(days=rng.randint(0, 14), minutes=rng.randint(1, 600))
        rows.append({
            "codigo": f"E062-{i + 1:04d}", "titulo": f"{concepto} ({i + 1})",
            "fecha_postulacion": sent.strftime("%Y-%m-%dT%H:%M"),
            "tipo_concepto": "proceso" if "Proceso" in concepto else "formulacion" if "Formulación" in concepto
            else "producto",
            "monto_solicitado": f"{rng.randrange(18000, 25001, 500)}.00",
            "entidad_razon_social": name, "entidad_ruc": rucs[name], "entidad_tipo": tipo,
            "entidad_regimen": regimen, "entidad_ciudad": ciudad, "entidad_region": region,
            "coordinador_nombre": nombre, "coordinador_dni": f"{40000000 + i * 7919:08d}",
            "coordinador_email": f"coord{i + 1}@example.org",
            "representante_nombre": f"{rng.choice(NOMBRES)} {rng.choice(APELLIDOS)}",
            "representante_email": f"rl{i + 1}@example.org",
            # most authorise e-mail notification in the application; one in five representatives does not
            "coordinador_autoriza_correo": "si", "representante_autoriza_correo": "no" if i % 5 == 4 else "si",
        })
    return rows


DOCUMENTOS = ("anexo_1", "anexo_2", "documento_tecnico", "cv_cti_vitae")


def sample_document(name: str) -> str:
    """A fictional file with that name in a folder of the demo's own (the UES records documents by
    path: convoca keeps their name and SHA-256)."""
    folder = Path(tempfile.gettempdir()) / "convoca-documentos"
    folder.mkdir(exist_ok=True)
    path = folder / name
    if not path.exists():
        path.write_bytes(b"%PDF-1.4\n% documento ficticio de la demo de convoca: " + name.encode() + b"\n")
    return str(path)


def eligibility_facts(**overrides: Any) -> dict[str, Any]:
    """Every eligibility requirement met; override one to make it fail. Documents are files."""
    facts: dict[str, Any] = {
        "ruc_activo": "si", "ruc_habido": "si", "entidad_taller_caf": "si", "entidad_obligaciones_pendientes": "no",
        "entidad_renoes": "no", "entidad_impedida_estado": "no", "coordinador_reside_peru": "si",
        "coordinador_vinculo_entidad": "si", "coordinador_investigador": "si",
        "coordinador_orcid": "0000-0002-1825-0097", "coordinador_taller_caf": "si", "anexo_2_firmado": "si",
        "coordinador_obligaciones_pendientes": "no", "coordinador_renoes": "no", "coordinador_redam": "no",
        "coordinador_informacion_privilegiada": "no", "coordinador_vinculo_concytec": "no",
        "coordinador_familiar_concytec": "no", "coordinador_pagado_por_concytec": "no",
        "documentos_en_espanol": "si", "firmados_escaneados_de_originales": "si", "anexo_1": "anexo1.pdf", "anexo_2": "anexo2.pdf",
        "documento_tecnico": "documento_tecnico.pdf", "cv_cti_vitae": "cv.pdf", "uso_biodiversidad": "no",
        "universidad_licencia_sunedu": "licenciada", "empresa_forma_societaria": "S.A.C.",
        "empresa_inscrita_registros_publicos": "si",
    }
    facts.update(overrides)
    return {k: sample_document(v) if k in DOCUMENTOS and v else v for k, v in facts.items() if v is not None}


def provider_facts(**overrides: Any) -> dict[str, Any]:
    facts = {"ruc": PROVEEDOR_RUC, "razon_social": "Estudio Andino de Patentes S.A.C.", "ciudad": "Lima",
             "fecha_constitucion": "2012-03-15", "ruc_activo_habido": "si",
             "solicitudes_pct": "2017-05-10;2018-02-20;2019-03-01", "experto_nombre": "Ana Soto",
             "experto_grado": "ingenieria", "experto_anios_experiencia": "4", "mismo_grupo_economico": "no",
             "matriz_o_subsidiaria": "no", "representante_vinculado": "no"}
    facts.update(overrides)
    return facts


def budget_facts(regimen: str, ciudad: str, **overrides: Any) -> dict[str, Any]:
    """A budget within the caps for the entity's regime; travel only outside Lima."""
    lucro = regimen in ("privada_con_fines_de_lucro", "universidad_societaria")
    viaje = ciudad != "Lima"
    facts = {"servicios_tecnologicos": "20000.00",
             "pasajes": "1200.00" if viaje else "0", "viaticos": "1280.00" if viaje else "0",
             "viaticos_dias": "4" if viaje else "0", "seguro": "80.00" if viaje else "0",
             "contrapartida_monetaria": "3000.00" if lucro else "0",
             "contrapartida_no_monetaria": "3000.00", **({"ciudad_coordinador": ciudad} if viaje else {})}
    facts.update(overrides)
    return {k: v for k, v in facts.items() if v is not None}


def fianza_facts(monto: str, emision: date, vencimiento: date) -> dict[str, Any]:
    return {"emisor": "Banco de Crédito del Perú", "emisor_supervisado_sbs": "si",
            "beneficiario_ruc": "20554841555", "numero": "CF-2019-0451", "monto": monto,
            "emision": emision.isoformat(), "vencimiento": vencimiento.isoformat()}


def contract_facts() -> dict[str, Any]:
    return {"numero": "045-2019-FONDECYT", "domicilio": "Av. Arequipa 2450, Lince, Lima",
            "firma_representante_legal": "Representante legal",
            "firma_coordinador": "Coordinador", "firma_director_ejecutivo": "Director ejecutivo"}


def po_facts(version: int, hitos: list[str]) -> dict[str, Any]:
    return {"version": str(version), "hitos": ";".join(hitos), "indicadores": ";".join("3" for _ in hitos),
            "firmado_por": "Coordinador"}


HITOS = ["2020-02-16", "2020-04-16", "2020-06-16"]

RESULTS = {"pct_numero": "PCT/PE2020/050123", "pct_fecha": "2020-05-29", "plan_uso_tecnologia": "plan-uso.pdf",
           "aliado": "Cooperativa Agraria Sol de Oro", "aliado_tipo": "externo", "aliado_carta": "intencion",
           "reuniones_firma": "1", "reuniones_documento": "3", "reuniones_estrategia": "1",
           "copia_solicitud_nacional": "si", "copia_pct": "si", "taller_concytec": "si", "actas_reuniones": "si",
           "vinculaciones": "2", "patentes_solicitadas": "2"}


def milestone_steps(hito: int, fecha: date) -> list[tuple[str, date, dict[str, Any]]]:
    """An ITF presented on its date, approved a week later, received on paper a week after that."""
    return [("presentar_itf", fecha, {"hito": hito, "indicadores_cumplidos": 3,
                                      "declaracion_contrapartida": f"DJ-{hito}"}),
            ("aprobar_itf", fecha + timedelta(days=7), {"hito": hito}),
            ("recibir_itf_fisico", fecha + timedelta(days=14), {"hito": hito})]


COMITE = {"miembros": [{"nombre": "Representante de CONCYTEC", "sector": "concytec"},
                       {"nombre": "Universidad Nacional de Ingeniería", "sector": "universidad_o_instituto"},
                       {"nombre": "Sociedad Nacional de Industrias", "sector": "sector_privado"}],
          "secretario": "Secretaría técnica de la UES"}
"""A Comité de Consistencia as the rule book makes it (states/rules/seleccion.py COMITE, the call's
`seleccion.comite_sectores`): a voting member from each sector, and the UES secretary."""

RIFR_SATISFACTORIO = {"gestion_tecnica": "satisfactoria", "gestion_financiera": "satisfactoria"}

ACCOUNT = {"banco": "Banco de la Nación", "numero": "00-068-123456", "cci": "01806800006812345678"}
