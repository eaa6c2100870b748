"""Execution phase, rule book §6–§8 (Guía de Seguimiento y Monitoreo; Contrato)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from states.call import DEFAULT_CALL
from states.historia import write_csv
from states.pct_2019.demo_data import fianza_facts, po_facts, proposals
from tests.conftest import CLOCK, Walker, state_of
from workflow.engine.call_loading import load_into
from workflow.engine.cases import Request, apply
from workflow.engine.importer import import_file
from workflow.errors import Refusal


def public_case(walker: Walker, estado: str) -> str:
    """E062-0001: a public university in Arequipa; budget 22 560.00, disbursed 2019-12-16, ends 2020-06-16."""
    return walker.to("E062-0001", estado)


def private_case(walker: Walker, estado: str) -> str:
    codigo = next(c for c, r in walker.rows.items() if r["entidad_regimen"] == "privada_con_fines_de_lucro")
    return walker.to(codigo, estado)


def hito(walker: Walker, codigo: str, n: int) -> dict:
    return walker.facts(codigo)["hitos"][str(n)]


# --- Start-up and Plan Operativo ---------------------------------------------------------

def test_guia_3_2_2_po_needs_negotiation_meeting(walker: Walker):
    codigo = public_case(walker, "en_ejecucion")
    walker.step(codigo, "registrar_po")
    with pytest.raises(Refusal, match="Guía §3.2.2: falta la reunión de negociación con asistencia del coordinador"):
        walker.step(codigo, "aprobar_po")
    walker.fire(codigo, "registrar_negociacion", date(2019, 12, 30), asistio_coordinador="no")
    with pytest.raises(Refusal, match="falta la reunión de negociación"):
        walker.step(codigo, "aprobar_po")


def test_guia_3_2_2_milestones_inside_execution_period(walker: Walker):
    codigo = public_case(walker, "en_ejecucion")
    walker.step(codigo, "registrar_negociacion")
    walker.fire(codigo, "registrar_po", date(2019, 12, 30), **po_facts(1, ["2020-02-16", "2020-04-16", "2020-06-20"]))
    with pytest.raises(Refusal, match="hitos fuera del periodo de ejecución .*: 2020-06-20"):
        walker.step(codigo, "aprobar_po")


def test_guia_3_3_1_last_milestone_need_not_fall_on_the_last_day(walker: Walker, session):
    codigo = public_case(walker, "en_ejecucion")
    walker.step(codigo, "registrar_negociacion")
    walker.fire(codigo, "registrar_po", date(2019, 12, 30), **po_facts(1, ["2020-02-16", "2020-04-16", "2020-06-10"]))
    walker.step(codigo, "aprobar_po")
    assert state_of(session, codigo) == "hitos" and hito(walker, codigo, 3)["fecha"] == "2020-06-10"


def test_guia_4_4_15_po_versions_in_order_and_kept(walker: Walker):
    codigo = public_case(walker, "hitos")
    with pytest.raises(Refusal, match=r"la nueva versión del PO debe ser la 2 \(recibida: 3\)"):
        walker.fire(codigo, "registrar_po", date(2020, 1, 10), **po_facts(3, ["2020-02-16", "2020-04-16", "2020-06-16"]))
    walker.fire(codigo, "registrar_po", date(2020, 1, 10), **po_facts(2, ["2020-02-20", "2020-04-16", "2020-06-16"]))
    assert set(walker.facts(codigo)["po"]["versiones"]) == {"1", "2"}


def test_guia_3_2_2_one_indicator_count_per_milestone(walker: Walker):
    codigo = public_case(walker, "en_ejecucion")
    with pytest.raises(Refusal, match="indique un número de indicadores"):
        walker.fire(codigo, "registrar_po", date(2019, 12, 30), **{**po_facts(1, ["2020-03-16", "2020-06-16"]),
                                                                   "indicadores": "3"})


# --- Milestones: ITF / RITF --------------------------------------------------------------

@pytest.mark.parametrize(("cumplidos", "grade"), [(3, "Aprobado"), (2, "Aprobado con reserva"), (1, "Desaprobado")])
def test_guia_3_2_4_ritf_grade_from_indicators(walker: Walker, cumplidos, grade):
    # 3 programmed: 3/3 = 100 % ≥ 70 %; 2/3 = 67 % in [50 %, 70 %); 1/3 = 33 % < 50 %
    codigo = public_case(walker, "hitos")
    walker.fire(codigo, "presentar_itf", date(2020, 2, 14), hito=1, indicadores_cumplidos=cumplidos)
    walker.fire(codigo, "aprobar_itf", date(2020, 2, 21), hito=1)
    assert hito(walker, codigo, 1)["calificacion"] == grade


def test_guia_3_2_4_misuse_of_funds_fails_the_milestone(walker: Walker):
    codigo = public_case(walker, "hitos")
    walker.fire(codigo, "presentar_itf", date(2020, 2, 14), hito=1, indicadores_cumplidos=3)
    walker.fire(codigo, "aprobar_itf", date(2020, 2, 21), hito=1, mal_uso_fondos="si")
    assert hito(walker, codigo, 1)["calificacion"] == "Desaprobado"


def test_guia_3_2_4_each_milestone_graded_on_its_own_indicators(walker: Walker):
    """The unmet indicator of milestone 1 is tracked beside milestone 2 (met there or later), never
    added to milestone 2's denominator."""
    codigo = public_case(walker, "hitos")
    walker.fire(codigo, "presentar_itf", date(2020, 2, 14), hito=1, indicadores_cumplidos=2)
    walker.fire(codigo, "aprobar_itf", date(2020, 2, 21), hito=1)
    assert hito(walker, codigo, 1)["pendientes"] == 1
    with pytest.raises(Refusal, match=r"indicadores cumplidos = 4, pero el hito 2 programa 3$"):
        walker.fire(codigo, "presentar_itf", date(2020, 4, 14), hito=2, indicadores_cumplidos=4)
    with pytest.raises(Refusal, match=r"pendientes cumplidos = 2, pero de los hitos anteriores quedan 1"):
        walker.fire(codigo, "presentar_itf", date(2020, 4, 14), hito=2, indicadores_cumplidos=2, pendientes_cumplidos=2)
    walker.fire(codigo, "presentar_itf", date(2020, 4, 14), hito=2, indicadores_cumplidos=2, pendientes_cumplidos=1)
    walker.fire(codigo, "aprobar_itf", date(2020, 4, 20), hito=2)
    # 2 of its own 3 = 67 %: with reserve (carried over, it would have read 3 of 4 = 75 %)
    assert hito(walker, codigo, 2)["calificacion"] == "Aprobado con reserva"
    assert hito(walker, codigo, 2)["motivo_calificacion"] == "2 de 3 indicadores (67%)"


