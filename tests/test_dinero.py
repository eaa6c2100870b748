"""Where the fund's money is at stake, through the `convoca` command line on both databases: the
carta fianza and its renewals, refunds and their interest, a disqualification after the money, the
registry, extensions that add milestones, the signing period as a deadline and a project that cannot
close as satisfactory (rule book §5–§8; Contrato cl. 9–11; Guía §3.2.4, §3.3.2, §3.6; Bases §4.3)."""
from __future__ import annotations

import json
import os
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from sqlmodel import Session

from states.historia import write_csv
from states.pct_2019.demo_data import DOCUMENTOS, eligibility_facts, proposals, provider_facts
from tests.cli import convoca
from tests.conftest import Walker, assign_monitor
from workflow.engine.calls import call_of
from workflow.engine.importer import import_file
from workflow.storage.db import connect

PRIVADA = "privada_con_fines_de_lucro"


class Project:
    """One proposal of an entity of the given regime, walked to `estado` by the real events, then
    driven by the officer's commands."""

    def __init__(self, db_url: str, tmp_path: Path, estado: str, regimen: str = PRIVADA, **columnas: str):
        rows = [{**r, **columnas} for r in proposals(12) if r["entidad_regimen"] == regimen][:1]
        engine = connect(db_url)
        with Session(engine) as session:
            import_file(session, call_of(session), write_csv(rows, tmp_path / "p.csv"), "mesa")
            assign_monitor(session)
            self.codigo = Walker(session, {r["codigo"]: r for r in rows}).to(rows[0]["codigo"], estado)
        engine.dispose()
        self.env = {**os.environ, "CONVOCA_DB": db_url, "CONVOCA_AHORA": "2020-12-31T10:00", "COLUMNS": "220"}

    def run(self, *args: str, code: int = 0) -> str:
        done = convoca(*args, env=self.env)
        assert done.code == code, (args, done.out, done.err)
        return done.out + done.err

    def ev(self, evento: str, fecha: str, usuario: str, *datos: str, code: int = 0) -> str:
        return self.run("avanzar", self.codigo, evento, "--fecha", fecha, "--usuario", usuario,
                        *[a for d in datos for a in ("--dato", d)], code=code)

    def hito(self, n: int, evento: str, fecha: str, *datos: str) -> str:
        return self.run("hito", self.codigo, str(n), evento, "--fecha", fecha, "--usuario", "monitor",
                        *[a for d in datos for a in ("--dato", d)])

    def hechos(self) -> dict:
        return json.loads(self.run("ver", self.codigo, "--json"))["hechos"]

    def estado(self) -> str:
        return json.loads(self.run("ver", self.codigo, "--json"))["estado"]

    def registro(self) -> list[dict]:
        return [r for r in json.loads(self.run("registro", "--json")) if r["caso"] == self.codigo]


def fianza(numero: str, monto: str, vence: str, **otros: str) -> list[str]:
    datos = {"emisor": "BCP", "emisor_supervisado_sbs": "si", "beneficiario_ruc": "20554841555", "numero": numero,
             "monto": monto, "emision": "2020-05-25", "vencimiento": vence, **otros}
    return [f"{k}={v}" for k, v in datos.items()]


def test_contrato_cl_11_a_renewal_that_cannot_guarantee_is_refused_and_the_carta_in_force_stays(db_url, tmp_path):
    p = Project(db_url, tmp_path, "hitos")
    antes = p.hechos()["fianza"]
    out = p.ev("registrar_fianza", "2020-05-25", "monitor",
               *fianza("CF-99", "1.00", "2020-09-30", emisor="Cooperativa X", emisor_supervisado_sbs="no",
                       beneficiario_ruc="20100047218"), code=2)
    assert "Bases §4.3; Contrato cl. 11: la carta fianza no se registra (sigue vigente la anterior" in out
    assert "monto S/ 1.00 menor que el 10% del financiamiento" in out
    assert "debe estar a favor de FONDECYT (RUC 20554841555; registrada a favor de 20100047218)" in out
    assert "el emisor (Cooperativa X) debe estar supervisado por la SBS" in out
    assert p.hechos()["fianza"] == antes
    # one that ends before the execution does is refused too; a proper renewal replaces it
    assert "debe cubrir la ejecución hasta el 2020-06-16" in p.ev(
        "registrar_fianza", "2020-05-25", "monitor", *fianza("CF-98", "2500.00", "2020-06-10"), code=2)
    p.ev("registrar_fianza", "2020-05-25", "monitor", *fianza("CF-2", "2500.00", "2020-09-30"))
    assert p.hechos()["fianza"]["numero"] == "CF-2"


