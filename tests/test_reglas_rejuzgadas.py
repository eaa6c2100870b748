"""`auditoria verificar` fires every act of a case again, by the one judge, on the installation as it
stood when the act was registered (workflow/engine/rejudging.py): a row written around convoca with a
valid hash, a legal transition and an author who held the role is still named when the rules refuse
it. Run on SQLite and PostgreSQL (there as the database's owner, the one who can write such a row)."""
from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from tests.cli import convoca
from tests.conftest import Walker
from tests.test_registro_inviolable import forge, sql, verificar
from workflow.clock import LIMA
from workflow.storage.tables import AUDITORIA, PLAZO

CASO = "E062-0001"


def _last(walker: Walker, evento: str) -> dict:
    a = AUDITORIA.c
    row = walker.session.execute(select(a.caso_id, a.usuario, a.rol, a.estado_destino, a.datos, a.entrada)
                                 .where(a.codigo == CASO, a.evento == evento, a.aceptado.is_(True))
                                 .order_by(a.id.desc()).limit(1)).mappings().one()
    walker.session.rollback()
    return dict(row)


def _plant(db_url: str, legit: dict, entrada: dict | None, datos: dict, evento: str = "registrar_gasto") -> None:
    """A row as the monitor's own act would be written: same author, role, case and state, hashed and chained."""
    forge(db_url, caso_id=legit["caso_id"], codigo=CASO, evento=evento, usuario=legit["usuario"], rol=legit["rol"],
          estado_origen=legit["estado_destino"], estado_destino=legit["estado_destino"],
          fecha_efectiva=datetime(2020, 3, 2).date(), registrado_en=datetime.now(LIMA), login=None,
          entrada=entrada, datos=datos)


def test_guia_2_4_a_planted_expense_on_a_reused_receipt_is_named_with_its_rule(walker: Walker, db_url: str):
    """The monitor's own S/ 250 000 expense on a receipt that already backs another: the chain, the
    author and the transition verify; the rules do not."""
    walker.to(CASO, "hitos")
    walker.step(CASO, "registrar_gasto")
    verificar(db_url, code=0)
    legit = _last(walker, "registrar_gasto")
    entrada = {**legit["entrada"], "monto": "250000.00", "fecha_comprobante": "2020-03-01"}
    [(n, gasto)] = legit["datos"]["gastos"].items()
    datos = {"gastos": {str(int(n) + 1): {**gasto, "monto": "250000.00", "fecha_comprobante": "2020-03-01",
                                          "registrado": "2020-03-02"}}}
    _plant(db_url, legit, entrada, datos)
    err = verificar(db_url).err
    line = next(x for x in err.splitlines() if x.startswith("REGLA INCUMPLIDA"))
    assert f"(registrar_gasto, {CASO}, {legit['usuario']})" in line
    assert "Guía §2.4" in err and legit["entrada"]["comprobante"] in err  # the receipt already used
    assert "Guía §3.4" in err and "250" in err  # over the line's balance
    assert "CADENA ROTA" not in err and "EVENTO ILEGAL" not in err  # nothing else gives it away


def test_facts_the_act_does_not_give_are_named(walker: Walker, db_url: str):
    """A lawful expense whose row also records a disbursement nobody made."""
    walker.to(CASO, "hitos")
    walker.step(CASO, "registrar_gasto")
    legit = _last(walker, "registrar_gasto")
    entrada = {**legit["entrada"], "comprobante": "F009-7777", "fecha_comprobante": "2020-03-01", "monto": "10.00"}
    [(n, gasto)] = legit["datos"]["gastos"].items()
    datos = {"gastos": {str(int(n) + 1): {**gasto, "comprobante": "F009-7777", "fecha_comprobante": "2020-03-01",
                                          "monto": "10.00", "registrado": "2020-03-02"}},
             "ejecucion": {"monto_desembolsado": "900000.00"}}
    _plant(db_url, legit, entrada, datos)
    assert "registra hechos que el acto no da, en: ejecucion" in verificar(db_url).err


def test_an_act_without_the_data_it_was_judged_on_is_named(walker: Walker, db_url: str):
    walker.to(CASO, "hitos")
    walker.step(CASO, "registrar_gasto")
    legit = _last(walker, "registrar_gasto")
    _plant(db_url, legit, None, legit["datos"])
    assert "no guarda los datos con que se registró (entrada)" in verificar(db_url).err