def test_guia_3_3_2_observations_lifted_then_approved(walker: Walker):
    codigo = public_case(walker, "hitos")
    walker.fire(codigo, "presentar_itf", date(2020, 2, 14), hito=1, indicadores_cumplidos=3)
    walker.fire(codigo, "observar_itf", date(2020, 2, 18), hito=1, observaciones="faltan actas")
    with pytest.raises(Refusal, match="el ITF del hito 1 está 'observado'; aprobar_itf procede desde: presentado"):
        walker.fire(codigo, "aprobar_itf", date(2020, 2, 20), hito=1)
    walker.fire(codigo, "levantar_observaciones", date(2020, 3, 1), hito=1)
    walker.fire(codigo, "aprobar_itf", date(2020, 3, 4), hito=1)
    h = hito(walker, codigo, 1)
    assert (h["estado"], h["observado"], h["levantado"]) == ("aprobado", "2020-02-18", "2020-03-01")


def test_unknown_milestone_is_named(walker: Walker):
    codigo = public_case(walker, "hitos")
    with pytest.raises(Refusal, match=r"el hito 7 no existe \(hitos del PO aprobado: 1, 2, 3\)"):
        walker.fire(codigo, "presentar_itf", date(2020, 2, 14), hito=7, indicadores_cumplidos=3)