def test_contrato_cl_10_a_refund_runs_from_the_disbursement_never_negative(db_url, tmp_path):
    p = Project(db_url, tmp_path, "hitos")  # disbursed 2019-12-16
    datos = ("causa=incumplimiento", "carta_notarial=CN-5", "informe_usm=INF-31")
    out = p.ev("resolver_contrato", "2020-03-16", "direccion", *datos, "fecha_devolucion=2019-12-01", code=2)
    assert "la devolución (2019-12-01) no puede ser anterior al desembolso (2019-12-16)" in out
    assert p.estado() == "hitos"
    p.ev("resolver_contrato", "2020-03-16", "direccion", *datos, "fecha_devolucion=2020-03-16")
    res = p.hechos()["resolucion"]
    principal = Decimal(p.hechos()["ejecucion"]["monto_desembolsado"])
    interes = (principal * Decimal("0.0225") * 91 / 365).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert (res["dias_interes"], Decimal(res["interes"])) == (91, interes)
    assert Decimal(res["total_a_devolver"]) == principal + interes and res["fianza_ejecutada"] is True


def test_contrato_cl_10_non_eligibility_only_when_the_direccion_declares_it(db_url, tmp_path):
    p = Project(db_url, tmp_path, "hitos")
    datos = ("causa=incumplimiento", "carta_notarial=CN-5", "informe_usm=INF-31")
    assert "indique su resolución (resolucion_no_elegible)" in p.ev(
        "resolver_contrato", "2020-03-16", "direccion", *datos, "no_elegible=si", code=2)
    p.ev("resolver_contrato", "2020-03-16", "direccion", *datos)
    assert p.estado() == "resuelta" and p.registro() == []  # «podrá ser declarada»: nothing automatic


def test_contrato_cl_10_the_direccion_declares_the_entity_not_eligible_with_its_term(db_url, tmp_path):
    p = Project(db_url, tmp_path, "hitos")
    p.ev("resolver_contrato", "2020-03-16", "direccion", "causa=incumplimiento", "carta_notarial=CN-5",
         "informe_usm=INF-31", "no_elegible=si", "resolucion_no_elegible=RDE 77-2020", "anios_no_elegible=2")
    [flag] = p.registro()
    assert (flag["tipo"], flag["desde"], flag["hasta"]) == ("entidad", "2020-03-16", "2022-03-16")
    assert "RDE 77-2020" in flag["motivo"]


def test_bases_4_3_a_disqualification_after_the_money_resolves_the_contract(db_url, tmp_path):
    p = Project(db_url, tmp_path, "hitos")
    datos = ("causa=informacion_falsa", "motivo=declaración jurada falsa")
    assert "descalificarlo resuelve el contrato por carta notarial (carta_notarial)" in p.ev(
        "descalificar", "2020-03-02", "direccion", *datos, code=2)
    p.ev("descalificar", "2020-03-02", "direccion", *datos, "carta_notarial=CN-8")
    d = p.hechos()["descalificacion"]
    desembolsado = Decimal(p.hechos()["ejecucion"]["monto_desembolsado"])
    assert d["contrato_resuelto"] is True and d["fianza_ejecutada"] is True and d["dias_interes"] == 77
    assert Decimal(d["total_a_devolver"]) > desembolsado == Decimal(d["principal"])
    [flag] = p.registro()  # and five years out of the fund's calls (Disposición final segunda)
    assert (flag["tipo"], flag["hasta"]) == ("entidad", "2025-03-02")


