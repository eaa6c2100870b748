"""ANDE (Uruguay) «Bienes Públicos Digitales» 2025, the second rule book, through the CLI as its
officers use it, in a database that also holds E062-2019-01: each rule of
shared/bases/ANDE-BPD-2025.md has a test named after its source (B = Bases, P = Pautas), and the
conformance walk (import → formal check → evaluation → decision → convenio → tranches → close →
`auditoria verificar`) runs whole."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from states.ande_bpd_2025.demo_data import application, aval
from states.call import CALLS_DIR
from states.historia import write_csv as write
from tests.cli import convoca

CALL = "ANDE-BPD-2025"
ANDE_CALL = CALLS_DIR / f"{CALL}.toml"


def env(db_url: str, usuario: str, ahora: str = "2026-11-20T09:00") -> dict[str, str]:
    return {**os.environ, "CONVOCA_DB": db_url, "CONVOCA_USUARIO": usuario, "COLUMNS": "200", "CONVOCA_AHORA": ahora}


def ok(db_url: str, usuario: str, *args: str):
    done = convoca(*args, env=env(db_url, usuario))
    assert done.code == 0, done.err + done.out
    return done


def refused(db_url: str, usuario: str, *args: str) -> str:
    done = convoca(*args, env=env(db_url, usuario))
    assert done.code == 2, done.err + done.out
    return done.err


def act(db_url: str, usuario: str, codigo: str, evento: str, fecha: str, **datos: str):
    args = ["avanzar", codigo, evento, "--fecha", fecha]
    for k, v in datos.items():
        args += ["--dato", f"{k}={v}"]
    return convoca(*args, env=env(db_url, usuario))


def state(db_url: str, codigo: str) -> str:
    return json.loads(ok(db_url, "ues", "ver", codigo, "--json").out)["estado"]


@pytest.fixture
def ande(db_url: str, tmp_path: Path) -> str:
    """E062's database with ANDE's call loaded beside it and three applications imported."""
    done = ok(db_url, "admin", "init", "--convocatoria", str(ANDE_CALL))
    assert f"Convocatoria {CALL} «Bienes Públicos Digitales 2025» cargada." in done.out
    ok(db_url, "mesa", "importar", str(write([application(i) for i in (1, 2, 3)], tmp_path / "ande.csv")),
       "--convocatoria", CALL)
    for c in ("BPD-0001", "BPD-0002", "BPD-0003"):
        ok(db_url, "ues", "asignar", c, "monitor", "--fecha", "2025-12-01")
    return db_url


def test_one_database_holds_both_calls_each_with_its_own_book(ande: str):
    assert state(ande, "BPD-0001") == "presentada"
    out = ok(ande, "ues", "eventos", "--convocatoria", CALL).out
    assert "pedir_aclaracion" in out and "declarar_apta" not in out


# ── B «Tipos de proyectos»: at least 10 endorsing firms, each with its digital check ────────────────

def test_b_tipos_de_proyectos_an_import_with_9_endorsing_firms_is_refused_whole(ande: str, tmp_path: Path):
    rows = [application(7), application(9, avales=9)]
    err = refused(ande, "mesa", "importar", str(write(rows, tmp_path / "nueve.csv")), "--convocatoria", CALL)
    assert "línea 3 (BPD-0009): B «Tipos de proyectos»: al menos 10 empresas avalan el proyecto; la fila trae 9" in err
    assert "No se importó nada" in err
    assert convoca("ver", "BPD-0007", env=env(ande, "ues")).code != 0


def test_b_tipos_de_proyectos_an_import_without_endorsing_firms_is_refused(ande: str, tmp_path: Path):
    row = application(8)
    row.pop("avales")
    err = refused(ande, "mesa", "importar", str(write([row], tmp_path / "sin.csv")), "--convocatoria", CALL)
    assert "sin.csv (CSV en UTF-8, separado por «,»): faltan columnas: avales" in err
    row["avales"] = "[]"
    err = refused(ande, "mesa", "importar", str(write([row], tmp_path / "vacia.csv")), "--convocatoria", CALL)
    assert "línea 2 (BPD-0008): B «Tipos de proyectos»: al menos 10 empresas avalan el proyecto; la fila trae 0" in err


def test_b_tipos_de_proyectos_a_firm_without_its_digital_check_stops_admission(ande: str, tmp_path: Path):
    avales = [aval(i) for i in range(9)] + [aval(9, chequeo_digital=False)]
    ok(ande, "mesa", "importar", str(write([{**application(6), "avales": json.dumps(avales)}], tmp_path / "c.csv")),
       "--convocatoria", CALL)
    err = act(ande, "ues", "BPD-0006", "admitir", "2025-12-05").err
    assert "B «Tipos de proyectos»: sin chequeo digital de Modo Digital: Empresa 9" in err
    assert state(ande, "BPD-0006") == "presentada"


def test_amounts_in_another_currency_format_are_refused_naming_the_row(ande: str, tmp_path: Path):
    err = refused(ande, "mesa", "importar", str(write([application(5, monto_ande="$ 1.600.000")], tmp_path / "m.csv")),
                  "--convocatoria", CALL)
    assert "línea 2 (BPD-0005): monto_ande '$ 1.600.000'" in err and "pesos uruguayos" in err


# ── B «Apoyo que brinda el programa» and «Gastos financiables» notes 3–5 ─────────────────────────

@pytest.mark.parametrize("changes, reason", [
    ({"monto_ande": "2100000.00", "contrapartida_efectivo": "400000.00", "contrapartida_especie": "200000.00"},
     "B «Apoyo que brinda el programa»: pide $ 2 100 000.00 a ANDE"),
    ({"monto_ande": "1800000.00", "contrapartida_efectivo": "250000.00", "contrapartida_especie": "150000.00"},
     "B «Apoyo que brinda el programa»: ANDE aportaría 81.8 % del costo total"),
    ({"contrapartida_efectivo": "150000.00", "contrapartida_especie": "300000.00", "monto_ande": "1500000.00"},
     "B «Apoyo que brinda el programa»: la contrapartida en efectivo es 7.7 % del costo total"),
    ({"monto_ande": "2000000.00", "contrapartida_efectivo": "200000.00", "contrapartida_especie": "400000.00",
      "equipamiento": "100000.00"},
     "pide el máximo y su contrapartida (23.1 %) supera el mínimo: el efectivo ($ 200 000.00) no alcanza $ 250 000.00"),
    ({"equipamiento": "450000.00"}, "B «Gastos financiables» nota 3: equipamiento $ 450 000.00: 28.1 % del monto"),
    ({"imprevistos": "120000.00"}, "B «Gastos financiables» nota 5: imprevistos $ 120 000.00: 5.7 % del costo total"),
    ({"administracion_ande": "10000.00"}, "B «Gastos financiables» nota 4: pide $ 10 000.00 de ANDE para administración"),
    ({"administracion_contrapartida": "120000.00"}, "B «Gastos financiables» nota 4: administración $ 120 000.00"),
])
def test_b_apoyo_the_money_of_an_application_is_judged_at_admission(ande: str, tmp_path: Path, changes, reason):
    ok(ande, "mesa", "importar", str(write([application(4, **changes)], tmp_path / "a.csv")), "--convocatoria", CALL)
    err = act(ande, "ues", "BPD-0004", "admitir", "2025-12-05").err
    assert reason in err, err
    assert state(ande, "BPD-0004") == "presentada"


def test_b_apoyo_the_counterpart_minimum(ande: str, tmp_path: Path):
    row = application(4, monto_ande="1700000.00", contrapartida_efectivo="250000.00", contrapartida_especie="100000.00")
    ok(ande, "mesa", "importar", str(write([row], tmp_path / "a.csv")), "--convocatoria", CALL)
    err = act(ande, "ues", "BPD-0004", "admitir", "2025-12-05").err
    assert "la contrapartida es 17.1 % del costo total ($ 350 000.00)" in err


# ── B «Ámbitos de evaluación y aprobación»: the clarification round ─────────────────────────────

def test_b_ambitos_an_application_answered_in_time_goes_back_to_the_formal_check(ande: str):
    assert act(ande, "ues", "BPD-0001", "pedir_aclaracion", "2025-12-01", pedido="Adjunte el certificado BPS").code == 0
    agenda = ok(ande, "ues", "plazos").out
    assert "BPD-0001" in agenda and "2025-12-08" in agenda  # 5 business days in Uruguay's calendar
    assert act(ande, "ues", "BPD-0001", "responder_aclaracion", "2025-12-04", respuesta="Adjuntado").code == 0
    assert state(ande, "BPD-0001") == "presentada"


def test_b_ambitos_no_answer_in_time_eliminates_the_application(ande: str):
    act(ande, "ues", "BPD-0002", "pedir_aclaracion", "2025-12-01", pedido="Falta el CV de la Persona Responsable")
    err = act(ande, "ues", "BPD-0002", "eliminar", "2025-12-03").err
    assert "B «Ámbitos de evaluación y aprobación»: el plazo para responder vence el 2025-12-08: aún corre" in err
    late = act(ande, "ues", "BPD-0002", "responder_aclaracion", "2025-12-12", respuesta="tarde").err
    assert "la respuesta llega el 2025-12-12; el plazo venció el 2025-12-08" in late
    assert act(ande, "ues", "BPD-0002", "eliminar", "2025-12-12").code == 0
    assert state(ande, "BPD-0002") == "eliminada"


# ── Pautas I–XI, B «Resolución» ─────────────────────────────────────────────────────────────────

NOTAS = {"i": "4", "ii": "4", "iii": "3", "iv": "5", "v": "4", "vi": "4", "vii": "3", "viii": "4", "ix": "5",
         "x": "3", "xi": "2"}


def _evaluated(db: str, codigo: str = "BPD-0001") -> None:
    assert act(db, "ues", codigo, "admitir", "2025-12-05").code == 0
    done = act(db, "comite", codigo, "evaluar", "2025-12-15", **NOTAS, recomendacion="no_aprobar", informe="Pertinente")
    assert done.code == 0, done.err


def test_pautas_the_committee_scores_eleven_weighted_criteria(ande: str):
    bad = act(ande, "ues", "BPD-0001", "admitir", "2025-12-05")
    assert bad.code == 0
    err = act(ande, "comite", "BPD-0001", "evaluar", "2025-12-15", **{**NOTAS, "x": "7"}, recomendacion="aprobar",
              informe="x").err
    assert "Pautas de evaluación I–XI: fuera de la escala 0–5: X=7" in err
    assert act(ande, "comite", "BPD-0001", "evaluar", "2025-12-15", **NOTAS, recomendacion="aprobar",
               informe="Pertinente").code == 0
    facts = json.loads(ok(ande, "ues", "ver", "BPD-0001", "--json").out)["hechos"]
    # 4·.14 + 4·.12 + 3·.05 + 5·.10 + 4·.13 + 4·.10 + 3·.10 + 4·.05 + 5·.08 + 3·.08 + 2·.05
    assert facts["evaluacion"]["puntaje"] == "3.85"


def test_b_resolucion_the_directorio_decides_whatever_the_recommendation(ande: str):
    _evaluated(ande)
    assert act(ande, "direccion", "BPD-0001", "decidir", "2025-12-22", decision="aprobada",
               resolucion="RD 101/2025").code == 0
    assert state(ande, "BPD-0001") == "aprobada"


# ── B «Implementación» a, b ─────────────────────────────────────────────────────────────────────

def _approved(db: str, codigo: str = "BPD-0001") -> None:
    _evaluated(db, codigo)
    assert act(db, "direccion", codigo, "decidir", "2025-12-22", decision="aprobada", resolucion="RD 101/2025").code == 0


def test_b_implementacion_latest_start_and_nine_months(ande: str):
    _approved(ande)
    err = act(ande, "ues", "BPD-0001", "firmar_convenio", "2026-01-20", fecha_inicio="2026-03-15", meses="10",
              metas="H1 beta").err
    assert "B «Implementación» a: inicio el 2026-03-15, después del 2026-02-28" in err
    assert "B «Implementación» a: el convenio dice 10 meses" in err
    assert state(ande, "BPD-0001") == "aprobada"


def test_b_implementacion_the_convenio_within_45_days_or_withdrawn(ande: str):
    _approved(ande)
    err = act(ande, "direccion", "BPD-0001", "dar_por_desistida", "2026-01-20").err
    assert "los 45 días para firmar el convenio corren hasta el 2026-02-05" in err
    late = act(ande, "ues", "BPD-0001", "firmar_convenio", "2026-02-10", fecha_inicio="2026-02-15", meses="9",
               metas="H1 beta").err
    assert "más de 45 días después de la aprobación (2025-12-22), sin aprobación expresa de ANDE" in late
    assert act(ande, "direccion", "BPD-0001", "dar_por_desistida", "2026-02-10").code == 0
    assert state(ande, "BPD-0001") == "desistida"


# ── B «Modalidad de desembolsos»: three tranches; suspension ───────────────────────────────────

def _executing(db: str, codigo: str = "BPD-0001") -> None:
    _approved(db, codigo)
    done = act(db, "ues", codigo, "firmar_convenio", "2026-01-20", fecha_inicio="2026-02-01", meses="9",
               metas="H1 plataforma beta; H2 20 empresas usuarias")
    assert done.code == 0, done.err


def test_b_modalidad_de_desembolsos_the_second_tranche_needs_80_percent_rendered(ande: str):
    _executing(ande)
    assert "falta antes el desembolso anticipo" in act(ande, "ues", "BPD-0001", "desembolsar", "2026-02-05",
                                                       tramo="segundo").err
    assert act(ande, "ues", "BPD-0001", "desembolsar", "2026-02-05", tramo="anticipo").code == 0
    assert act(ande, "monitor", "BPD-0001", "rendir", "2026-05-05", hito="1", monto_ande="400000",
               monto_contrapartida="150000").code == 0
    assert act(ande, "monitor", "BPD-0001", "aprobar_rendicion", "2026-05-08", numero="1", aprobado_ande="297600",
               aprobado_contrapartida="150000").code == 0
    err = act(ande, "ues", "BPD-0001", "desembolsar", "2026-05-12", tramo="segundo").err
    assert "rendido y aprobado 62 % del anticipo; se exige 80 %" in err
    assert "no están registrados como cumplidos" in err
    assert act(ande, "monitor", "BPD-0001", "aprobar_rendicion", "2026-05-09", numero="1",
               aprobado_ande="400000", aprobado_contrapartida="150000").code == 0
    assert act(ande, "monitor", "BPD-0001", "cumplir_metas", "2026-05-10", evidencia="visita").code == 0
    assert act(ande, "ues", "BPD-0001", "desembolsar", "2026-05-12", tramo="segundo").code == 0
    facts = json.loads(ok(ande, "ues", "ver", "BPD-0001", "--json").out)["hechos"]
    assert facts["desembolsos"]["anticipo"]["monto"] == "480000.00"
    assert facts["desembolsos"]["segundo"]["monto"] == "960000.00"


def test_b_gastos_financiables_nota_5_contingencies_need_prior_authorisation(ande: str):
    _executing(ande)
    err = act(ande, "monitor", "BPD-0001", "rendir", "2026-05-05", hito="1", monto_ande="100000",
              monto_contrapartida="0", imprevistos="20000").err
    assert "nota 5: rinde $ 20 000.00 de imprevistos sin autorización previa de ANDE" in err
    assert act(ande, "ues", "BPD-0001", "autorizar_imprevistos", "2026-04-01", motivo="reparación").code == 0
    assert act(ande, "monitor", "BPD-0001", "rendir", "2026-05-05", hito="1", monto_ande="100000",
               monto_contrapartida="0", imprevistos="20000").code == 0


def test_b_modalidad_de_desembolsos_a_suspended_project_receives_nothing(ande: str):
    _executing(ande)
    assert act(ande, "direccion", "BPD-0001", "suspender", "2026-02-03", alcance="suspendida",
               causa="incumplimiento_de_metas").code == 0
    err = act(ande, "ues", "BPD-0001", "desembolsar", "2026-02-05", tramo="anticipo").err
    assert "no procede en estado 'suspendida'" in err
    assert act(ande, "direccion", "BPD-0001", "reanudar", "2026-02-04").code == 0
    assert act(ande, "direccion", "BPD-0001", "suspender", "2026-02-05", alcance="cancelada",
               causa="informacion_falsa").code == 0
    assert state(ande, "BPD-0001") == "cancelada"


def test_conformance_walk_from_import_to_close_and_verificar(ande: str):
    """The whole life of one application, then the record re-judged: import → formal check (with its
    clarification) → evaluation → decision → convenio → tranches → close → `auditoria verificar`."""
    act(ande, "ues", "BPD-0001", "pedir_aclaracion", "2025-12-01", pedido="Adjunte el certificado DGI")
    act(ande, "ues", "BPD-0001", "responder_aclaracion", "2025-12-04", respuesta="Adjuntado")
    _executing(ande)
    steps = [
        ("ues", "desembolsar", "2026-02-05", {"tramo": "anticipo"}),
        ("monitor", "rendir", "2026-05-05", {"hito": "1", "monto_ande": "480000", "monto_contrapartida": "200000"}),
        ("monitor", "aprobar_rendicion", "2026-05-08", {"numero": "1", "aprobado_ande": "480000",
                                                        "aprobado_contrapartida": "200000"}),
        ("monitor", "cumplir_metas", "2026-05-10", {"evidencia": "visita"}),
        ("ues", "desembolsar", "2026-05-12", {"tramo": "segundo"}),
        ("monitor", "rendir", "2026-08-05", {"hito": "2", "monto_ande": "960000", "monto_contrapartida": "300000"}),
        ("monitor", "aprobar_rendicion", "2026-08-10", {"numero": "2", "aprobado_ande": "960000",
                                                        "aprobado_contrapartida": "300000"}),
    ]
    for usuario, evento, fecha, datos in steps:
        done = act(ande, usuario, "BPD-0001", evento, fecha, **datos)
        assert done.code == 0, (evento, done.err)
    short = act(ande, "ues", "BPD-0001", "cerrar", "2026-10-30", actividades="").err
    assert "'actividades': falta (constancia de las actividades realizadas)" in short
    done = act(ande, "ues", "BPD-0001", "cerrar", "2026-10-30", actividades="Plataforma en producción")
    assert done.code == 0, done.err
    facts = json.loads(ok(ande, "ues", "ver", "BPD-0001", "--json").out)["hechos"]
    assert state(ande, "BPD-0001") == "cerrada"
    assert facts["desembolsos"]["final"] == {"monto": "160000.00", "fecha": "2026-10-30", "reembolso": True}
    assert "OK" in ok(ande, "auditor", "auditoria", "verificar").out


def test_its_messages_are_written_in_its_own_wording_with_uruguays_clock(ande: str):
    """The clarification and the Directorio's decision reach the Persona Responsable, in ANDE's words
    (templates/ande_bpd_2025/), with the source they cite and Montevideo's clock; nothing of FONDECYT."""
    act(ande, "ues", "BPD-0003", "pedir_aclaracion", "2025-12-01", pedido="Adjunte el certificado de vigencia DGI")
    act(ande, "ues", "BPD-0003", "responder_aclaracion", "2025-12-02", respuesta="Adjuntado")
    _approved(ande, "BPD-0003")
    rows = json.loads(ok(ande, "ues", "correos", "--caso", "BPD-0003", "--json").out)
    kinds = {r["tipo"]: r for r in rows}
    assert {"aclaracion", "resultado"} <= set(kinds)
    for tipo in ("aclaracion", "resultado"):
        shown = ok(ande, "ues", "correos", "previsualizar", str(kinds[tipo]["id"])).out
        assert "BPD-0003" in shown and "FONDECYT" not in shown and "ANDE" in shown, shown
    aclaracion = ok(ande, "ues", "correos", "previsualizar", str(kinds["aclaracion"]["id"])).out
    assert "hasta el 08/12/2025 (hora de Montevideo" in aclaracion
    assert "B «Ámbitos de evaluación y aprobación»" in " ".join(aclaracion.split())
    assert "responsable3@example.org" in json.dumps(kinds["aclaracion"])


