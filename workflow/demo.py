"""`convoca demo`: the main job end to end on a fresh SQLite file, with fictional proposals.

The data builders here are also what the tests use to reach any state with facts that satisfy
the rules, so the demo and the tests exercise the same paths an officer would.
"""
from __future__ import annotations

import csv
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
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
        })
    return rows


def write_csv(rows: list[dict[str, str]], path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def eligibility_facts(**overrides: Any) -> dict[str, Any]:
    """Every eligibility requirement met; override one to make it fail."""
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
    }
    facts.update(overrides)
    return {k: v for k, v in facts.items() if v is not None}


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
             "contrapartida_no_monetaria": "3000.00"}
    facts.update(overrides)
    return facts


def fianza_facts(monto: str, emision: date, vencimiento: date) -> dict[str, Any]:
    return {"emisor": "Banco de Crédito del Perú", "emisor_supervisado_sbs": "si",
            "beneficiario_ruc": "20554841555", "numero": "CF-2019-0451", "monto": monto,
            "emision": emision.isoformat(), "vencimiento": vencimiento.isoformat()}


def contract_facts() -> dict[str, Any]:
    return {"numero": "045-2019-FONDECYT", "firma_representante_legal": "Representante legal",
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
    return [("presentar_itf", fecha, {"hito": hito, "indicadores_cumplidos": 3}),
            ("aprobar_itf", fecha + timedelta(days=7), {"hito": hito}),
            ("recibir_itf_fisico", fecha + timedelta(days=14), {"hito": hito})]


ACCOUNT = {"banco": "Banco de la Nación", "numero": "00-068-123456", "cci": "01806800006812345678"}


def run(path: Path) -> None:
    """Builds the demo database and prints what happened, ending with cases per state."""
    from rich.console import Console
    from rich.table import Table
    from sqlalchemy import func, select

    from states.call import DEFAULT_CALL
    from states.rules import money
    from workflow.call_loading import load_into
    from workflow.cases import Request, apply, call_of
    from workflow.clock import LIMA, Clock
    from workflow.db import connect, open_session, upgrade
    from workflow.errors import Refusal
    from workflow.identity import mark
    from workflow.importer import import_file
    from workflow.models import CaseRecord, Message
    from workflow.selection import publish, rank

    out = Console(highlight=False)
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    engine = connect(url)
    upgrade(engine)
    with engine.begin() as conn:
        mark(conn, ensayo=True)  # a demonstration is a rehearsal: it names its users freely
    clock = Clock()
    session = open_session(url)
    load_into(session, DEFAULT_CALL, None, None, clock.today())
    call = call_of(session)
    out.print(f"[bold]convoca demo[/bold] — convocatoria {call.codigo} «{call.convocatoria.nombre}», base {path}")

    from workflow.users import add_user

    for nombre, rol, email in (("admin", "admin", None), ("mesa.partes", "ues", None),
                               ("ues.ana", "ues", "ana@fondecyt.gob.pe"), ("indecopi.eval", "evaluador", None),
                               ("de.director", "direccion", None), ("usm.luis", "monitor", "luis@fondecyt.gob.pe")):
        add_user(session, nombre, rol, email, None, "admin", clock.today())
    rows = proposals(42)
    csv_path = write_csv(rows, path.with_suffix(".csv"))
    n = import_file(session, call, csv_path, "mesa.partes")
    out.print(f"1. Importadas {n} postulaciones desde {csv_path}")

    def act(codigo: str, evento: str, fecha: date, usuario: str, **datos: Any) -> None:
        apply(session, [Request(codigo, evento, datos, usuario, fecha)], clock)

    def refused(codigo: str, evento: str, fecha: date, usuario: str, **datos: Any) -> None:
        try:
            act(codigo, evento, fecha, usuario, **datos)
        except Refusal as r:
            out.print(f"   [yellow]rechazado[/yellow] {r}")

    by_code = {r["codigo"]: r for r in rows}
    elig = date(2019, 10, 25)
    fallas = {"E062-0003": {"coordinador_redam": "si"},
              "E062-0007": {"coordinador_vinculo_concytec": "no", "coordinador_fin_vinculo_concytec": "2019-06-30"},
              "E062-0011": {"anexo_2": "anexo2.docx"}}
    apta, no_apta = 0, 0
    for codigo, row in by_code.items():
        act(codigo, "registrar_elegibilidad", elig, "ues.ana", **eligibility_facts(**fallas.get(codigo, {})))
        if codigo == "E062-0013":
            out.print(f"2. Ejemplo de regla que explica su rechazo ({codigo}, {row['entidad_razon_social']}):")
            refused(codigo, "declarar_apta", elig, "ues.ana")
        try:
            act(codigo, "declarar_apta", elig, "ues.ana")
            apta += 1
        except Refusal:
            act(codigo, "declarar_no_apta", elig, "ues.ana")
            no_apta += 1
    out.print(f"3. Elegibilidad: {apta} aptas, {no_apta} no aptas (cada no apta registra sus requisitos incumplidos)")

    rng = random.Random(7)
    for codigo, in session.execute(select(CaseRecord.codigo).where(CaseRecord.estado == "apta")).all():
        producto = by_code[codigo]["tipo_concepto"] == "producto"
        inventivo = rng.choice([0, 3, 4, 4, 5, 5]) if producto else rng.choice([2, 3, 4, 5, 5, 5])
        grades = {"presencia": rng.choice([0, 4, 5, 5, 5, 5, 5, 5]), "relevancia": rng.choice([3, 4, 5, 5]),
                  "inventivo": inventivo, "bono_discapacidad": "si" if rng.random() < 0.1 else "no",
                  "comentarios": "Ficha consensuada por los expertos de INDECOPI."}
        if inventivo == 0:
            grades["ventaja"] = rng.choice([3, 4, 5])
        act(codigo, "evaluar", date(2019, 11, 8), "indecopi.eval", **grades)
    ranking = rank(session, call)
    out.print(f"4. Evaluación: {len(ranking.aprobadas)} de {len(ranking.filas)} alcanzan {call.seleccion.puntaje_minimo}; "
              f"desempate: {ranking.desempate}")
    acta = None
    if ranking.requiere_comite:
        pre = [r.codigo for r in ranking.preseleccion()]
        acta = {"numero": "ACTA-CC-001-2019", "fecha": "2019-11-14",
                "miembros": ["CONCYTEC", "Universidad Nacional de Ingeniería", "Sociedad Nacional de Industrias"],
                "seleccionadas": pre[:call.seleccion.plazas], "accesitarias": pre[call.seleccion.plazas:]}
        out.print(f"   Más aprobadas que plazas ({call.seleccion.plazas}): decide el Comité de Consistencia "
                  f"({acta['numero']}, prioriza patentes de invención)")
    counts = publish(session, call, "RDE 123-2019-FONDECYT-DE", date(2019, 11, 18), "de.director", clock, acta)
    out.print(f"5. Resultados publicados en una transacción: {counts}")

    seleccionadas = [c for c, in session.execute(select(CaseRecord.codigo).where(CaseRecord.estado == "aprobada")
                                                 .order_by(CaseRecord.codigo)).all()]
    renuncia = seleccionadas[0]
    act(renuncia, "desistir", date(2019, 11, 22), "ues.ana", causa="renuncia", justificada="si",
        motivo="La entidad renuncia por carta")
    accesitarias = sorted(
        (h["resultado"]["orden_merito"], c) for c, h in session.execute(
            select(CaseRecord.codigo, CaseRecord.hechos).where(CaseRecord.estado == "accesitaria")).all())
    if accesitarias:
        siguiente = accesitarias[0][1]
        act(siguiente, "promover", date(2019, 11, 25), "de.director", vacante=renuncia)
        out.print(f"6. {renuncia} desiste; se promueve a {siguiente}, primera accesitaria en orden de mérito")
        seleccionadas.append(siguiente)
    seleccionadas.remove(renuncia)

    from workflow.users import assign

    for codigo in seleccionadas[:12]:
        assign(session, codigo, "usm.luis", "ues.ana", clock, date(2019, 11, 26))
    firma = date(2019, 12, 2)
    for i, codigo in enumerate(seleccionadas[:12]):
        row = by_code[codigo]
        act(codigo, "registrar_proveedor", date(2019, 11, 26), "ues.ana", **provider_facts())
        act(codigo, "aprobar_proveedor", date(2019, 11, 27), "ues.ana")
        act(codigo, "registrar_presupuesto", date(2019, 11, 27), "ues.ana",
            **budget_facts(row["entidad_regimen"], row["entidad_ciudad"]))
        act(codigo, "firmar_contrato", firma, "de.director", **contract_facts())
        if i >= 9:
            continue
        act(codigo, "registrar_cuenta", date(2019, 12, 5), "usm.luis", **ACCOUNT)
        if row["entidad_regimen"] != "publica":
            act(codigo, "registrar_fianza", date(2019, 12, 10), "usm.luis",
                **fianza_facts("2500.00", date(2019, 12, 10), date(2020, 7, 31)))
        act(codigo, "desembolsar", date(2019, 12, 16), "de.director")
        act(codigo, "registrar_induccion", date(2019, 12, 20), "usm.luis", asistio_coordinador="si")
        if i >= 6:
            continue
        act(codigo, "registrar_negociacion", date(2019, 12, 27), "usm.luis", asistio_coordinador="si")
        act(codigo, "registrar_po", date(2019, 12, 30), "usm.luis", **po_facts(1, HITOS))
        act(codigo, "aprobar_po", date(2020, 1, 3), "usm.luis")
    out.print("7. Contratos, desembolsos (carta fianza para privadas), inducción y Plan Operativo aprobado")

    ejemplo = seleccionadas[0]
    row = by_code[ejemplo]
    m = "usm.luis"
    act(ejemplo, "registrar_gasto", date(2020, 2, 3), m, partida="servicios_tecnologicos", monto="12000.00",
        fecha_comprobante="2020-02-01", comprobante="F001-0456")
    act(ejemplo, "presentar_itf", date(2020, 2, 14), m, hito=1, indicadores_cumplidos=2)
    act(ejemplo, "observar_itf", date(2020, 2, 20), m, hito=1, observaciones="Falta el acta de la reunión con el proveedor")
    act(ejemplo, "levantar_observaciones", date(2020, 3, 2), m, hito=1, indicadores_cumplidos=3)
    act(ejemplo, "aprobar_itf", date(2020, 3, 5), m, hito=1)
    act(ejemplo, "registrar_visita", date(2020, 3, 10), m, anunciada="no", acta="ACTA-VM-012",
        recomendaciones="Archivar las actas en el SIG")
    act(ejemplo, "recibir_itf_fisico", date(2020, 3, 20), m, hito=1)
    act(ejemplo, "ampliar_hito", date(2020, 4, 14), m, hito=2, fecha_solicitud="2020-04-10", nueva_fecha="2020-05-15")
    act(ejemplo, "presentar_itf", date(2020, 5, 15), m, hito=2, indicadores_cumplidos=3)
    act(ejemplo, "aprobar_itf", date(2020, 5, 22), m, hito=2)
    out.print(f"8. {ejemplo}: hito 1 observado y levantado; hito 2 ampliado al 2020-05-15; visita sin aviso")
    refused(ejemplo, "solicitar_ampliacion", date(2020, 6, 12), m, justificacion="Demora de INDECOPI")
    act(ejemplo, "solicitar_ampliacion", date(2020, 6, 1), m, justificacion="Demora del examen de forma en INDECOPI")
    act(ejemplo, "registrar_po", date(2020, 6, 3), m, **po_facts(2, ["2020-02-16", "2020-05-15", "2020-08-16"]))
    if row["entidad_regimen"] != "publica":
        act(ejemplo, "registrar_fianza", date(2020, 6, 4), m, **fianza_facts("2500.00", date(2020, 6, 4), date(2020, 9, 30)))
    act(ejemplo, "aprobar_ampliacion", date(2020, 6, 5), m, informe_monitor="Informe 44-2020-USM",
        adenda_numero="Adenda 1", adenda_fecha="2020-06-05", nuevo_fin="2020-08-16")
    act(ejemplo, "recibir_itf_fisico", date(2020, 6, 5), m, hito=2)
    out.print(f"9. {ejemplo}: ampliación del proyecto con adenda, PO versión 2; nuevo fin 2020-08-16")
    act(ejemplo, "registrar_gasto", date(2020, 8, 3), m, partida="servicios_tecnologicos", monto="7500.00",
        fecha_comprobante="2020-07-30", comprobante="F001-0501")
    # in date order: a case's history never goes back (the last ITF is approved after execution ends)
    for evento, fecha, datos in sorted([*milestone_steps(3, date(2020, 8, 14)),
                                        ("terminar_ejecucion", date(2020, 8, 17), {})], key=lambda p: p[1]):
        act(ejemplo, evento, fecha, m, **datos)
    act(ejemplo, "presentar_ifr", date(2020, 8, 28), m)
    act(ejemplo, "registrar_resultados", date(2020, 8, 28), m, **RESULTS)
    act(ejemplo, "aprobar_ifr", date(2020, 9, 4), m)
    act(ejemplo, "recibir_ifr_fisico", date(2020, 9, 18), m)
    saldo = session.execute(select(CaseRecord.hechos).where(CaseRecord.codigo == ejemplo)).scalar_one()
    from states.rules.gastos import gastado

    devolver = Decimal(saldo["ejecucion"]["monto_desembolsado"]) - gastado(saldo.get("gastos"))
    act(ejemplo, "registrar_devolucion", date(2020, 9, 21), m, monto=str(devolver), recibo="Depósito 000123")
    act(ejemplo, "cerrar", date(2020, 9, 30), m, rifr="RIFR-004-2020", oficio="Oficio 210-2020-FONDECYT-USM")
    out.print(f"10. {ejemplo}: IFR aprobado, resultados acreditados, saldo de {money(devolver)} devuelto: cerrado")

    for codigo in seleccionadas[1:3]:
        pasos = [p for n, f in enumerate(HITOS, start=1) for p in milestone_steps(n, date.fromisoformat(f))]
        for evento, fecha, datos in sorted([*pasos, ("terminar_ejecucion", date(2020, 6, 16), {})],
                                           key=lambda p: p[1]):
            act(codigo, evento, fecha, m, **datos)
    negada = seleccionadas[3]
    act(negada, "registrar_visita", date(2020, 2, 10), m, anunciada="no", acta="ACTA-VM-020", acceso_negado="si")
    act(negada, "presentar_itf", date(2020, 2, 14), m, hito=1, indicadores_cumplidos=3)
    act(negada, "aprobar_itf", date(2020, 2, 21), m, hito=1)
    out.print(f"11. {negada}: se negó el acceso a la visita: hito 1 Desaprobado")
    resolved = seleccionadas[5]
    act(resolved, "resolver_contrato", date(2020, 5, 4), "de.director", causa="incumplimiento",
        carta_notarial="CN-77-2020", informe_usm="Informe 31-2020-USM")
    res = session.execute(select(CaseRecord.hechos).where(CaseRecord.codigo == resolved)).scalar_one()["resolucion"]
    out.print(f"12. {resolved}: contrato resuelto por incumplimiento: devolver {money(res['principal'])} + intereses "
              f"{money(res['interes'])} ({res['dias_interes']} días) = {money(res['total_a_devolver'])}")

    from workflow.vigilance import run_pass

    acciones: dict[str, int] = {}
    lunes = date(2019, 12, 2)
    while lunes <= date(2020, 10, 5):
        for a in run_pass(session, datetime.combine(lunes, datetime.min.time(), LIMA).replace(hour=8)):
            acciones[a.accion] = acciones.get(a.accion, 0) + 1
            if a.codigo == negada and a.plazo == "P5/1":
                out.print(f"   {a.fecha} {negada} P5 (ITF físico del hito 1): {a.detalle}")
        session.commit()
        lunes += timedelta(days=7)
    out.print("13. vigilar cada lunes de 2020: " + ", ".join(f"{n} {k}" for k, n in sorted(acciones.items())))
    bandeja = dict(session.execute(select(Message.tipo, func.count()).group_by(Message.tipo)).all())
    out.print("14. Bandeja de salida (sin SMTP configurado, esperan envío): "
              + ", ".join(f"{n} {k}" for k, n in sorted(bandeja.items())))

    table = Table(title=f"Casos por estado — {call.codigo}")
    table.add_column("Estado")
    table.add_column("Casos", justify="right")
    por_estado = dict(session.execute(select(CaseRecord.estado, func.count()).group_by(CaseRecord.estado)).all())
    from states.lifecycle import CICLO

    for s in CICLO.estados:
        if por_estado.get(s.nombre):
            table.add_row(s.titulo, str(por_estado[s.nombre]))
    out.print(table)
    out.print(f"Explore: convoca --db sqlite:///{path} listar | ver {seleccionadas[0]} | historial {seleccionadas[0]}")
    session.close()
