"""Eligibility, rule book §2: each requirement refuses `declarar_apta` naming its source and value."""
from __future__ import annotations

from datetime import date

import pytest

from states.pct_2019.demo_data import eligibility_facts
from states.pct_2019.rules.elegibilidad import REQUISITOS
from tests.conftest import Walker, snapshot, state_of
from workflow.errors import Refusal

D = date(2019, 10, 25)


def eligible_code(walker: Walker, regimen: str | None = None) -> str:
    return next(c for c, r in walker.rows.items() if r["entidad_tipo"] != "centro_internacional"
                and (regimen is None or r["entidad_regimen"] == regimen))


def refuse_apta(walker: Walker, session, codigo: str | None = None, **override) -> str:
    codigo = codigo or eligible_code(walker)
    walker.fire(codigo, "registrar_elegibilidad", D, **eligibility_facts(**override))
    before = snapshot(session)
    with pytest.raises(Refusal) as exc:
        walker.fire(codigo, "declarar_apta", D)
    assert snapshot(session) == before
    return str(exc.value)


def test_all_requirements_met_is_apta(walker: Walker, session):
    codigo = eligible_code(walker)
    walker.fire(codigo, "registrar_elegibilidad", D, **eligibility_facts())
    walker.fire(codigo, "declarar_apta", D)
    assert state_of(session, codigo) == "apta"


@pytest.mark.parametrize(("fact", "value", "expected"), [
    ("ruc_activo", "no", "Bases §2.2.1: RUC de la entidad activo: no cumple ('elegibilidad.ruc_activo' = no)"),
    ("ruc_habido", "no", "Bases §2.2.1: RUC de la entidad habido: no cumple"),
    ("entidad_taller_caf", "no", "Bases §2.2.1: la entidad participó en un taller CAF: no cumple"),
    ("entidad_obligaciones_pendientes", "si", "Bases §3.2.2: la entidad no tiene obligaciones pendientes"),
    ("entidad_renoes", "si", "Bases §3.2.2: la entidad no figura en RENOES: no cumple"),
    ("entidad_impedida_estado", "si", "Bases §3.2.2: la entidad no está impedida de contratar con el Estado"),
    ("coordinador_reside_peru", "no", "Bases §2.2.1: el coordinador reside en el Perú: no cumple"),
    ("coordinador_vinculo_entidad", "no", "Bases §2.2.1: el coordinador tiene vínculo"),
    ("coordinador_taller_caf", "no", "Bases §2.2.1: el coordinador participó en un taller CAF"),
    ("anexo_2_firmado", "no", "Anexo 2: carta de compromiso del coordinador firmada: no cumple"),
    ("coordinador_obligaciones_pendientes", "si", "Bases §3.2.2: el coordinador no tiene obligaciones"),
    ("coordinador_renoes", "si", "Bases §3.2.2: el coordinador no figura en RENOES"),
    ("coordinador_redam", "si", "Bases §3.2.2: el coordinador no figura en REDAM: no cumple"),
    ("coordinador_informacion_privilegiada", "si", "Bases §3.2.2: el coordinador no tuvo información privilegiada"),
    ("coordinador_vinculo_concytec", "si", "Bases §3.2.2: el coordinador no trabaja ni presta servicios"),
    ("coordinador_familiar_concytec", "si", "Bases §3.2.2 (b): sin cónyuge ni parientes"),
    ("coordinador_pagado_por_concytec", "si", "Bases §3.2.2 (c)"),
    ("documentos_en_espanol", "no", "Bases §3.3: documentos en español o con traducción simple"),
    ("firmados_escaneados_de_originales", "no", "Bases §3.3: documentos firmados escaneados"),
])
def test_bases_2_2_1_and_3_2_2_each_requirement(walker: Walker, session, fact, value, expected):
    assert expected in refuse_apta(walker, session, **{fact: value})


def test_unrecorded_requirement_is_named_as_not_proven(walker: Walker, session):
    assert "no acreditado (falta registrar 'elegibilidad.coordinador_redam')" in refuse_apta(
        walker, session, coordinador_redam=None)