def test_listar_names_each_case_call_and_filters_by_it(imported, ande: str):
    both = ok(ande, "ues", "listar", "--por-pagina", "200").out
    assert "Convocatoria" in both and "E062-2019-01" in both and "ANDE-BPD-2025" in both
    assert "Persona Responsable 1" in both and "Cámara 1" in both  # as ANDE's book words its parties
    only = ok(ande, "ues", "listar", "--convocatoria", CALL).out
    assert "3 casos de ANDE-BPD-2025" in only and "E062-" not in only
    rows = json.loads(ok(ande, "ues", "listar", "--convocatoria", "E062-2019-01", "--json").out)
    assert rows and {r["convocatoria"] for r in rows} == {"E062-2019-01"}
    err = convoca("listar", "--convocatoria", "X-1", env=env(ande, "ues")).err
    assert "Convocatoria desconocida: X-1. Convocatorias: ANDE-BPD-2025, E062-2019-01" in err


def test_a_call_file_naming_an_unknown_book_is_refused_naming_the_file(ande: str, tmp_path: Path):
    path = tmp_path / "otra.toml"
    path.write_text(ANDE_CALL.read_text(encoding="utf-8").replace('reglamento = "ande-bpd-2025"',
                                                                  'reglamento = "ande-2030"')
                    .replace('codigo = "ANDE-BPD-2025"', 'codigo = "ANDE-2030"'), encoding="utf-8")
    done = convoca("init", "--convocatoria", str(path), env=env(ande, "admin"))
    assert done.code != 0
    assert "otra.toml" in done.err and "el libro de reglas 'ande-2030' no está registrado" in done.err, done.err
    assert "ANDE-2030" not in ok(ande, "ues", "listar", "--por-pagina", "200").out
    assert convoca("listar", "--convocatoria", "ANDE-2030", env=env(ande, "ues")).code != 0