def test_rules_about_other_cases_are_judged_as_the_call_then_stood(tmp_path: Path, demo_db: Path):
    """Published results, then a proposal imported late whose coordinator already leads another one: the
    publication («every proposal decided», «one proposal per coordinator») was lawful when it was made."""
    from states.historia import write_csv
    from states.pct_2019.demo_data import proposals

    db = tmp_path / "demo.db"
    shutil.copy(demo_db, db)
    url = f"sqlite:///{db}"
    late = proposals(1)[0] | {"codigo": "E062-0100"}
    path = write_csv([late], tmp_path / "tarde.csv")
    assert convoca("--db", str(db), "importar", str(path), "--convocatoria", "E062-2019-01", "--usuario",
                   "mesa.partes").code == 0
    assert verificar(url, code=0).out.startswith("OK: ")


def test_deadline_operations_the_act_does_not_give_are_named(walker: Walker, db_url: str):
    """A lawful expense whose row also closes the project's execution period: the ledger the log rebuilds
    would follow the row; the judge says the act closes nothing."""
    walker.to(CASO, "hitos")
    walker.step(CASO, "registrar_gasto")
    legit = _last(walker, "registrar_gasto")
    plazo = walker.session.execute(select(PLAZO.c.id).where(PLAZO.c.codigo == CASO, PLAZO.c.tipo == "P11")).scalar_one()
    walker.session.rollback()
    entrada = {**legit["entrada"], "comprobante": "F009-7777", "fecha_comprobante": "2020-03-01", "monto": "10.00"}
    [(n, gasto)] = legit["datos"]["gastos"].items()
    datos = {"gastos": {str(int(n) + 1): {**gasto, "comprobante": "F009-7777", "fecha_comprobante": "2020-03-01",
                                          "monto": "10.00", "registrado": "2020-03-02"}}}
    forge(db_url, caso_id=legit["caso_id"], codigo=CASO, evento="registrar_gasto", usuario=legit["usuario"],
          rol=legit["rol"], estado_origen="hitos", estado_destino="hitos", fecha_efectiva=datetime(2020, 3, 2).date(),
          registrado_en=datetime.now(LIMA), login=None, entrada=entrada, datos=datos,
          plazos=[{"accion": "cerrar", "id": plazo, "tipo": "P11", "hito": None, "estado": "cumplido",
                   "cerrado_por": "registrar_gasto", "cerrado_el": "2020-03-02"}])
    err = verificar(db_url).err
    assert "registra operaciones de plazos que el acto no da: cerrar P11; el acto da: ninguna" in err


def test_bases_2_3_1_a_proposal_recorded_without_its_defect_is_named(walker: Walker, db_url: str):
    """A proposal over the maximum amount, written straight into the log with no defect recorded."""
    hechos = _last(walker, "postular")["datos"]
    hechos = {**hechos, "postulacion": {**hechos["postulacion"], "monto_solicitado": "999999.00"}}
    hechos["postulacion"].pop("defectos", None)
    sql(db_url, "INSERT INTO caso (id, codigo, convocatoria, estado, version, hechos) VALUES (777, 'E062-0777', "
                f"'E062-2019-01', 'postulada', 1, '{json.dumps(hechos)}')")
    forge(db_url, caso_id=777, codigo="E062-0777", evento="postular", usuario="ues", rol="ues",
          estado_destino="postulada", fecha_efectiva=datetime(2019, 10, 10).date(), registrado_en=datetime.now(LIMA),
          login=None, datos=hechos)
    err = verificar(db_url).err
    assert "(postular, E062-0777, ues): defectos registrados: ninguno; las reglas dan: Bases §2.3.1" in err
    assert "CASO ALTERADO" not in err  # the case is what its forged row says: only the rules tell


def test_a_proposal_of_no_case_is_named(db_url: str):
    forge(db_url, codigo="E062-0778", evento="postular", usuario="ues", rol="ues", estado_destino="postulada",
          fecha_efectiva=datetime(2019, 10, 10).date(), registrado_en=datetime.now(LIMA), login=None, datos={})
    assert "(postular, E062-0778, ues): una postulación sin su caso" in verificar(db_url).err


