"""IP provider, budget, signing and disbursement: rule book §5–§7 (Bases §2.3.2, §2.3.3, §4.3)."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from states.pct_2019.demo_data import ACCOUNT, budget_facts, contract_facts, fianza_facts, provider_facts
from tests.conftest import Walker, snapshot, state_of
from workflow.engine.fields import BadData
from workflow.errors import Refusal
from workflow.storage.models import CaseRecord

D = date(2019, 11, 27)


def selected(walker: Walker, regimen: str = "publica", ciudad: str | None = None) -> str:
    codigo = next(c for c, r in walker.rows.items() if r["entidad_regimen"] == regimen
                  and (ciudad is None or r["entidad_ciudad"] == ciudad))
    return walker.to(codigo, "aprobada")


def refuse_provider(walker: Walker, session, **override) -> str:
    codigo = selected(walker)
    walker.fire(codigo, "registrar_proveedor", D, **provider_facts(**override))
    before = snapshot(session)
    with pytest.raises(Refusal) as exc:
        walker.fire(codigo, "aprobar_proveedor", D)
    assert snapshot(session) == before
    return str(exc.value)


def test_bases_2_3_2_2_provider_accepted(walker: Walker, session):
    codigo = selected(walker)
    walker.fire(codigo, "registrar_proveedor", D, **provider_facts())
    walker.fire(codigo, "aprobar_proveedor", D)
    hechos = session.execute(select(CaseRecord.hechos).where(CaseRecord.codigo == codigo)).scalar_one()
    assert hechos["proveedor"]["aprobado"] is True


def test_bases_2_3_2_2_provider_age(walker: Walker, session):
    message = refuse_provider(walker, session, fecha_constitucion="2016-10-12")
    assert "al menos 3 años al cierre (2019-10-11); se constituyó el 2016-10-12" in message


def test_bases_2_3_2_2_provider_pct_filings_in_window(walker: Walker, session):
    message = refuse_provider(walker, session, solicitudes_pct="2016-10-10;2018-02-20;2019-03-01;2019-10-12")
    assert "entre el 2016-10-11 y el 2019-10-11; acreditadas en ese periodo: 2" in message


def test_bases_2_3_2_2_provider_ruc_active(walker: Walker, session):
    assert "RUC del proveedor activo y habido: no cumple" in refuse_provider(walker, session, ruc_activo_habido="no")


def test_bases_2_3_2_2_provider_expert(walker: Walker, session):
    message = refuse_provider(walker, session, experto_grado="otro", experto_anios_experiencia="0.5")
    assert "bachiller en ciencias o ingeniería (grado = otro)" in message
    assert "al menos 1 año en análisis de patentabilidad y redacción (tiene 0.5)" in message


@pytest.mark.parametrize(("fact", "reason"), [
    ("mismo_grupo_economico", "no pertenece al grupo económico"),
    ("matriz_o_subsidiaria", "no es matriz ni subsidiaria"),
    ("representante_vinculado", "no está vinculado a la entidad"),
])
def test_bases_2_3_2_2_provider_conflicts_of_interest(walker: Walker, session, fact, reason):
    assert reason in refuse_provider(walker, session, **{fact: "si"})


def test_bases_2_3_2_2_provider_ruc_check_digit(walker: Walker):
    codigo = selected(walker)
    with pytest.raises(BadData, match="RUC inválido"):
        walker.fire(codigo, "registrar_proveedor", D, **provider_facts(ruc="20100047219"))


def ready_to_sign(walker: Walker, regimen="publica", ciudad=None, approve=True, **budget) -> str:
    codigo = selected(walker, regimen, ciudad)
    row = walker.rows[codigo]
    walker.fire(codigo, "registrar_proveedor", D, **provider_facts())
    if approve:
        walker.fire(codigo, "aprobar_proveedor", D)
    walker.fire(codigo, "registrar_presupuesto", D,
                **budget_facts(row["entidad_regimen"], row["entidad_ciudad"], **budget))
    return codigo


def test_bases_4_3_signing_needs_approved_provider(walker: Walker):
    codigo = ready_to_sign(walker, approve=False)
    with pytest.raises(Refusal, match="Bases §4.3; §2.3.2: falta la aprobación del proveedor de PI por la UES"):
        walker.fire(codigo, "firmar_contrato", date(2019, 12, 2), **contract_facts())


def test_bases_4_3_signing_needs_three_signatures(walker: Walker):
    codigo = ready_to_sign(walker)
    with pytest.raises(BadData, match="'firma_director_ejecutivo': falta"):
        walker.fire(codigo, "firmar_contrato", date(2019, 12, 2),
                    **{**contract_facts(), "firma_director_ejecutivo": ""})


def test_contract_in_force_from_the_day_after_signing(walker: Walker, session):
    codigo = ready_to_sign(walker)
    walker.fire(codigo, "firmar_contrato", date(2019, 12, 2), **contract_facts())
    hechos = session.execute(select(CaseRecord.hechos).where(CaseRecord.codigo == codigo)).scalar_one()
    assert hechos["contrato"]["vigente_desde"] == "2019-12-03"


@pytest.mark.parametrize(("regimen", "ciudad", "budget", "reason"), [
    ("publica", "Arequipa", {"servicios_tecnologicos": "23000.00"},
     "Bases §2.3.1: financiamiento FONDECYT S/ 25 560.00 supera el máximo S/ 25 000.00 en S/ 560.00"),
    ("publica", "Arequipa", {"pasajes": "2000.00"},
     "Bases §2.3.2.1: pasajes, viáticos y seguro de viaje S/ 3 360.00 superan el tope S/ 3 000.00 en total en "
     "S/ 360.00"),
    ("publica", "Arequipa", {"pasajes": "1640.80"},  # 2 920.80 of tickets and per diem: the insurance passes the cap
     "Bases §2.3.2.1: pasajes, viáticos y seguro de viaje S/ 3 000.80 superan el tope S/ 3 000.00 en total en "
     "S/ 0.80"),
    ("publica", "Lima", {"pasajes": "500.00", "ciudad_coordinador": "Cusco"},
     "pasajes y viáticos solo si la entidad y el coordinador están fuera de la ciudad del proveedor de PI (Lima); "
     "la entidad está en Lima"),
    ("publica", "Arequipa", {"ciudad_coordinador": "Lima"}, "el coordinador está en Lima"),
    ("publica", "Arequipa", {"ciudad_coordinador": None}, "falta registrar la ciudad del coordinador"),
    ("publica", "Arequipa", {"viaticos_dias": "3"},
     "viáticos S/ 1 280.00 superan S/ 320.00 × 3 días = S/ 960.00 en S/ 320.00"),
    ("publica", "Arequipa", {"viaticos_dias": "15"}, "estancias menores de 15 días calendario (presupuestadas: 15)"),
    ("publica", "Arequipa", {"seguro": "95.00"}, "seguro de viaje S/ 95.00 supera S/ 80.00 en S/ 15.00"),
    ("publica", "Arequipa", {"contrapartida_no_monetaria": "1000.00"},
     "contrapartida no monetaria S/ 1 000.00 no alcanza el mínimo de 10% del costo total"),
    ("privada_con_fines_de_lucro", "Arequipa", {"contrapartida_monetaria": "0"},
     "contrapartida monetaria S/ 0.00 no alcanza el mínimo de 10%"),
    ("privada_con_fines_de_lucro", "Arequipa", {"contrapartida_monetaria": "1000.00"},
     "financiamiento FONDECYT S/ 22 560.00 supera el máximo de 80% del costo total"),
])
def test_bases_2_3_2_and_2_3_3_budget_caps_judged_when_registered(walker: Walker, regimen, ciudad, budget, reason):
    """The budget signing would refuse is refused when it is registered, and nothing is kept."""
    with pytest.raises(Refusal) as exc:
        ready_to_sign(walker, regimen, ciudad, **budget)
    assert reason in str(exc.value)
    assert "presupuesto" not in walker.facts(exc.value.codigo)


def test_bases_2_3_2_1_lima_entity_travels_to_a_provider_elsewhere(walker: Walker, session):
    """«fuera de Lima o de la ciudad en la que se encuentre» the provider: a Lima entity and
    coordinator may budget the trip to a provider in Arequipa."""
    codigo = selected(walker, "publica", "Lima")
    walker.fire(codigo, "registrar_proveedor", D, **provider_facts(ciudad="Arequipa"))
    walker.fire(codigo, "aprobar_proveedor", D)
    walker.fire(codigo, "registrar_presupuesto", D, **budget_facts("publica", "Arequipa", ciudad_coordinador="Lima"))
    walker.fire(codigo, "firmar_contrato", date(2019, 12, 2), **contract_facts())
    assert state_of(session, codigo) == "contratada"


def test_budget_within_caps_signs(walker: Walker, session):
    codigo = ready_to_sign(walker, "privada_con_fines_de_lucro", "Arequipa")
    walker.fire(codigo, "firmar_contrato", date(2019, 12, 2), **contract_facts())
    assert state_of(session, codigo) == "contratada"


def contracted(walker: Walker, regimen: str) -> str:
    codigo = ready_to_sign(walker, regimen)
    walker.fire(codigo, "firmar_contrato", date(2019, 12, 2), **contract_facts())
    return codigo


def test_bases_4_3_disbursement_needs_cci_of_20_digits(walker: Walker):
    codigo = contracted(walker, "publica")
    with pytest.raises(Refusal, match=r"el CCI debe tener 20 dígitos \(tiene 19"):
        walker.fire(codigo, "registrar_cuenta", date(2019, 12, 5), **{**ACCOUNT, "cci": ACCOUNT["cci"][:-1]})
    with pytest.raises(Refusal, match="faltan los datos bancarios"):
        walker.fire(codigo, "desembolsar", date(2019, 12, 16))


def test_bases_4_3_public_entity_needs_no_fianza_and_period_runs_six_months(walker: Walker, session):
    codigo = contracted(walker, "publica")
    walker.fire(codigo, "registrar_cuenta", date(2019, 12, 5), **ACCOUNT)
    walker.fire(codigo, "desembolsar", date(2019, 12, 16))
    hechos = session.execute(select(CaseRecord.hechos).where(CaseRecord.codigo == codigo)).scalar_one()
    assert (hechos["ejecucion"]["inicio"], hechos["ejecucion"]["fin"]) == ("2019-12-16", "2020-06-16")
    assert state_of(session, codigo) == "en_ejecucion"


def test_bases_4_3_private_entity_needs_fianza(walker: Walker):
    codigo = contracted(walker, "privada_con_fines_de_lucro")
    walker.fire(codigo, "registrar_cuenta", date(2019, 12, 5), **ACCOUNT)
    with pytest.raises(Refusal, match="una entidad privada debe presentar carta fianza"):
        walker.fire(codigo, "desembolsar", date(2019, 12, 16))


@pytest.mark.parametrize(("fianza", "reason"), [
    (fianza_facts("2000.00", date(2019, 12, 10), date(2020, 7, 31)),
     r"monto S/ 2 000.00 menor que el 10% del financiamiento \(S/ 2 256.00\)"),
    (fianza_facts("2500.00", date(2019, 12, 10), date(2020, 6, 15)), "debe cubrir la ejecución hasta el 2020-06-16"),
    ({**fianza_facts("2500.00", date(2019, 12, 10), date(2020, 7, 31)), "beneficiario_ruc": "20100047218"},
     "debe estar a favor de FONDECYT"),
    ({**fianza_facts("2500.00", date(2019, 12, 10), date(2020, 7, 31)), "emisor_supervisado_sbs": "no"},
     "debe estar supervisado por la SBS"),
])
def test_contrato_cl_11_fianza_requirements(walker: Walker, fianza, reason):
    """Refused when registered if it cannot guarantee the contract; the end it must cover is checked
    again at the disbursement, which fixes the execution's end."""
    codigo = contracted(walker, "privada_con_fines_de_lucro")
    walker.fire(codigo, "registrar_cuenta", date(2019, 12, 5), **ACCOUNT)
    try:
        walker.fire(codigo, "registrar_fianza", date(2019, 12, 10), **fianza)
    except Refusal as refused:
        assert re.search(reason, str(refused)) and "fianza" not in walker.facts(codigo)
        return
    with pytest.raises(Refusal, match=reason):
        walker.fire(codigo, "desembolsar", date(2019, 12, 16))