def test_guia_3_4_final_milestone_cannot_be_extended(walker: Walker):
    codigo = public_case(walker, "hitos")
    with pytest.raises(Refusal, match="el hito 3 es el final: no admite ampliación"):
        walker.fire(codigo, "ampliar_hito", date(2020, 6, 1), hito=3, fecha_solicitud="2020-06-01",
                    nueva_fecha="2020-06-15")


@pytest.mark.parametrize(("solicitud", "nueva", "reason"), [
    ("2020-02-18", "2020-03-01", r"P6 \(solicitud de ampliación del hito 1\) venció el 2020-02-17"),
    ("2020-02-10", "2020-04-20", r"debe ser anterior al hito 2 \(2020-04-16\)"),
])
def test_guia_3_4_milestone_extension_limits(walker: Walker, solicitud, nueva, reason):
    codigo = public_case(walker, "hitos")
    with pytest.raises(Refusal, match=reason):
        walker.fire(codigo, "ampliar_hito", date(2020, 2, 18), hito=1, fecha_solicitud=solicitud, nueva_fecha=nueva)


def test_guia_3_4_milestone_extension_moves_the_date(walker: Walker):
    codigo = public_case(walker, "hitos")
    walker.fire(codigo, "ampliar_hito", date(2020, 2, 14), hito=1, fecha_solicitud="2020-02-12",
                nueva_fecha="2020-03-02")
    h = hito(walker, codigo, 1)
    assert (h["estado"], h["fecha"], h["fecha_original"]) == ("ampliado", "2020-03-02", "2020-02-16")
    walker.fire(codigo, "presentar_itf", date(2020, 3, 2), hito=1, indicadores_cumplidos=3)


def test_guia_3_2_3_refused_visit_fails_the_current_milestone(walker: Walker):
    codigo = public_case(walker, "hitos")
    walker.fire(codigo, "registrar_visita", date(2020, 2, 10), anunciada="no", acta="A-1", acceso_negado="si")
    walker.fire(codigo, "presentar_itf", date(2020, 2, 14), hito=1, indicadores_cumplidos=3)
    walker.fire(codigo, "aprobar_itf", date(2020, 2, 21), hito=1)
    h = hito(walker, codigo, 1)
    assert h["calificacion"] == "Desaprobado" and "negativa de acceso" in h["motivo_calificacion"]


# --- Project extension (P7) --------------------------------------------------------------

def test_guia_3_6_request_at_least_7_days_before_the_end(walker: Walker):
    codigo = public_case(walker, "hitos")
    with pytest.raises(Refusal, match=r"fin de la ejecución \(2020-06-16\): a más tardar el 2020-06-09; solicitada el 2020-06-10"):
        walker.fire(codigo, "solicitar_ampliacion", date(2020, 6, 10), justificacion="x")
    walker.fire(codigo, "solicitar_ampliacion", date(2020, 6, 9), justificacion="x")


def test_guia_3_6_extension_needs_a_new_po_version(walker: Walker):
    codigo = public_case(walker, "hitos")
    walker.step(codigo, "solicitar_ampliacion")
    with pytest.raises(Refusal, match="requiere una nueva versión del Plan Operativo"):
        walker.step(codigo, "aprobar_ampliacion")


def test_guia_3_6_extension_needs_the_fianza_renewed(walker: Walker):
    codigo = private_case(walker, "hitos")
    walker.step(codigo, "solicitar_ampliacion")
    walker.step(codigo, "registrar_po")
    with pytest.raises(Refusal, match=r"la carta fianza vence el 2020-07-31 y debe renovarse hasta el nuevo fin \(2020-08-16\)"):
        walker.step(codigo, "aprobar_ampliacion")
    walker.fire(codigo, "registrar_fianza", date(2020, 5, 25), **fianza_facts("2500.00", date(2020, 5, 25), date(2020, 9, 30)))
    walker.step(codigo, "aprobar_ampliacion")