def test_bases_2_2_1_international_centre_excluded(walker: Walker, session):
    codigo = next(c for c, r in walker.rows.items() if r["entidad_tipo"] == "centro_internacional")
    walker.fire(codigo, "registrar_elegibilidad", D, **eligibility_facts())
    with pytest.raises(Refusal, match="centros internacionales están excluidos"):
        walker.fire(codigo, "declarar_apta", D)


def test_bases_2_2_1_orcid_required_and_checked_for_researchers(walker: Walker, session):
    assert "no registró su ORCID" in refuse_apta(walker, session, coordinador_orcid=None)


def test_bases_2_2_1_orcid_check_digit(walker: Walker, session):
    assert "ORCID inválido: 0000-0002-1825-0098" in refuse_apta(walker, session, coordinador_orcid="0000-0002-1825-0098")


def test_bases_3_2_2_a_six_months_after_leaving_concytec(walker: Walker, session):
    message = refuse_apta(walker, session, coordinador_fin_vinculo_concytec="2019-06-30")
    assert "dejó CONCYTEC/FONDECYT el 2019-06-30" in message and "cierre (2019-10-11)" in message
    assert "habilitado recién desde el 2019-12-30" in message


def test_bases_3_2_2_a_left_long_enough_ago_is_fine(walker: Walker, session):
    codigo = eligible_code(walker)
    walker.fire(codigo, "registrar_elegibilidad", D, **eligibility_facts(coordinador_fin_vinculo_concytec="2019-04-10"))
    walker.fire(codigo, "declarar_apta", D)
    assert state_of(session, codigo) == "apta"


def test_bases_3_3_documents_present_and_pdf_named_as_the_bases_name_them(walker: Walker, session):
    assert "faltan documentos: CV del coordinador registrado en CTI Vitae" in refuse_apta(walker, session,
                                                                                        cv_cti_vitae=None)
    assert ("deben estar en PDF: Anexo 1 — Carta de compromiso de la Entidad Solicitante, firmada por su "
            "representante legal, que presenta al coordinador (anexo1.docx)") in refuse_apta(walker, session,
                                                                                           anexo_1="anexo1.docx")


def test_bases_3_3_a_document_that_is_not_there_is_refused(walker: Walker, session):
    from workflow.engine.fields import BadData

    codigo = eligible_code(walker)
    before = snapshot(session)
    with pytest.raises(BadData, match="'anexo_1' = '/no/existe/Anexo1.pdf': no se encuentra el archivo"):
        walker.fire(codigo, "registrar_elegibilidad", date(2019, 10, 25), anexo_1="/no/existe/Anexo1.pdf")
    assert snapshot(session) == before