def test_bases_4_plagiarism_goes_to_renoes(db_url, tmp_path):
    p = Project(db_url, tmp_path, "apta")
    p.ev("descalificar", "2019-11-01", "direccion", "causa=plagio", "motivo=documento técnico copiado")
    [flag] = p.registro()
    assert flag["motivo"] == "plagio" and "RENOES" in flag["fuente"]


def test_guia_3_6_an_extension_adds_the_new_milestones_with_their_deadlines(db_url, tmp_path):
    p = Project(db_url, tmp_path, "hitos")  # milestones 2020-02-16, 04-16, 06-16; ends 2020-06-16
    p.ev("solicitar_ampliacion", "2020-05-20", "monitor", "justificacion=demora de INDECOPI")
    p.ev("registrar_po", "2020-05-22", "monitor", "version=2", "hitos=2020-02-16;2020-04-16;2020-06-16;2020-08-30",
         "indicadores=3;3;3;2", "firmado_por=Coordinador")
    p.ev("registrar_fianza", "2020-05-25", "monitor", *fianza("CF-2", "2500.00", "2020-09-30"))
    aprobar = ("informe_monitor=INF-9", "adenda_numero=AD-1", "adenda_fecha=2020-05-28")
    assert "hitos del PO vigente fuera del nuevo periodo (2019-12-16 a 2020-08-16): 2020-08-30" in p.ev(
        "aprobar_ampliacion", "2020-05-28", "monitor", *aprobar, "nuevo_fin=2020-08-16", code=2)
    p.ev("registrar_po", "2020-05-26", "monitor", "version=3", "hitos=2020-02-16;2020-04-16;2020-06-16;2020-08-10",
         "indicadores=3;3;3;2", "firmado_por=Coordinador")
    p.ev("aprobar_ampliacion", "2020-05-28", "monitor", *aprobar, "nuevo_fin=2020-08-16")
    assert p.hechos()["hitos"]["4"] == {"fecha": "2020-08-10", "indicadores": 2, "estado": "programado",
                                        "agregado_por_ampliacion": "2020-05-28"}
    plazos = {(r["tipo"], r.get("hito")): r for r in json.loads(p.run("plazos", "--caso", p.codigo, "--json"))}
    assert plazos[("P3", "4")]["vence"] == "2020-08-10"  # the last months are reported too
    assert ("P6", "3") in plazos  # milestone 3 is no longer the final one: it may be extended
    p.hito(4, "presentar_itf", "2020-08-10", "indicadores_cumplidos=2")


def test_guia_3_6_an_extension_request_may_be_refused(db_url, tmp_path):
    p = Project(db_url, tmp_path, "hitos")
    p.ev("solicitar_ampliacion", "2020-05-20", "monitor", "justificacion=sin sustento")
    p.ev("rechazar_ampliacion", "2020-05-25", "monitor", "informe_monitor=INF-10", "motivo=no justifica la demora")
    assert "no hay una solicitud de ampliación pendiente" in p.ev(
        "aprobar_ampliacion", "2020-05-28", "monitor", "informe_monitor=INF-9", "adenda_numero=AD-1",
        "adenda_fecha=2020-05-28", "nuevo_fin=2020-08-16", code=2)
    assert p.hechos()["ejecucion"]["fin"] == "2020-06-16"