def test_bases_3_2_2_a_registry_flag_the_act_does_not_raise_is_named(walker: Walker, db_url: str):
    """A coordinator's DNI put on the registry of impediments by a lawful expense's row (and its registry
    row, as the act that raised it would have written it): the registry verifies, the act does not."""
    walker.to(CASO, "hitos")
    walker.step(CASO, "registrar_gasto")
    legit = _last(walker, "registrar_gasto")
    entrada = {**legit["entrada"], "comprobante": "F009-7777", "fecha_comprobante": "2020-03-01", "monto": "10.00"}
    [(n, gasto)] = legit["datos"]["gastos"].items()
    datos = {"gastos": {str(int(n) + 1): {**gasto, "comprobante": "F009-7777", "fecha_comprobante": "2020-03-01",
                                          "monto": "10.00", "registrado": "2020-03-02"}}}
    flag = {"tipo": "coordinador", "documento": "45678912", "nombre": "Rival", "desde": "2020-03-02", "hasta": "2022-03-02",
            "motivo": "inventado", "fuente": "Bases §3.2.2", "caso": CASO}
    forge(db_url, caso_id=legit["caso_id"], codigo=CASO, evento="registrar_gasto", usuario=legit["usuario"],
          rol=legit["rol"], estado_origen="hitos", estado_destino="hitos", fecha_efectiva=datetime(2020, 3, 2).date(),
          registrado_en=datetime.now(LIMA), login=None, entrada=entrada, datos=datos, efectos={"registro": [flag]})
    sql(db_url, "INSERT INTO registro (tipo, documento, nombre, desde, hasta, motivo, fuente, caso, auditoria_id) "
                "SELECT 'coordinador', '45678912', 'Rival', '2020-03-02', '2022-03-02', 'inventado', 'Bases §3.2.2', "
                f"'{CASO}', max(id) FROM auditoria")
    err = verificar(db_url).err
    assert "escribe en el registro de impedimentos lo que el acto no da: coordinador 45678912" in err
    assert "REGISTRO ALTERADO" not in err


def test_tuo_145_a_move_of_the_calendar_that_no_calendar_gives_is_named(walker: Walker, db_url: str):
    """Under the calendar's name, the execution period put off a year (and the ledger row moved to match)."""
    walker.to(CASO, "hitos")
    legit = _last(walker, "asignar_monitor")
    plazo_id, vence = walker.session.execute(select(PLAZO.c.id, PLAZO.c.vence).where(
        PLAZO.c.codigo == CASO, PLAZO.c.tipo == "P11")).one()
    walker.session.rollback()
    nuevo = vence.replace(year=vence.year + 1)
    forge(db_url, caso_id=legit["caso_id"], codigo=CASO, evento="prorrogar_plazos", usuario="calendario", rol="sistema",
          estado_origen="hitos", estado_destino="hitos", fecha_efectiva=datetime(2020, 3, 2).date(),
          registrado_en=datetime.now(LIMA), login=None, nota="DS inventado",
          plazos=[{"accion": "mover", "id": plazo_id, "tipo": "P11", "hito": None, "vence_anterior": vence.isoformat(),
                   "vence": nuevo.isoformat(), "motivo": "DS inventado"}])
    sql(db_url, f"UPDATE plazo SET vence = '{nuevo.isoformat()}' WHERE id = {plazo_id}")
    err = verificar(db_url).err
    assert f"(prorrogar_plazos, {CASO}, calendario): mueve el plazo P11 al {nuevo.isoformat()}, y con el calendario " \
           "de entonces no se mueve" in err
    assert "CASO ALTERADO" not in err


def test_a_holiday_the_official_calendar_does_not_have_is_named(db_url: str):
    forge(db_url, codigo="convocatoria:E062-2019-01", evento="guardar_feriados", usuario="calendario", rol="sistema",
          fecha_efectiva=datetime(2019, 12, 1).date(), registrado_en=datetime.now(LIMA), login=None,
          datos={"anios": [2031], "dias": 1, "fuente": "holidays", "feriados": [["2031-12-09", "Día inventado"]]})
    sql(db_url, "INSERT INTO feriado (pais, fecha, nombre, fuente) VALUES ('PE', '2031-12-09', 'Día inventado', 'holidays')")
    err = verificar(db_url).err
    assert "(guardar_feriados, convocatoria:E062-2019-01, calendario): los feriados guardados no son los de 2031 según " \
           "el paquete holidays" in err
    assert "FERIADO ALTERADO" not in err