def test_bases_3_3_a_document_keeps_its_name_and_fingerprint(walker: Walker, session):
    import hashlib
    from pathlib import Path

    codigo = eligible_code(walker)
    walker.step(codigo, "registrar_elegibilidad")
    elig = walker.facts(codigo)["elegibilidad"]
    path = Path(eligibility_facts()["anexo_1"])
    assert elig["anexo_1"] == "anexo1.pdf" and elig["anexo_1_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_bases_disposicion_final_primera_no_aplica(walker: Walker, session):
    """A requirement that does not apply is recorded as such and does not block the declaration."""
    codigo = eligible_code(walker)
    walker.fire(codigo, "registrar_elegibilidad", date(2019, 10, 25),
                **eligibility_facts(uso_biodiversidad="no aplica", autorizacion_biodiversidad="no aplica"))
    assert walker.facts(codigo)["elegibilidad"]["uso_biodiversidad"] == "no_aplica"
    walker.step(codigo, "declarar_apta")


def test_bases_2_2_1_1_cartilla_e_1_1_university_licensed_by_sunedu(walker: Walker, session):
    una, otra = [c for c, r in walker.rows.items() if r["entidad_tipo"] == "universidad"][:2]
    assert "no está licenciada ni en proceso de licenciamiento ante SUNEDU (no_licenciada)" in refuse_apta(
        walker, session, codigo=una, universidad_licencia_sunedu="no_licenciada")
    assert "licencia SUNEDU: no acreditado" in refuse_apta(walker, session, codigo=otra,
                                                          universidad_licencia_sunedu=None)


def test_bases_2_2_1_6_company_only_in_the_listed_legal_forms(walker: Walker, session):
    una, otra = [c for c, r in walker.rows.items() if r["entidad_tipo"] == "empresa"][:2]
    assert "forma societaria no admitida: Sociedad Colectiva (admitidas: E.I.R.L., S.R.L., S.A., S.A.C., S.A.A.)" \
        in refuse_apta(walker, session, codigo=una, empresa_forma_societaria="Sociedad Colectiva")
    assert "inscripción en Registros Públicos: no acreditado" in refuse_apta(
        walker, session, codigo=otra, empresa_inscrita_registros_publicos=None)


def test_bases_disposicion_final_primera_biodiversity(walker: Walker, session):
    message = refuse_apta(walker, session, uso_biodiversidad="si")
    assert "Disposición final primera: usa recursos de la biodiversidad" in message


def test_all_failures_listed_at_once(walker: Walker, session):
    message = refuse_apta(walker, session, coordinador_redam="si", ruc_habido="no", anexo_1="a.doc")
    assert message.count("\n  - ") == 3


def test_no_apta_records_every_failed_requirement(walker: Walker, session):
    codigo = eligible_code(walker)
    walker.fire(codigo, "registrar_elegibilidad", D, **eligibility_facts(coordinador_redam="si", ruc_habido="no"))
    walker.fire(codigo, "declarar_no_apta", D)
    from sqlalchemy import select

    from workflow.storage.models import CaseRecord

    hechos = session.execute(select(CaseRecord.hechos).where(CaseRecord.codigo == codigo)).scalar_one()
    fallas = hechos["elegibilidad"]["requisitos_incumplidos"]
    assert len(fallas) == 2 and any("REDAM" in f for f in fallas)


def test_no_apta_refused_when_everything_is_met(walker: Walker, session):
    codigo = eligible_code(walker)
    walker.fire(codigo, "registrar_elegibilidad", D, **eligibility_facts())
    with pytest.raises(Refusal, match="corresponde declarar_apta"):
        walker.fire(codigo, "declarar_no_apta", D)


def test_every_requirement_has_a_source():
    assert all(r.fuente.startswith(("Bases", "Cartilla")) for r in REQUISITOS)


def test_bases_3_2_2_a_quotes_the_bases_words_with_the_calls_number(walker: Walker, session):
    """«hasta seis (06) meses después de culminado el vínculo»: the words of the bases, the number the call's."""
    message = refuse_apta(walker, session, coordinador_vinculo_concytec="no",
                          coordinador_fin_vinculo_concytec="2019-06-30")
    assert "menos de seis (06) meses antes del cierre (2019-10-11)" in message


def test_bases_2_2_1_the_regime_must_be_one_the_entity_type_can_have(db_url: str, tmp_path):
    """A private research institute recorded as «publica» would sign without a carta fianza: the
    import keeps the defect, and `declarar_apta` is refused naming the type and the régimen."""
    import os

    from states.historia import write_csv
    from states.pct_2019.demo_data import proposals
    from tests.cli import convoca

    row = next(r for r in proposals(12) if r["entidad_tipo"] == "instituto_investigacion_privado")
    env = {**os.environ, "CONVOCA_DB": db_url, "CONVOCA_AHORA": "2019-10-25T10:00", "COLUMNS": "200"}
    done = convoca("importar", str(write_csv([{**row, "entidad_regimen": "publica"}], tmp_path / "p.csv")),
                   "--usuario", "mesa", env=env)
    assert done.code == 0, done.err
    facts = [f"--dato={k}={v}" for k, v in eligibility_facts().items()]
    assert convoca("elegibilidad", row["codigo"], *facts, "--usuario", "ues", env=env).code == 0
    refused = convoca("avanzar", row["codigo"], "declarar_apta", "--usuario", "ues", env=env)
    assert refused.code == 2
    assert ("Bases §2.2.1: una entidad de tipo instituto_investigacion_privado no puede ser de régimen publica"
            in refused.err), refused.err