def test_bases_4_3_the_signing_period_is_a_deadline(db_url, tmp_path):
    p = Project(db_url, tmp_path, "aprobada")  # published Mon 2019-11-18
    p.ev("registrar_notificacion", "2019-11-18", "ues", "notificacion=invitacion_firma", "medio=domicilio",
         "evidencia=cargo C-1")  # the invitation delivered at the domicile that day: PF runs from it
    [pf] = [r for r in json.loads(p.run("plazos", "--caso", p.codigo, "--json")) if r["tipo"] == "PF"]
    assert (pf["vence"], pf["unidad"], pf["fuente"]) == ("2019-12-02", "hábiles", "Bases §4.3")
    assert "vence el 2019-12-02; aún no ha vencido al 2019-11-29" in p.ev(
        "desistir", "2019-11-29", "direccion", "causa=no_firmo_en_plazo", code=2)
    reminders = p.run("vigilar", "--ahora", "2019-11-25T09:00") + p.run("vigilar", "--ahora", "2019-11-29T09:00")
    assert any("recordatorio" in line and "PF" in line for line in reminders.splitlines())
    overdue = p.run("vigilar", "--ahora", "2019-12-03T09:00")
    [line] = [ln for ln in overdue.splitlines() if "plazo_vencido" in ln and "PF" in ln]
    assert "promover a la siguiente accesitaria" in line
    p.ev("desistir", "2019-12-03", "direccion", "causa=no_firmo_en_plazo")
    assert p.estado() == "desistida"


@pytest.mark.parametrize(("hito3", "rifr", "motivos"), [
    ("indicadores_cumplidos=1", "gestion_financiera=satisfactoria",
     ["el hito final (3) está Desaprobado (1 de 3 indicadores (33%))", "quedan 2 indicadores sin cumplir"]),
    ("indicadores_cumplidos=3", "gestion_financiera=no_satisfactoria",
     ["el RIFR califica gestión financiera no satisfactoria"]),
])
def test_guia_3_3_2_a_project_that_is_not_satisfactory_does_not_close(db_url, tmp_path, hito3, rifr, motivos):
    p = Project(db_url, tmp_path, "ifr")  # milestones 1 and 2 met; milestone 3 still open
    p.hito(3, "presentar_itf", "2020-06-16", hito3, "declaracion_contrapartida=DJ-3")
    p.hito(3, "aprobar_itf", "2020-06-20")
    p.hito(3, "recibir_itf_fisico", "2020-06-25")
    p.ev("presentar_ifr", "2020-06-30", "monitor")
    p.ev("aprobar_ifr", "2020-07-20", "monitor", "gestion_tecnica=satisfactoria", rifr)
    p.ev("recibir_ifr_fisico", "2020-08-05", "monitor")
    out = p.ev("cerrar", "2020-08-20", "monitor", "rifr=RIFR-1", "oficio=OF-1", code=2)
    for motivo in motivos:
        assert motivo in out
    assert "resolución del contrato por incumplimiento (resolver_contrato" in out
    assert p.estado() == "ifr" and "cierre" not in p.hechos()


def test_bases_2_3_2_the_budget_is_judged_when_registered(db_url, tmp_path):
    p = Project(db_url, tmp_path, "aprobada")
    p.ev("registrar_proveedor", "2019-11-26", "ues", *[f"{k}={v}" for k, v in provider_facts().items()])
    out = p.ev("registrar_presupuesto", "2019-11-27", "ues", "servicios_tecnologicos=24000.00", "pasajes=1500.00",
               "contrapartida_monetaria=3000.00", "contrapartida_no_monetaria=3000.00", code=2)
    assert "Bases §2.3.1: financiamiento FONDECYT S/ 25 500.00 supera el máximo S/ 25 000.00 en S/ 500.00" in out
    assert "falta registrar la ciudad del coordinador (ciudad_coordinador)" in out
    assert "presupuesto" not in p.hechos()


def test_guia_3_4_reallocations_are_cumulative_from_the_cli(db_url, tmp_path):
    p = Project(db_url, tmp_path, "hitos", "publica")  # an Arequipa entity: pasajes approved at S/ 1 200.00
    mover = ("de_partida=servicios_tecnologicos", "a_partida=pasajes")
    p.ev("reasignar_presupuesto", "2020-02-03", "monitor", *mover, "monto=200.00")
    assert "ya recibió S/ 200.00" in p.ev("reasignar_presupuesto", "2020-02-04", "monitor", *mover, "monto=100.00",
                                          code=2)