def test_a_call_file_whose_time_zone_is_not_its_jurisdictions_is_refused(ande: str, tmp_path: Path):
    path = tmp_path / "zona.toml"
    path.write_text(ANDE_CALL.read_text(encoding="utf-8").replace('zona_horaria = "America/Montevideo"',
                                                                  'zona_horaria = "America/Lima"'), encoding="utf-8")
    done = convoca("init", "--convocatoria", str(path), env=env(ande, "admin"))
    assert done.code != 0 and "zona.toml" in done.err and "America/Montevideo" in done.err, done.err


def test_plazos_names_each_deadline_call_and_filters_by_it(ande: str):
    act(ande, "ues", "BPD-0001", "pedir_aclaracion", "2025-12-01", pedido="Adjunte el certificado DGI")
    rows = json.loads(ok(ande, "ues", "plazos", "--convocatoria", CALL, "--json").out)
    assert [(r["codigo"], r["tipo"], r["convocatoria"], r["vence"]) for r in rows] == [
        ("BPD-0001", "PA", CALL, "2025-12-08")]
    assert json.loads(ok(ande, "ues", "plazos", "--convocatoria", "E062-2019-01", "--json").out) == []
    assert "Convocatoria desconocida: X-1" in convoca("plazos", "--convocatoria", "X-1", env=env(ande, "ues")).err