def test_guia_3_6_later_deadlines_follow_the_new_end(walker: Walker):
    codigo = public_case(walker, "hitos")
    walker.ready(codigo, "aprobar_ampliacion")
    walker.step(codigo, "aprobar_ampliacion")
    facts = walker.facts(codigo)
    assert facts["ejecucion"]["fin"] == "2020-08-16" and facts["hitos"]["3"]["fecha"] == "2020-08-16"
    with pytest.raises(Refusal, match="la ejecución termina el 2020-08-16"):
        walker.fire(codigo, "terminar_ejecucion", date(2020, 6, 16))


# --- Budget execution ---------------------------------------------------------------------

@pytest.mark.parametrize(("fecha", "monto", "reason"), [
    ("2019-11-30", "100.00", r"anterior a la firma del contrato \(2019-12-02\)"),
    ("2020-06-17", "100.00", r"posterior al fin de la ejecución \(2020-06-16\): no se acepta"),
    ("2020-02-01", "20000.01", "la partida servicios_tecnologicos tiene S/ 20 000.00 aprobados"),
])
def test_guia_2_4_expense_receipts(walker: Walker, fecha, monto, reason):
    codigo = public_case(walker, "hitos")
    with pytest.raises(Refusal, match=reason):
        walker.fire(codigo, "registrar_gasto", date(2020, 2, 3), partida="servicios_tecnologicos", monto=monto,
                    fecha_comprobante=fecha, comprobante="F-1")


@pytest.mark.parametrize(("a", "monto", "reason"), [
    ("pasajes", "300.00",
     r"S/ 300.00 supera el 20% de la partida de destino pasajes tal como se aprobó \(S/ 1 200.00 → máximo S/ 240.00\)"),
    ("seguro", "10.00", r"seguro de viaje S/ 90.00 supera S/ 80.00"),
])
def test_guia_3_4_reallocation_limits(walker: Walker, a, monto, reason):
    codigo = public_case(walker, "hitos")
    with pytest.raises(Refusal, match=reason):
        walker.fire(codigo, "reasignar_presupuesto", date(2020, 2, 3), de_partida="servicios_tecnologicos",
                    a_partida=a, monto=monto)


def test_guia_3_4_reallocations_count_cumulatively_against_the_approved_line(walker: Walker):
    """[policy] reasignacion_acumulada: pasajes approved at S/ 1 200.00 may receive S/ 240.00 in all,
    however many moves; the grown line never raises its own limit."""
    codigo = public_case(walker, "hitos")
    mover = dict(de_partida="servicios_tecnologicos", a_partida="pasajes")
    walker.fire(codigo, "reasignar_presupuesto", date(2020, 2, 3), **mover, monto="200.00")
    with pytest.raises(Refusal, match=r"tal como se aprobó \(S/ 1 200.00 → máximo S/ 240.00; ya recibió S/ 200.00"):
        walker.fire(codigo, "reasignar_presupuesto", date(2020, 2, 4), **mover, monto="100.00")
    walker.fire(codigo, "reasignar_presupuesto", date(2020, 2, 4), **mover, monto="40.00")
    assert walker.facts(codigo)["presupuesto"]["pasajes"] == "1440.00"


def test_guia_3_4_reallocation_moves_money(walker: Walker):
    codigo = public_case(walker, "hitos")
    walker.step(codigo, "reasignar_presupuesto")
    p = walker.facts(codigo)["presupuesto"]
    assert (p["servicios_tecnologicos"], p["pasajes"]) == ("19900.00", "1300.00")


# --- Final report and closing --------------------------------------------------------------

def closing_ready(walker: Walker, codigo: str, skip: str = "") -> None:
    for ev in ("presentar_itf", "aprobar_itf", "recibir_itf_fisico", "presentar_ifr", "aprobar_ifr",
               "recibir_ifr_fisico", "registrar_resultados", "registrar_devolucion"):
        if ev != skip:
            walker.step(codigo, ev, hito=3)