def test_bases_3_4_and_4_1_2_one_publication_with_every_proposal_decided(db_url, tmp_path):
    """Not before the call's date; not while a proposal is pending, which the refusal names; an
    evaluation recorded during the document check counts once the proposal is declared apta."""
    rows = [r for r in proposals(4) if r["entidad_tipo"] != "centro_internacional"][:2]
    with Session(connect(db_url)) as session:
        import_file(session, call_of(session), write_csv(rows, tmp_path / "p.csv"), "mesa")
        assign_monitor(session)
        primera = Walker(session, {r["codigo"]: r for r in rows}).to(rows[0]["codigo"], "evaluada")
    segunda = rows[1]["codigo"]
    p = Project.__new__(Project)
    p.codigo, p.env = segunda, {**os.environ, "CONVOCA_DB": db_url, "CONVOCA_AHORA": "2020-12-31T10:00",
                                "COLUMNS": "220"}
    publicar = ("seleccionar", "--publicar", "--resolucion", "RDE 123-2019", "--usuario", "direccion")
    assert "la convocatoria publica sus resultados desde el 2019-11-18; fecha indicada: 2019-11-15" in p.run(
        *publicar, "--fecha", "2019-11-15", code=2)
    assert f"pendientes (1): {segunda} (postulada)" in p.run(*publicar, "--fecha", "2019-11-18", code=2)
    p.run("evaluar", segunda, "--presencia", "4", "--relevancia", "4", "--inventivo", "3", "--fecha", "2019-11-08",
          "--usuario", "evaluador")
    assert p.estado() == "postulada"  # evaluated in parallel with the document check (Bases §4.1.1)
    facts = eligibility_facts()
    p.run("elegibilidad", segunda, "--fecha", "2019-11-12", "--usuario", "ues",
          *[a for k, v in facts.items() for a in ("--documento" if k in DOCUMENTOS else "--dato", f"{k}={v}")])
    p.ev("declarar_apta", "2019-11-12", "ues")
    assert p.estado() == "evaluada"
    assert "Resultados publicados: 2 aprobada" in p.run(*publicar, "--fecha", "2019-11-18")
    assert json.loads(p.run("ver", primera, "--json"))["estado"] == "aprobada"


def test_contrato_cl_10_a_refund_does_not_claim_again_what_the_entity_already_returned(db_url, tmp_path):
    """The entity returned its unused balance at the end of execution; the contract is then resolved
    for breach: it owes the rest of what it received, and the returned soles bear interest only until
    the day they came back."""
    p = Project(db_url, tmp_path, "ifr")  # disbursed 2019-12-16
    h = p.hechos()
    desembolsado = Decimal(h["ejecucion"]["monto_desembolsado"])
    gastado = sum((Decimal(g["monto"]) for g in (h.get("gastos") or {}).values()), Decimal(0))
    saldo = desembolsado - gastado
    assert saldo > 0
    p.ev("registrar_devolucion", "2020-07-15", "monitor", f"monto={saldo}", "recibo=Depósito 77")
    p.ev("resolver_contrato", "2020-08-14", "direccion", "causa=incumplimiento", "carta_notarial=CN-5",
         "informe_usm=INF-31")
    res = p.hechos()["resolucion"]
    adeudado = desembolsado - saldo
    tasa = Decimal("0.0225")
    interes = ((adeudado * 242 + saldo * 212) * tasa / 365).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert (Decimal(res["principal"]), Decimal(res["ya_devuelto"])) == (adeudado, saldo)
    assert (res["dias_interes"], res["dias_interes_devuelto"], Decimal(res["interes"])) == (242, 212, interes)
    assert Decimal(res["total_a_devolver"]) == adeudado + interes < desembolsado + interes