def test_planilla_cronograma_a_rendition_deadline_runs_for_each_period_of_the_project(ande: str):
    """X «Cronograma» 3: P1 start–April, P2 May–July, P3 August–October 2026; [policy] 10 Uruguayan
    business days after each period to render it. A rendition of a period closes that period's deadline."""
    _executing(ande)
    rows = json.loads(ok(ande, "ues", "plazos", "--caso", "BPD-0001", "--json").out)
    periodos = {r["hito"]: r["vence"] for r in rows if r["tipo"] == "PR"}
    assert periodos == {"1": "2026-05-15", "2": "2026-08-14", "3": "2026-11-13"}  # 1 May is a holiday in Uruguay
    assert act(ande, "monitor", "BPD-0001", "rendir", "2026-05-05", hito="1", monto_ande="1000",
               monto_contrapartida="0").code == 0
    left = {r["hito"] for r in json.loads(ok(ande, "ues", "plazos", "--caso", "BPD-0001", "--json").out)
            if r["tipo"] == "PR"}
    assert left == {"2", "3"}
    err = act(ande, "monitor", "BPD-0001", "rendir", "2026-05-05", hito="7", monto_ande="1", monto_contrapartida="0").err
    assert "planilla «Cronograma» 3: el período 7 no es de este proyecto (períodos: 1, 2, 3)" in err


