"""A record that proves who acted, when, and under which rules: identity from an authenticated login,
time that only moves forward, rules/calendar/users changes in the chain, tables checked against the
log, safe exports and bounded input. Run on SQLite and on the real PostgreSQL of `make test`."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlmodel import Session

from states.call import DEFAULT_CALL
from states.pct_2019.demo_data import COMITE
from tests.cli import convoca
from tests.conftest import CLOCK, ON_POSTGRES, Walker, snapshot
from workflow.engine.selection import publish
from workflow.errors import ConvocaError
from workflow.storage.db import connect
from workflow.storage.identity import os_login
from workflow.storage.models import AuditRecord, CaseRecord, Message

ME = "postgres" if ON_POSTGRES else os_login()
"""The login the database authenticates for this test run (the test server's superuser on PostgreSQL)."""


def last_rows(url: str, n: int = 1) -> list[AuditRecord]:
    engine = connect(url)
    with Session(engine) as s:
        rows = s.execute(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(n)).scalars().all()
    engine.dispose()
    return rows


def audit_count(url: str) -> int:
    engine = connect(url)
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM auditoria")).scalar_one()
    engine.dispose()
    return n


def runner(url: str, **env: str | None):
    base = {"CONVOCA_DB": url, "CONVOCA_USUARIO": None, "CONVOCA_AHORA": None, "COLUMNS": "200", **env}

    def run(*args: str, code: int = 0, **extra: str | None):
        done = convoca(*args, env={**base, **extra})
        assert done.code == code, (args, done)
        return done

    return run


@pytest.fixture
def prod(empty_db_url: str):
    """A production database: its first admin is linked to the login that created it."""
    run = runner(empty_db_url)
    run("init")
    run("usuarios", "agregar", "admin", "--rol", "admin")
    return run


@pytest.fixture
def rehearsal(db_url: str, walker: Walker):
    return runner(db_url, CONVOCA_AHORA="2020-12-31T10:00")


# --- 1. Identity -------------------------------------------------------------------------------

def test_first_admin_is_linked_to_the_login_that_created_it(prod):
    users = json.loads(prod("usuarios", "listar", "--json").out)
    assert users == [{"nombre": "admin", "rol": "admin", "email": None, "login": ME, "activo": True}]


def test_usuario_naming_another_user_is_refused_and_audited_with_the_login(prod, empty_db_url: str):
    prod("usuarios", "agregar", "de.director", "--rol", "direccion", "--login", "otra_cuenta")
    done = prod("usuarios", "agregar", "intruso", "--rol", "admin", "--usuario", "de.director", code=2)
    assert f"el login {ME} corresponde al usuario admin: no puede actuar como de.director" in done.err
    row = last_rows(empty_db_url)[0]
    # recorded as the login's own user, never as the one it named: nobody's record gets another's attempt
    assert (row.aceptado, row.usuario, row.login, row.evento) == (False, "admin", ME, "agregar_usuario")
    assert row.datos["se_presento_como"] == "de.director"
    assert not [r for r in json.loads(prod("auditoria", "--usuario", "de.director", "--json").out) if not r["aceptado"]]
    # the variable is no way around it either
    prod("usuarios", "agregar", "intruso", "--rol", "admin", code=2, CONVOCA_USUARIO="de.director")
    assert [u["nombre"] for u in json.loads(prod("usuarios", "listar", "--json").out)] == ["admin", "de.director"]
    # naming oneself is fine
    prod("usuarios", "agregar", "ana.ruiz", "--rol", "ues", "--login", "ana_ruiz", "--usuario", "admin")


def test_every_audit_row_records_the_login(prod, empty_db_url: str):
    prod("usuarios", "agregar", "ana.ruiz", "--rol", "ues", "--login", "ana_ruiz")
    rows = json.loads(prod("auditoria", "--json").out)
    assert [(r["evento"], r["login"]) for r in rows] == [
        ("cargar_convocatoria", ME), ("guardar_feriados", ME), ("agregar_usuario", ME), ("agregar_usuario", ME)]


def test_a_production_user_needs_a_login(prod):
    done = prod("usuarios", "agregar", "sin.login", "--rol", "ues", code=2)
    assert "Indique el login que autentica a este usuario (--login)" in done.err


def test_pinned_clock_is_refused_on_a_production_database_and_the_attempt_logged(prod, empty_db_url: str):
    done = prod("listar", code=2, CONVOCA_AHORA="2019-12-16T09:00")
    assert "CONVOCA_AHORA=2019-12-16T09:00 fija el reloj y solo se acepta en una base de ensayo" in done.err
    row = last_rows(empty_db_url)[0]
    assert (row.evento, row.aceptado, row.login) == ("fijar_reloj", False, ME)


@pytest.fixture
def another_rehearsal(tmp_path: Path, postgres) -> str:
    """A rehearsal database beside the production one of `prod` (which holds the default file)."""
    from tests.conftest import initialise

    if postgres:
        return postgres.url(postgres.new_database(template="prueba_1"))
    return initialise(f"sqlite:///{tmp_path / 'ensayo.db'}")


def test_a_production_database_never_becomes_a_rehearsal_and_a_rehearsal_stays_one(prod, another_rehearsal: str):
    assert "no puede convertirse en una base de ensayo" in prod("init", "--ensayo", code=2).err
    rehearsal = runner(another_rehearsal)
    rehearsal("init", "--usuario", "admin")  # without --ensayo: still a rehearsal
    assert rehearsal("listar").out.startswith("ENSAYO")
    assert all(r["ensayo"] for r in json.loads(rehearsal("usuarios", "listar", "--json").out))
    assert not prod("listar").out.startswith("ENSAYO")


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL logins")
def test_postgresql_login_is_the_servers_and_cannot_act_as_another_user(postgres, empty_db_url: str, tmp_path: Path):
    from sqlalchemy import make_url

    from states.historia import write_csv
    from states.pct_2019.demo_data import proposals

    for statement in ("CREATE ROLE convoca_oficial NOLOGIN",
                      "CREATE ROLE ana_ruiz LOGIN IN ROLE convoca_oficial",
                      "CREATE ROLE beto_paz LOGIN IN ROLE convoca_oficial",
                      "CREATE ROLE sin_usuario LOGIN IN ROLE convoca_oficial"):
        postgres.sql(f"DO $$ BEGIN {statement}; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    installer = runner(empty_db_url)
    installer("init", "--grupo", "convoca_oficial")
    installer("usuarios", "agregar", "admin", "--rol", "admin")
    installer("usuarios", "agregar", "ana.ruiz", "--rol", "ues", "--login", "ana_ruiz")
    installer("usuarios", "agregar", "beto.paz", "--rol", "direccion", "--login", "beto_paz")
    url = make_url(empty_db_url)
    as_ana = runner(url.set(username="ana_ruiz").render_as_string(hide_password=False))
    as_nobody = runner(url.set(username="sin_usuario").render_as_string(hide_password=False))

    as_ana("importar", str(write_csv(proposals(3), tmp_path / "p.csv")))  # as ana.ruiz, from her login
    done = as_ana("avanzar", "E062-0001", "desistir", "--dato", "causa=renuncia", "--fecha", "2019-10-20",
                  "--usuario", "beto.paz", code=2)
    assert "el login ana_ruiz corresponde al usuario ana.ruiz: no puede actuar como beto.paz" in done.err
    assert "el login sin_usuario no está vinculado" in as_nobody("importar", "x.csv", code=2).err
    rows = last_rows(empty_db_url, 2)
    assert [(r.login, r.usuario, r.aceptado) for r in rows] == [("sin_usuario", "(sin usuario)", False),
                                                              ("ana_ruiz", "ana.ruiz", False)]  # never beto.paz's
    assert rows[1].datos["se_presento_como"] == "beto.paz"
    # the login of a row is the server's, whatever the client writes
    engine = connect(url.set(username="ana_ruiz").render_as_string(hide_password=False))
    with engine.begin() as conn:
        with pytest.raises(Exception, match="permission denied for table auditoria"):  # officers only append
            conn.execute(text("UPDATE auditoria SET login = 'beto_paz' WHERE id = 1"))
    with engine.begin() as conn:
        head = conn.execute(text("SELECT ultimo_id, ultimo_hash FROM convoca_cabeza()")).one()  # as the app does
        conn.execute(text(
            "INSERT INTO auditoria (id, codigo, evento, usuario, rol, login, registrado_en, fecha_efectiva, datos, "
            "reglas, plazos, aceptado, motivos, hash_previo, hash) VALUES (:id, 'x', 'x', 'ana.ruiz', 'ues', "
            "'beto_paz', clock_timestamp(), '2019-01-01', '{}', '[]', '[]', true, '[]', :h, '')"),
            {"id": head.ultimo_id + 1, "h": head.ultimo_hash})
        stored = conn.execute(text("SELECT login FROM auditoria WHERE id = :id"), {"id": head.ultimo_id + 1}).scalar()
        assert stored == "ana_ruiz"
        conn.rollback()
    engine.dispose()


# --- 2. Time that only moves forward ------------------------------------------------------------

def test_effective_dates_between_launch_and_today_and_in_their_place(rehearsal, walker: Walker, session):
    c = walker.to("E062-0001", "contratada")  # last fact: contract signed 2019-12-02
    before = snapshot(session)
    cuenta = ["--dato", "banco=BN", "--dato", "numero=1", "--dato", "cci=01806800006812345678", "--usuario", "monitor"]
    assert "anterior al lanzamiento de la convocatoria (2019-09-24)" in rehearsal(
        "avanzar", c, "registrar_cuenta", "--fecha", "2019-01-01", *cuenta, code=2).err
    # before the contract it needs (2019-12-02): in that place of the history the event does not fit
    assert "con fecha 2019-11-30, en su lugar en la historia del caso: registrar_cuenta no procede en estado 'aprobada'" \
        in rehearsal("avanzar", c, "registrar_cuenta", "--fecha", "2019-11-30", *cuenta, code=2).err
    assert "posterior a hoy (2020-12-31)" in rehearsal(
        "avanzar", c, "registrar_cuenta", "--fecha", "2021-01-04", *cuenta, code=2).err
    assert snapshot(session) == before
    rehearsal("avanzar", c, "registrar_cuenta", "--fecha", "2019-12-02", *cuenta)


def test_publication_before_the_close_is_refused_and_queues_nothing(rehearsal, walker: Walker, session):
    for c in ("E062-0001", "E062-0002"):
        walker.to(c, "evaluada")
    done = rehearsal("seleccionar", "--publicar", "--resolucion", "RDE-1", "--fecha", "2019-10-01",
                     "--usuario", "direccion", code=2)
    # dated before its evaluation (2019-11-08), the publication takes that place in the case's history
    assert "con fecha 2019-10-01, en su lugar en la historia del caso: publicar no procede en estado 'apta'" in done.err \
        or "con fecha 2019-10-01, el acto es anterior a la postulación del caso" in done.err
    assert "con fecha 2019-11-01, en su lugar en la historia del caso: publicar no procede en estado 'apta'" in rehearsal(
        "seleccionar", "--publicar", "--resolucion", "RDE-1", "--fecha", "2019-11-01", "--usuario", "direccion",
        code=2).err
    session.rollback()
    assert session.execute(select(func.count()).select_from(Message)).scalar_one() == 0


def test_an_acta_dated_after_its_publication_is_refused(walker: Walker, session):
    walker.to("E062-0001", "evaluada")
    acta = {"numero": "ACTA-1", "fecha": "2019-11-20", **COMITE, "seleccionadas": ["E062-0001"],
            "accesitarias": []}
    with pytest.raises(ConvocaError, match="está fechada el 2019-11-20, después de la publicación"):
        publish(session, walker_call(session), "RDE-1", date(2019, 11, 18), "direccion", CLOCK, acta)


def walker_call(session):
    from workflow.engine.calls import call_of

    return call_of(session)


def test_view_as_of_a_date_before_the_case_existed_says_so(rehearsal, walker: Walker):
    walker.to("E062-0001", "contratada")
    done = rehearsal("ver", "E062-0001", "--al", "2019-06-30")
    assert "E062-0001 no existía al 2019-06-30: su primer hecho es del 2019-" in done.out
    assert json.loads(rehearsal("ver", "E062-0001", "--al", "2019-06-30", "--json").out)["estado"] is None


def test_vigilar_never_acts_in_the_future_of_a_pinned_clock(rehearsal, db_url: str):
    n = audit_count(db_url)
    assert "vigilar puede ponerse al día con un día pasado, nunca actuar en el futuro" in rehearsal(
        "vigilar", "--ahora", "2021-06-01T09:00", code=2).err
    assert audit_count(db_url) == n + 1 and last_rows(db_url)[0].evento == "fijar_reloj"  # only the refusal


def test_vigilar_never_acts_in_the_future_of_the_real_clock(prod):
    prod("vigilar", "--ahora", "2099-06-01T09:00", code=2)
    prod("vigilar", "--ahora", "2020-06-01T09:00")  # catching up on a past day is fine


def test_asignar_takes_an_effective_date(rehearsal, db_url: str):
    rehearsal("asignar", "E062-0003", "monitor", "--fecha", "2019-10-20", "--usuario", "ues")
    row = last_rows(db_url)[0]
    assert (row.evento, row.fecha_efectiva, row.usuario) == ("asignar_monitor", date(2019, 10, 20), "ues")


# --- 3. Rules, calendar and users are events in the same chain ----------------------------------

def changed_call(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "E062-2019-01.toml"
    path.write_text(DEFAULT_CALL.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


def test_reloading_a_value_that_decided_an_outcome_needs_the_resolution(rehearsal, walker: Walker, db_url: str,
                                                                        tmp_path: Path):
    walker.to("E062-0001", "contratada")
    path = changed_call(tmp_path, 'monto_maximo = "25000.00"', 'monto_maximo = "30000.00"')
    assert "Permisos: el rol ues no puede cargar_convocatoria" in rehearsal(
        "init", "--convocatoria", str(path), "--usuario", "ues", code=2).err
    done = rehearsal("init", "--convocatoria", str(path), "--usuario", "admin", code=2)
    assert "seleccion.monto_maximo: 25000.00 → 30000.00, pero ya hay contratos firmados" in done.err
    assert last_rows(db_url)[0].aceptado is False
    rehearsal("init", "--convocatoria", str(path), "--usuario", "admin", "--resolucion", "RDE 045-2020-FONDECYT-DE")
    row = last_rows(db_url)[0]
    assert (row.evento, row.usuario, row.rol, row.nota) == ("cargar_convocatoria", "admin", "admin",
                                                            "RDE 045-2020-FONDECYT-DE")
    assert row.datos["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert row.datos["cambios"] == {"seleccion.monto_maximo": ["25000.00", "30000.00"]}


def test_places_change_freely_before_publication_and_the_diff_is_recorded(rehearsal, db_url: str, tmp_path: Path):
    path = changed_call(tmp_path, "plazas = 28", "plazas = 40")
    assert "seleccion.plazas: 28 → 40" in rehearsal("init", "--convocatoria", str(path), "--usuario", "direccion").out
    assert last_rows(db_url)[0].datos["cambios"] == {"seleccion.plazas": [28, 40]}
    assert "sin cambios" in rehearsal("init", "--convocatoria", str(path), "--usuario", "direccion").out
    n = audit_count(db_url)
    assert "sin cambios" in rehearsal("init", "--convocatoria", str(path)).out  # a schema upgrade asks no one
    assert audit_count(db_url) == n


def test_calendar_additions_are_audited_and_need_the_role(rehearsal, db_url: str):
    rehearsal("calendario", "agregar", "2020-03-16", "--hasta", "2020-06-10", "--tipo", "suspension",
              "--norma", "DU 026-2020", "--usuario", "direccion")
    row = last_rows(db_url)[0]
    assert (row.evento, row.usuario, row.datos["calendario"]["norma"]) == ("agregar_dia_no_laborable", "direccion",
                                                                           "DU 026-2020")
    assert "usuario desconocido 'fantasma'" in rehearsal(
        "calendario", "agregar", "2020-03-17", "--norma", "inventado", "--usuario", "fantasma", code=2).err
    assert "el rol monitor no puede agregar_dia_no_laborable" in rehearsal(
        "calendario", "agregar", "2020-03-17", "--norma", "inventado", "--usuario", "monitor", code=2).err
    assert [(r.usuario, r.aceptado) for r in last_rows(db_url, 2)] == [("monitor", False), ("fantasma", False)]


def test_user_changes_are_audited_and_the_last_admin_stays(prod, empty_db_url: str):
    prod("usuarios", "agregar", "luis", "--rol", "monitor", "--login", "luis")
    prod("usuarios", "desactivar", "luis")
    prod("usuarios", "reactivar", "luis")
    prod("usuarios", "rol", "luis", "--rol", "ues")
    assert "admin es el último admin activo" in prod("usuarios", "desactivar", "admin", code=2).err
    assert "admin es el último admin activo" in prod("usuarios", "rol", "admin", "--rol", "ues", code=2).err
    rows = json.loads(prod("auditoria", "--json").out)
    assert [(r["evento"], r["caso"], r["aceptado"]) for r in rows[-6:]] == [
        ("agregar_usuario", "usuario:luis", True), ("desactivar_usuario", "usuario:luis", True),
        ("reactivar_usuario", "usuario:luis", True), ("cambiar_rol", "usuario:luis", True),
        ("desactivar_usuario", "usuario:admin", False), ("cambiar_rol", "usuario:admin", False)]
    assert json.loads(prod("usuarios", "listar", "--json").out)[1]["rol"] == "ues"


def test_promotion_needs_a_place_really_left_and_still_free(rehearsal, walker: Walker, session):
    walker.to("E062-0002", "accesitaria")
    before = snapshot(session)
    done = rehearsal("promover", "--vacante", "E062-9999", "--fecha", "2019-11-25", "--usuario", "direccion", code=2)
    assert "E062-9999 no es una propuesta de esta convocatoria: no dejó ninguna plaza" in done.err
    assert "E062-0003 no dejó una plaza libre (estado = evaluada, nunca fue seleccionada)" in rehearsal(
        "promover", "--vacante", "E062-0003", "--fecha", "2019-11-25", "--usuario", "direccion", code=2).err
    assert snapshot(session) == before
    assert session.execute(select(func.count()).select_from(Message).where(Message.tipo == "promocion")).scalar() == 0
    walker.to("E062-0004", "aprobada")
    walker.step("E062-0004", "desistir")
    rehearsal("promover", "--vacante", "E062-0004", "--fecha", "2019-11-25", "--usuario", "direccion")
    walker.to("E062-0005", "accesitaria")
    assert "la plaza que dejó E062-0004 ya la ocupa E062-0002" in rehearsal(
        "promover", "--vacante", "E062-0004", "--fecha", "2019-11-26", "--usuario", "direccion", code=2).err


# --- 4. The auditor proves the tables match the log ---------------------------------------------

def test_verificar_names_every_case_edited_under_the_log(rehearsal, walker: Walker, db_url: str):
    walker.to("E062-0001", "contratada")
    walker.to("E062-0002", "apta")
    assert "cada tabla coincide" in rehearsal("auditoria", "verificar").out
    engine = connect(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE caso SET estado = 'cerrada' WHERE codigo = 'E062-0001'"))
        hechos = conn.execute(select(CaseRecord.hechos).where(CaseRecord.codigo == "E062-0002")).scalar_one()
        conn.execute(CaseRecord.__table__.update().where(CaseRecord.codigo == "E062-0002")
                     .values(hechos={**hechos, "entidad": {**hechos["entidad"], "razon_social": "Otra entidad S.A.C."}}))
        conn.execute(text("UPDATE plazo SET vence = '2021-01-01' WHERE codigo = 'E062-0001' AND tipo = 'P1'"))
    engine.dispose()
    done = rehearsal("auditoria", "verificar", code=4)
    assert "CASO ALTERADO E062-0001: guardado cerrada, según la auditoría contratada" in done.err
    assert "CASO ALTERADO E062-0002: hechos distintos de los de la auditoría en: entidad" in done.err
    assert "CASO ALTERADO E062-0001: plazos abiertos guardados: P1 pendiente al 2021-01-01" in done.err


# --- 5. Safe exports, bounded input -------------------------------------------------------------

def test_csv_export_neutralises_formulas(rehearsal):
    evil = '=HYPERLINK("http://example.invalid/x","clic")'
    rehearsal("avanzar", "E062-0001", "registrar_elegibilidad", "--dato", "ruc_activo=si", "--usuario", evil,
              "--nota", "@SUM(1+1)", code=2)
    exported = rehearsal("auditoria", "--csv").out.lstrip("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert "'" + evil in cells and "'@SUM(1+1)" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert all(row[0] == "ENSAYO" for row in list(csv.reader(io.StringIO(exported)))[1:])


def test_oversized_input_is_refused_and_its_trace_is_bounded(rehearsal, db_url: str):
    huge = ["--dato" if i % 2 == 0 else f"clave{i}={'x' * 120_000}" for i in range(20)]
    done = rehearsal("avanzar", "E062-0001", "registrar_elegibilidad", *huge, "--usuario", "ues", code=2)
    assert "tiene 120000 caracteres; el máximo es 4000" in done.err
    row = last_rows(db_url)[0]
    assert row.aceptado is False and row.datos["intento_caracteres"] > 1_000_000
    assert len(json.dumps(row.datos)) < 1_000 and len(json.dumps(row.motivos)) < 2_000