def test_tuo_212_a_resolution_for_breach_is_never_rectified_into_force_majeure(db_url, tmp_path):
    """Rectifying the resolution's cause would waive the interest and the fianza's execution: that is
    the decision's substance, refused naming art. 212; the way is to annul it (art. 213) or decide anew."""
    p = Project(db_url, tmp_path, "hitos")
    p.ev("resolver_contrato", "2020-03-16", "direccion", "causa=incumplimiento", "carta_notarial=CN-5",
         "informe_usm=INF-31")
    antes = p.hechos()["resolucion"]
    [fila] = json.loads(p.run("auditoria", "--caso", p.codigo, "--evento", "resolver_contrato", "--json"))
    out = p.run("rectificar", str(fila["id"]), "--dato", "causa=fuerza_mayor", "--motivo", "causa mal consignada",
                "--usuario", "direccion", code=2)
    assert "TUO Ley 27444 art. 212: la rectificación altera lo sustancial" in out
    assert "resolucion.causa (incumplimiento → fuerza_mayor)" in out and "TUO Ley 27444 art. 213" in out
    assert p.hechos()["resolucion"] == antes and p.estado() == "resuelta"
    # the refund date is the amount: a rectification that moves it is refused too
    out = p.run("rectificar", str(fila["id"]), "--dato", "fecha_devolucion=2020-06-30", "--motivo", "fecha",
                "--usuario", "direccion", code=2)
    assert "resolucion.interes" in out and "resolucion.total_a_devolver" in out


def test_guia_3_2_4_a_final_milestone_failed_only_for_justified_indicators_lets_the_project_close(db_url, tmp_path):
    """The final milestone met 1 of 3 indicators (Desaprobado); the other 2 proved impossible and were
    justified before the close: with a satisfactory RIFR the project closes (no over-enforcement)."""
    p = Project(db_url, tmp_path, "ifr")
    p.hito(3, "presentar_itf", "2020-06-16", "indicadores_cumplidos=1", "declaracion_contrapartida=DJ-3")
    p.hito(3, "aprobar_itf", "2020-06-20")
    assert p.hechos()["hitos"]["3"]["calificacion"] == "Desaprobado"
    p.hito(3, "recibir_itf_fisico", "2020-06-25")
    p.ev("justificar_indicadores", "2020-06-26", "monitor", "cantidad=2",
         "justificacion=INDECOPI no admite el examen de fondo antes de 18 meses")
    p.ev("presentar_ifr", "2020-06-30", "monitor")
    p.ev("aprobar_ifr", "2020-07-20", "monitor", "gestion_tecnica=satisfactoria", "gestion_financiera=satisfactoria")
    p.ev("recibir_ifr_fisico", "2020-08-05", "monitor")
    from states.pct_2019.demo_data import RESULTS

    p.ev("registrar_resultados", "2020-08-06", "monitor", *[f"{k}={v}" for k, v in RESULTS.items()])
    h = p.hechos()
    saldo = Decimal(h["ejecucion"]["monto_desembolsado"]) - sum(
        (Decimal(g["monto"]) for g in (h.get("gastos") or {}).values()), Decimal(0))
    p.ev("registrar_devolucion", "2020-08-10", "monitor", f"monto={saldo}", "recibo=Depósito 9")
    p.ev("cerrar", "2020-08-20", "monitor", "rifr=RIFR-1", "oficio=OF-1")
    assert p.estado() == "cerrada"


def test_guia_3_6_a_right_to_an_extension_left_unused_lapses_it_is_not_missed(db_url, tmp_path):
    """P7 (asking to extend the project) ran until 2020-06-09 and nobody asked: on 2020-12-31 the agenda
    says it lapsed, not «VENCIDO», and the portfolio report does not count it as «incumplido»."""
    p = Project(db_url, tmp_path, "hitos")
    [p7] = [r for r in json.loads(p.run("plazos", "--caso", p.codigo, "--json")) if r["tipo"] == "P7"]
    assert (p7["vence"], p7["estado"]) == ("2020-06-09", "caducado")
    shown = [ln for ln in p.run("plazos", "--caso", p.codigo).splitlines() if "P7" in ln or "ampliación del proy" in ln]
    assert shown and not any("VENCIDO" in ln for ln in shown)
    assert "caducó" in p.run("plazos", "--caso", p.codigo)
    informe = json.loads(p.run("informe", "--al", "2020-12-31", "--json"))
    [fila] = [t for t in informe["plazos_tipo"] if t["tipo"] == "P7"] or [{"tipo": "P7", "incumplido": 0}]
    assert fila["incumplido"] == 0