def test_informe_is_of_one_call_names_it_and_writes_its_currency(ande: str):
    _executing(ande)
    assert act(ande, "ues", "BPD-0001", "desembolsar", "2026-02-05", tramo="anticipo").code == 0
    out = ok(ande, "direccion", "informe", "--convocatoria", CALL, "--al", "2026-03-01").out
    assert f"{CALL}: propuestas por estado al 2026-03-01 (3)" in out
    assert "$ 480 000.00" in out and "S/" not in out  # the advance, 30 % of 1 600 000, in Uruguayan pesos
    e062 = ok(ande, "direccion", "informe", "--convocatoria", "E062-2019-01", "--al", "2020-03-01").out
    assert "E062-2019-01: propuestas por estado" in e062 and "BPD-" not in e062


# ── The stage commands a book declares (states/ande_bpd_2025/atajos.py) ────────────────────────

def test_pautas_evaluar_is_the_committee_s_sheet_for_an_ande_case(ande: str):
    """`convoca evaluar` serves both books: for an ANDE case it takes the Pautas' eleven criteria and
    answers with the weighted score; E062's sheet options are refused naming the case's book."""
    assert act(ande, "ues", "BPD-0001", "admitir", "2025-12-05").code == 0
    wrong = convoca("evaluar", "BPD-0001", "--presencia", "4", "--fecha", "2025-12-15", env=env(ande, "comite"))
    assert wrong.code == 2 and "no lleva --presencia" in wrong.err and "ANDE" in wrong.err
    notas = [a for k, v in NOTAS.items() for a in (f"--{k}", v)]
    done = convoca("evaluar", "BPD-0001", *notas, "--recomendacion", "aprobar", "--informe", "Pertinente",
                   "--fecha", "2025-12-15", env=env(ande, "comite"))
    assert done.code == 0, done.err
    assert "BPD-0001: puntaje ponderado 3.85" in done.out and "recomendación al Directorio: aprobar" in done.out
    assert state(ande, "BPD-0001") == "evaluada"
    help_ = convoca("evaluar", "--help", env=env(ande, "comite")).out
    assert "Datos de ANDE «Bienes Públicos Digitales» 2025" in help_ and "--xi" in help_