def test_guia_3_3_2_closing_accepted_releases_the_fianza(walker: Walker, session):
    codigo = private_case(walker, "ifr")
    closing_ready(walker, codigo)
    walker.step(codigo, "cerrar")
    assert state_of(session, codigo) == "cerrada"
    cierre = walker.facts(codigo)["cierre"]
    assert cierre["fianza_liberada"] is True and cierre["conservar_documentos_hasta"] == "2030-08-20"


@pytest.mark.parametrize(("skip", "reason"), [
    ("recibir_itf_fisico", r"ITF sin aprobar o sin físico recibido: hito 3 \(aprobado\)"),
    ("recibir_ifr_fisico", "el IFR está 'aprobado': debe estar aprobado y recibido en físico"),
    ("registrar_resultados", "faltan resultados esperados: solicitud PCT"),
    ("registrar_devolucion", "falta devolver el saldo no ejecutado de S/ 22 560.00"),
])
def test_guia_3_3_2_closing_requirements(walker: Walker, skip, reason):
    codigo = public_case(walker, "ifr")
    closing_ready(walker, codigo, skip)
    with pytest.raises(Refusal, match=reason):
        walker.step(codigo, "cerrar")


def test_bases_1_3_key_ally_needs_the_right_letter(walker: Walker):
    codigo = public_case(walker, "ifr")
    closing_ready(walker, codigo)
    walker.step(codigo, "registrar_resultados", aliado_tipo="interno", aliado_carta="intencion")
    with pytest.raises(Refusal, match=r"el aliado interno requiere carta de compromiso \(registrada: intencion\)"):
        walker.step(codigo, "cerrar")


def test_bases_2_2_1_coordinator_commitments(walker: Walker):
    codigo = public_case(walker, "ifr")
    closing_ready(walker, codigo)
    walker.step(codigo, "registrar_resultados", reuniones_documento="2", taller_concytec="no")
    with pytest.raises(Refusal) as exc:
        walker.step(codigo, "cerrar")
    assert "reuniones para perfeccionar el documento técnico: 2 de 3" in str(exc.value)
    assert "asistencia al taller de CONCYTEC" in str(exc.value)


def test_unused_money_returned_exactly(walker: Walker):
    codigo = public_case(walker, "ifr")
    walker.fire(codigo, "registrar_gasto", date(2020, 6, 16), partida="servicios_tecnologicos", monto="20000.00",
                fecha_comprobante="2020-03-01", comprobante="F-9")
    with pytest.raises(Refusal, match=r"el saldo no ejecutado es S/ 2 560.00; la devolución registrada es S/ 2 000.00"):
        walker.fire(codigo, "registrar_devolucion", date(2020, 8, 1), monto="2000.00", recibo="D-1")
    walker.fire(codigo, "registrar_devolucion", date(2020, 8, 1), monto="2560.00", recibo="D-1")


# --- Ways out -------------------------------------------------------------------------------

def test_contrato_cl_10_breach_refund_with_legal_interest(walker: Walker):
    codigo = private_case(walker, "hitos")
    # disbursed 22 560.00 on 2019-12-16; refund on 2020-05-04: 140 days;
    # 22 560.00 × 2.25 % × 140 / 365 = 194.696… → 194.70; total 22 754.70
    walker.fire(codigo, "resolver_contrato", date(2020, 5, 4), causa="incumplimiento", carta_notarial="CN-1",
                informe_usm="INF-3")
    r = walker.facts(codigo)["resolucion"]
    assert (r["principal"], r["dias_interes"], r["interes"], r["total_a_devolver"]) == \
        ("22560.00", 140, "194.70", "22754.70")
    assert r["fianza_ejecutada"] is True