def test_a_stage_command_the_case_book_does_not_give_is_refused(ande: str):
    done = convoca("hito", "BPD-0001", "1", "presentar_itf", env=env(ande, "monitor"))
    assert done.code == 2 and "no tiene el comando «hito»" in done.err and "convoca avanzar" in done.err
    assert state(ande, "BPD-0001") == "presentada"


def test_a_monitor_digest_names_each_case_call_and_filters_by_it(imported, ande: str):
    """`monitor` follows cases of both calls: each line of the digest says its call, and
    `--convocatoria` keeps one call's."""
    act(ande, "ues", "BPD-0001", "pedir_aclaracion", "2025-12-01", pedido="Adjunte el certificado DGI")
    resumen = ["correos", "resumen", "--monitor", "monitor"]
    both = convoca(*resumen, env=env(ande, "ues", "2025-12-02T09:00"))
    assert both.code == 0 and "BPD-0001 (ANDE-BPD-2025)" in both.out, both.err + both.out
    solo = convoca(*resumen, "--convocatoria", "E062-2019-01", env=env(ande, "ues", "2025-12-02T09:00"))
    assert solo.code == 0 and "BPD-0001" not in solo.out, solo.err


def test_the_deadline_service_counts_each_call_in_its_own_time_zone(ande: str):
    """The clarification's deadline ends on 2025-12-08 in Montevideo. At 23:30 there it is still that
    day; at 01:30 of the 9th there (23:30 of the 8th in Lima) it has passed, whatever Lima's day."""
    act(ande, "ues", "BPD-0001", "pedir_aclaracion", "2025-12-01", pedido="Adjunte el certificado DGI")
    ahora = env(ande, "ues", "2025-12-09T09:00")

    def vencidos() -> int:
        rows = json.loads(ok(ande, "auditor", "auditoria", "--caso", "BPD-0001", "--json").out)
        return sum(r["evento"] == "plazo_vencido" for r in rows)

    assert convoca("vigilar", "--ahora", "2025-12-08T21:30-05:00", env=ahora).code == 0
    assert vencidos() == 0  # 23:30 of the 8th in Montevideo: the day is not over
    done = convoca("vigilar", "--ahora", "2025-12-08T23:30", env=ahora)  # Lima's time: the 9th in Montevideo
    assert done.code == 0, done.err
    assert vencidos() == 1


def test_auditoria_names_each_row_call_and_filters_by_it(imported, ande: str):
    rows = json.loads(ok(ande, "auditor", "auditoria", "--json").out)
    assert {r["convocatoria"] for r in rows} >= {"E062-2019-01", CALL}
    assert next(r for r in rows if r["caso"] == f"convocatoria:{CALL}")["convocatoria"] == CALL
    solo = json.loads(ok(ande, "auditor", "auditoria", "--convocatoria", CALL, "--json").out)
    assert solo and {r["convocatoria"] for r in solo} == {CALL}
    assert {r["caso"] for r in solo} >= {"BPD-0001", f"convocatoria:{CALL}"}
    assert "Convocatoria" in ok(ande, "auditor", "auditoria").out
    unknown = convoca("auditoria", "--convocatoria", "X-1", env=env(ande, "auditor"))
    assert unknown.code != 0 and "Convocatoria desconocida: X-1" in unknown.err


def test_an_act_dated_by_montevideo_s_day_is_legal_to_every_verifier(ande: str, tmp_path: Path):
    """At 23:30 of 2025-12-08 in Lima it is already the 9th in Montevideo: an ANDE act without --fecha
    takes the 9th, and neither convoca's verification nor the auditor's standalone verifier calls that
    row future-dated (the verifier reads each call's time zone from the row that loaded it)."""
    import subprocess
    import sys

    done = convoca("avanzar", "BPD-0001", "pedir_aclaracion", "--dato", "pedido=Adjunte el certificado DGI",
                   env=env(ande, "ues", "2025-12-08T23:30"))
    assert done.code == 0 and "fecha efectiva 2025-12-09" in done.out, done.err + done.out
    assert "OK" in ok(ande, "auditor", "auditoria", "verificar").out
    ok(ande, "auditor", "auditoria", "exportar", str(tmp_path / "exp"))
    checked = subprocess.run([sys.executable, "-I", str(tmp_path / "exp" / "verificar_auditoria.py"),
                              str(tmp_path / "exp")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