def test_contrato_cl_10_force_majeure_refunds_unexecuted_without_interest(walker: Walker):
    codigo = private_case(walker, "hitos")
    walker.step(codigo, "registrar_gasto")  # 5 000.00 spent → 22 560.00 − 5 000.00 = 17 560.00
    walker.fire(codigo, "resolver_contrato", date(2020, 5, 4), causa="fuerza_mayor", carta_notarial="CN-1")
    r = walker.facts(codigo)["resolucion"]
    assert (r["principal"], r["interes"], r["total_a_devolver"], r["fianza_ejecutada"]) == \
        ("17560.00", "0.00", "17560.00", False)


def test_contrato_cl_9_breach_needs_usm_report(walker: Walker):
    codigo = public_case(walker, "hitos")
    with pytest.raises(Refusal, match="requiere el informe de la USM"):
        walker.fire(codigo, "resolver_contrato", date(2020, 5, 4), causa="incumplimiento", carta_notarial="CN-1")


@pytest.fixture
def second_call(session, tmp_path: Path) -> str:
    """A later call is a second file: same rules, its own code and dates, loaded like any call."""
    path = tmp_path / "E062-2020-01.toml"
    path.write_text(DEFAULT_CALL.read_text(encoding="utf-8").replace('"E062-2019-01"', '"E062-2020-01"')
                    .replace("2019-10-11T13:00:00-05:00", "2020-10-12T13:00:00-05:00"), encoding="utf-8")
    return load_into(session, path, "admin", None, CLOCK.today()).call.codigo


def apply_to_later_call(walker: Walker, session, tmp_path: Path, second_call: str, **row) -> str:
    from states.pct_2019.demo_data import eligibility_facts
    from workflow.engine.calls import call_of

    nueva = {**proposals(1, seed=99)[0], "codigo": "E062-2020-0001", "fecha_postulacion": "2020-10-01T10:00", **row}
    import_file(session, call_of(session, second_call), write_csv([nueva], tmp_path / "n.csv"), "mesa")
    apply(session, [Request("E062-2020-0001", "registrar_elegibilidad", eligibility_facts(), "ues", date(2020, 10, 20))],
          CLOCK)
    return "E062-2020-0001"


def test_bases_2_2_1_resigned_coordinator_barred_for_a_year(walker: Walker, session, tmp_path, second_call):
    codigo = public_case(walker, "hitos")
    dni = walker.rows[codigo]["coordinador_dni"]
    walker.fire(codigo, "renunciar_coordinador", date(2020, 3, 2), motivo="viaje", reemplazo_nombre="Nora Paz",
                reemplazo_dni="45678912")
    assert walker.facts(codigo)["coordinador"]["dni"] == "45678912"
    later = apply_to_later_call(walker, session, tmp_path, second_call, coordinador_dni=dni)
    with pytest.raises(Refusal, match=f"coordinador {dni} impedido desde 2020-03-02 hasta 2021-03-02"):
        apply(session, [Request(later, "declarar_apta", {}, "ues", date(2020, 10, 20))], CLOCK)


def test_disposicion_final_segunda_false_information_excludes_entity_5_years(walker: Walker, session, tmp_path,
                                                                              second_call):
    codigo = public_case(walker, "apta")
    ruc = walker.rows[codigo]["entidad_ruc"]
    walker.fire(codigo, "descalificar", date(2019, 11, 1), causa="informacion_falsa", motivo="constancia adulterada")
    later = apply_to_later_call(walker, session, tmp_path, second_call, entidad_ruc=ruc)
    with pytest.raises(Refusal, match=f"entidad {ruc} impedido desde 2019-11-01 hasta 2024-11-01"):
        apply(session, [Request(later, "declarar_apta", {}, "ues", date(2020, 10, 20))], CLOCK)


def test_registry_flag_not_raised_for_force_majeure(walker: Walker, session):
    from sqlalchemy import func, select

    from workflow.storage.models import RegistryFlag

    codigo = public_case(walker, "hitos")
    walker.fire(codigo, "resolver_contrato", date(2020, 5, 4), causa="fuerza_mayor", carta_notarial="CN-1")
    assert session.execute(select(func.count()).select_from(RegistryFlag)).scalar_one() == 0




def test_guia_3_2_4_the_monitor_sets_a_period_for_unmet_indicators(walker: Walker):
    codigo = public_case(walker, "hitos")
    walker.fire(codigo, "presentar_itf", date(2020, 2, 14), hito=1, indicadores_cumplidos=2)
    with pytest.raises(Refusal, match=r"excede el fin de la ejecución \(2020-06-16\)"):
        walker.fire(codigo, "aprobar_itf", date(2020, 2, 21), hito=1, plazo_pendientes="2020-07-01")
    walker.fire(codigo, "aprobar_itf", date(2020, 2, 21), hito=1, plazo_pendientes="2020-03-31")
    assert hito(walker, codigo, 1)["plazo_pendientes"] == "2020-03-31"


def test_bases_1_3_the_national_filing_copy_is_needed_only_when_there_was_a_national_filing(walker: Walker, session):
    codigo = public_case(walker, "ifr")
    closing_ready(walker, codigo)
    walker.step(codigo, "registrar_resultados", copia_solicitud_nacional="no", solicitud_nacional="PE-2020-000123")
    with pytest.raises(Refusal, match="copia de lo presentado a INDECOPI"):
        walker.step(codigo, "cerrar")
    walker.step(codigo, "registrar_resultados", solicitud_nacional="")  # optional (Bases §1.3): none was filed
    walker.step(codigo, "cerrar")
    assert state_of(session, codigo) == "cerrada"


def test_bases_1_3_a_pct_application_filed_before_the_project_is_not_its_result(walker: Walker):
    """The contract came into force on 2019-12-03: a PCT application of 2019-06-10 is not what the
    project produced, so it is refused when recorded (and could not close the project)."""
    from states.pct_2019.demo_data import RESULTS

    codigo = walker.to(next(iter(walker.rows)), "ifr")
    with pytest.raises(Refusal) as exc:
        walker.fire(codigo, "registrar_resultados", date(2020, 7, 1), **{**RESULTS, "pct_fecha": "2019-06-10"})
    assert "Bases §1.3: la solicitud PCT se presentó el 2019-06-10, antes de que rigiera el contrato" in str(exc.value)


def test_bases_2_2_1_a_replacement_coordinator_barred_in_the_registry_is_refused(walker: Walker):
    """A coordinator who resigned from one project is barred for a year: they cannot take over another
    grant as its replacement; nor can the coordinator of another proposal of the same call."""
    primero, segundo = [c for c in walker.rows if walker.rows[c]["entidad_regimen"] == "publica"][:2]
    walker.to(primero, "hitos")
    walker.to(segundo, "hitos")
    saliente = walker.rows[primero]["coordinador_dni"]
    walker.fire(primero, "renunciar_coordinador", date(2020, 3, 2), motivo="viaje", reemplazo_nombre="Nora Paz",
                reemplazo_dni="45678912")
    with pytest.raises(Refusal) as exc:
        walker.fire(segundo, "renunciar_coordinador", date(2020, 3, 9), motivo="salud", reemplazo_nombre="El saliente",
                    reemplazo_dni=saliente)
    assert f"Bases §2.2.1, §3.2.2: el reemplazante (DNI {saliente}) está impedido desde 2020-03-02" in str(exc.value)
    otro = next(c for c in walker.rows if c not in (primero, segundo))
    with pytest.raises(Refusal) as exc:
        walker.fire(segundo, "renunciar_coordinador", date(2020, 3, 9), motivo="salud", reemplazo_nombre="Otro",
                    reemplazo_dni=walker.rows[otro]["coordinador_dni"])
    assert f"Bases §3.1.2: el reemplazante (DNI {walker.rows[otro]['coordinador_dni']}) ya coordina {otro}" \
        in str(exc.value)
    assert walker.facts(segundo)["coordinador"]["dni"] == walker.rows[segundo]["coordinador_dni"]
