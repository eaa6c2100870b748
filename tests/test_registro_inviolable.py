"""A record no officer can forge: every table a checked projection of the log, every row judged again,
the chain's head and the clock the server's, backups that are whole and an export an auditor
verifies alone. Each forgery a probe tried is here: refused by the database, or named by
`auditoria verificar` with exit 4. Run on SQLite and on the real PostgreSQL of `make test`."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import make_url, select, text

from notifications.outbox import queue
from tests.cli import convoca
from tests.conftest import ON_POSTGRES, Walker
from tests.smtp import smtp_server
from workflow.clock import LIMA
from workflow.storage import audit, merkle
from workflow.storage.db import connect
from workflow.storage.tables import AUDITORIA, AUDITORIA_CABEZA

CONVOCA = shutil.which("convoca", path=str(Path(sys.executable).parent)) or "convoca"


def run_as(url: str, *args: str, code: int = 0, **env: str | None):
    done = convoca(*args, env={"CONVOCA_DB": url, "CONVOCA_USUARIO": None, "COLUMNS": "200", **env})
    assert done.code == code, (args, done)
    return done


def verificar(url: str, *args: str, code: int = 4):
    return run_as(url, "auditoria", "verificar", *args, code=code, CONVOCA_AHORA="2020-12-31T10:00")


def forge(url: str, **row) -> None:
    """What someone with write access to the database and the public algorithm appends: a row chained
    and hashed exactly as convoca would (SQLite, where the file's permissions are the only boundary;
    on PostgreSQL the owner, with the guards switched off)."""
    engine = connect(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        head = conn.execute(select(AUDITORIA_CABEZA)).one()
        full = {"caso_id": None, "estado_origen": None, "estado_destino": None, "rol": None, "nota": None,
                "datos": {}, "reglas": [], "plazos": [], "aceptado": True, "motivos": [], "login": "root",
                "entrada": None, "refiere": None, "efectos": None, "registrado_en": datetime.now(LIMA), **row,
                "id": head.ultimo_id + 1, "hash_previo": head.ultimo_hash}
        full["hash"] = audit.chain_hash(head.ultimo_hash, full)
        conn.execute(AUDITORIA.insert().values(full))
        conn.execute(AUDITORIA_CABEZA.update().values(ultimo_id=full["id"], ultimo_hash=full["hash"],
                                                      filas=AUDITORIA_CABEZA.c.filas + 1))
        merkle.grow(conn, full["id"], [full["hash"]])  # the tree's nodes too: the algorithm is public
    engine.dispose()


def sql(url: str, *statements: str) -> None:
    """As the database's owner, who on PostgreSQL can even switch the guards off: the log still tells."""
    engine = connect(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        for s in statements:
            conn.execute(text(s))
    engine.dispose()


# --- every table a projection of the log (both databases; on PostgreSQL as the owner) ---------

@pytest.mark.parametrize("statements, named", [
    (["UPDATE usuario SET rol = 'admin' WHERE nombre = 'ana'"],
     "USUARIO ALTERADO ana rol: guardado admin, según la auditoría ues"),
    (["UPDATE usuario SET login = 'otra_cuenta' WHERE nombre = 'direccion'"],
     "USUARIO ALTERADO direccion login: guardado otra_cuenta, según la auditoría (ninguno)"),
    (["UPDATE caso SET monitor = 'admin' WHERE codigo = 'E062-0001'"],
     "CASO ALTERADO E062-0001: monitor guardado admin, según la auditoría monitor"),
    (["UPDATE convocatoria SET definicion = definicion || ' '"],
     "CONVOCATORIA ALTERADA E062-2019-01 sha256"),
    (["INSERT INTO feriado (pais, fecha, nombre, fuente) VALUES ('PE', '2019-12-09', 'Día inventado', 'x')"],
     "FERIADO ALTERADO PE 2019-12-09: está en la tabla y no está en la auditoría"),
    (["INSERT INTO dia_no_laborable (pais, desde, hasta, tipo, alcance, norma, agregado_por, agregado_en) VALUES "
      "('PE', '2019-12-10', '2019-12-10', 'no_laborable', 'nacional', 'DS falso', 'direccion', '2019-12-01')"],
     "CALENDARIO ALTERADO: 2019-12-10–2019-12-10 (no_laborable, DS falso) está 1 vez/veces en la tabla"),
    (["INSERT INTO registro (tipo, documento, desde, motivo, fuente, caso) VALUES "
      "('entidad', '20100047218', '2019-12-01', 'inventado', 'x', 'E062-0001')"],
     "REGISTRO ALTERADO entidad 20100047218 (fila (ninguno)): está en la tabla y no está en la auditoría"),
    (["UPDATE mensaje SET texto = 'Otro texto' WHERE id = (SELECT min(id) FROM mensaje)"],
     "su asunto o su texto no es el que se encoló"),
    (["UPDATE mensaje SET estado = 'enviado' WHERE id = (SELECT min(id) FROM mensaje)"],
     "y la auditoría no registra su entrega"),
    (["UPDATE mensaje SET estado = 'retirado' WHERE id = (SELECT min(id) FROM mensaje WHERE estado = 'pendiente')"],
     "estado retirado, según la auditoría pendiente"),
    (["UPDATE mensaje SET proximo_intento = '2099-01-01 00:00:00' WHERE estado = 'pendiente'"],
     "próximo intento 2099-01-01T00:00:00+00:00, según la auditoría ya: se demoraría un aviso"),
    (["UPDATE mensaje SET estado = 'enviando', proximo_intento = '2099-01-01 00:00:00' WHERE estado = 'pendiente'"],
     "tomado para enviar hasta 2099-01-01T00:00:00+00:00: más que los 10 minutos de un envío"),
    (["UPDATE mensaje SET intentos = 5, estado = 'fallido' WHERE estado = 'pendiente'"],
     "5 intentos, según la auditoría 0"),
    (["UPDATE plazo SET motivo = 'otro' WHERE tipo = 'NF' AND estado = 'anulado'"],
     "(NF) motivo: guardado otro, según la auditoría"),
    (["UPDATE plazo SET escalamiento_vence = '2020-01-01' WHERE tipo = 'P1'"],
     "(P1) escalamiento_vence: guardado 2020-01-01, según la auditoría (ninguno)"),
])
def test_a_write_around_convoca_is_named_by_verificar(walker: Walker, db_url: str, statements, named):
    walker.to("E062-0001", "contratada")
    verificar(db_url, code=0)
    sql(db_url, *statements)  # the database owner: no guard stops it; the log still tells
    assert named in verificar(db_url).err


def test_a_forged_row_that_verifies_is_still_an_illegal_event(walker: Walker, db_url: str):
    """A case that skipped eligibility, evaluation and selection, given a chained row naming the Dirección."""
    if ON_POSTGRES:
        pytest.skip("on PostgreSQL the chain's trigger refuses the row: test_an_officer_cannot_forge_the_record")
    walker.to("E062-0003", "postulada")
    sql(db_url, "UPDATE caso SET estado = 'aprobada' WHERE codigo = 'E062-0003'")
    caso_id = walker.session.execute(text("SELECT id FROM caso WHERE codigo = 'E062-0003'")).scalar()
    walker.session.rollback()
    forge(db_url, caso_id=caso_id, codigo="E062-0003", evento="publicar", estado_origen="postulada",
          estado_destino="aprobada", usuario="direccion", rol="direccion", fecha_efectiva=datetime.now(LIMA).date())
    forge(db_url, codigo="usuario:ana", evento="cambiar_rol", usuario="ana", rol="ues",
          fecha_efectiva=datetime.now(LIMA).date(),
          datos={"usuario": {"nombre": "ana", "antes": {"rol": "ues"}, "despues": {"rol": "admin"}}})
    sql(db_url, "UPDATE usuario SET rol = 'admin' WHERE nombre = 'ana'")
    err = verificar(db_url).err
    assert "CADENA ROTA" not in err and "CASO ALTERADO" not in err and "USUARIO ALTERADO" not in err
    assert "(publicar, E062-0003, direccion): publicar no procede desde postulada" in err
    assert "EVENTO ILEGAL" in err and "(cambiar_rol, usuario:ana, ana): el rol ues no puede cambiar_rol" in err


def test_the_registration_instant_never_goes_back(walker: Walker, db_url: str, monkeypatch):
    if ON_POSTGRES:
        pytest.skip("PostgreSQL: the server's clock (test_an_officer_cannot_forge_the_record)")
    import workflow.storage.audit as module

    monkeypatch.setattr(module, "wall_clock", lambda: datetime.now(LIMA) - timedelta(days=400))
    done = run_as(db_url, "avanzar", "E062-0001", "registrar_elegibilidad", "--dato", "ruc_activo=si",
                  "--usuario", "ues", code=1, CONVOCA_AHORA="2019-11-20T10:00")
    assert "antes de la última fila del registro" in done.err and "no se escribió nada" in done.err
    monkeypatch.undo()
    forge(db_url, codigo="x", evento="postular", usuario="mesa", rol="ues",
          registrado_en=datetime.now(LIMA) - timedelta(days=400), fecha_efectiva=datetime(2019, 10, 1).date())
    assert "antes que la fila anterior" in verificar(db_url).err


def test_a_clock_that_was_ahead_is_acknowledged_by_an_admin_and_the_record_goes_on(walker: Walker, db_url: str,
                                                                                  monkeypatch, tmp_path: Path,
                                                                                  bare_python: str):
    """One command run with the machine's clock 400 days ahead would block every write for 400 days. An
    admin acknowledges it in the record (`auditoria reloj --corregir`): the one row that goes back,
    naming the instant it goes back from and the rows of the wrong clock; the chain, convoca's and the
    auditor's, accepts that step back and no other."""
    if ON_POSTGRES:
        pytest.skip("PostgreSQL: the server's clock (test_an_officer_cannot_forge_the_record)")
    import workflow.storage.audit as module

    real = module.wall_clock
    monkeypatch.setattr(module, "wall_clock", lambda: real() + timedelta(days=400))
    run_as(db_url, "avanzar", "E062-0001", "registrar_elegibilidad", "--dato", "ruc_activo=si", "--usuario", "ues",
           CONVOCA_AHORA="2019-11-20T10:00")
    monkeypatch.undo()
    blocked = run_as(db_url, "avanzar", "E062-0002", "registrar_elegibilidad", "--dato", "ruc_activo=si",
                     "--usuario", "ues", code=1, CONVOCA_AHORA="2019-11-20T10:00")
    assert "un admin lo reconoce con `convoca auditoria reloj --corregir`" in blocked.err
    assert "está atrás de la última fila" in run_as(db_url, "auditoria", "reloj").out
    ahead = walker.session.execute(select(AUDITORIA.c.id).order_by(AUDITORIA.c.id.desc()).limit(1)).scalar()
    walker.session.rollback()
    run_as(db_url, "auditoria", "reloj", "--corregir", "--usuario", "ues", code=1)  # not an admin: nothing written
    done = run_as(db_url, "auditoria", "reloj", "--corregir", "--usuario", "admin")
    assert f"fila {ahead}: registrar_elegibilidad de E062-0001, fecha efectiva 2019-11-20" in done.out
    run_as(db_url, "avanzar", "E062-0002", "registrar_elegibilidad", "--dato", "ruc_activo=si", "--usuario", "ues",
           CONVOCA_AHORA="2019-11-20T10:00")
    verificar(db_url, code=0)
    folder = tmp_path / "exportado"
    run_as(db_url, "auditoria", "exportar", str(folder))
    assert standalone(bare_python, folder).returncode == 0
    forge(db_url, codigo="reloj", evento="corregir_reloj", usuario="admin", rol="admin",  # another step back, unnamed
          registrado_en=datetime.now(LIMA) - timedelta(days=3), fecha_efectiva=datetime(2019, 10, 1).date(),
          datos={"reloj": {"desde": "2000-01-01T00:00:00+00:00"}})
    assert "antes que la fila anterior" in verificar(db_url).err


def test_an_effective_date_after_its_registration_is_named(db_url: str):
    if ON_POSTGRES:
        pytest.skip("SQLite: on PostgreSQL the trigger refuses a row off the server's clock")
    forge(db_url, codigo="x", evento="postular", usuario="mesa", rol="ues",
          fecha_efectiva=(datetime.now(LIMA) + timedelta(days=3)).date())
    assert "posterior al día en que se registró" in verificar(db_url).err


# --- the outbox sends only what the log queued --------------------------------------------------

def test_a_message_inserted_around_convoca_is_never_sent(walker: Walker, db_url: str):
    walker.to("E062-0001", "apta")
    fields = ("clave, tipo, destinatarios, asunto, texto, html, estado, intentos, message_id, creado_en")
    insert = (f"INSERT INTO mensaje ({fields}) VALUES ('falso', 'resultado', '[\"victima@example.invalid\"]', "
              "'Resultado', 'Su propuesta fue aprobada', '<p>aprobada</p>', 'pendiente', 0, '<f@x>', '2019-12-01')")
    sql(db_url, "UPDATE mensaje SET estado = 'retirado'", insert)
    with smtp_server() as (srv, box):
        env = {"CONVOCA_SMTP_HOST": "127.0.0.1", "CONVOCA_SMTP_PUERTO": str(srv.port),
               "CONVOCA_SMTP_SEGURIDAD": "ninguna", "CONVOCA_SMTP_REMITENTE": "convoca@fondecyt.gob.pe"}
        done = run_as(db_url, "correos", "enviar", CONVOCA_AHORA="2019-12-02T10:00", **env)
        assert box.accepted == [] and "0 enviados" in done.out and "1 retirado" in done.out
    [shown] = [m for m in json.loads(run_as(db_url, "correos", "--json", CONVOCA_AHORA="2019-12-02T10:00").out)
               if m["message_id"] == "<f@x>"]
    assert shown["estado"] == "retirado" and "ninguna fila de auditoría lo encoló" in shown["advertencia"]
    assert "MENSAJE ALTERADO" in verificar(db_url).err


# --- PostgreSQL: two officers with psql and their own passwords ---------------------------------

@pytest.fixture
def officers(postgres, empty_db_url: str, tmp_path: Path):
    """A production installation as the README sets it up: a group, one login per officer."""
    from states.historia import write_csv
    from states.pct_2019.demo_data import proposals

    if not postgres:
        pytest.skip("PostgreSQL logins")
    for statement in ("CREATE ROLE convoca_oficial NOLOGIN", "CREATE ROLE ana_ruiz LOGIN IN ROLE convoca_oficial",
                      "CREATE ROLE beto_paz LOGIN IN ROLE convoca_oficial", "CREATE ROLE convoca_auditor NOLOGIN",
                      "CREATE ROLE oci LOGIN IN ROLE convoca_auditor"):
        postgres.sql(f"DO $$ BEGIN {statement}; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    url = make_url(empty_db_url)
    run_as(empty_db_url, "init", "--grupo", "convoca_oficial", "--auditores", "convoca_auditor")
    for nombre, rol, login in (("admin", "admin", None), ("ana.ruiz", "ues", "ana_ruiz"),
                               ("beto.paz", "direccion", "beto_paz"), ("oci", "auditor", "oci")):
        run_as(empty_db_url, "usuarios", "agregar", nombre, "--rol", rol, *(("--login", login) if login else ()),
               *(("--email", "oci@example.org") if rol == "auditor" else ()))
    ana = url.set(username="ana_ruiz").render_as_string(hide_password=False)
    run_as(ana, "importar", str(write_csv(proposals(3), tmp_path / "p.csv")))
    engine = connect(empty_db_url)  # one message in the outbox, queued as convoca queues it
    with engine.begin() as conn:
        queue(conn, clave="prueba", tipo="sello", contexto={"filas": 1, "hash": "0" * 64, "instante": "2019-12-01",
                                                          "linea": "x"},
              destinatarios=["oci@example.org"], faltan=[], now=datetime.now(LIMA))
    engine.dispose()
    return {"owner": empty_db_url, "ana": ana, "beto": url.set(username="beto_paz").render_as_string(hide_password=False),
            "oci": url.set(username="oci").render_as_string(hide_password=False)}


def test_the_auditor_reads_and_verifies_and_the_database_lets_it_write_nothing(officers):
    oci = officers["oci"]
    assert run_as(oci, "auditoria", "verificar").out.startswith("OK: ")
    assert len(json.loads(run_as(oci, "listar", "--json").out)) == 3
    env = {**os.environ, "CONVOCA_DB": oci}
    for args in (["avanzar", "E062-0001", "registrar_elegibilidad", "--dato", "ruc_activo=si"],
                 ["usuarios", "agregar", "otro.admin", "--rol", "admin", "--login", "oci"]):
        done = subprocess.run([CONVOCA, *args], env=env, capture_output=True, text=True)  # main's own words
        assert done.returncode == 1 and "Su login no tiene permiso para esa escritura" in done.stderr, done
        assert "INSERT" not in done.stderr and "Traceback" not in done.stderr


REFUSED = [
    ("UPDATE usuario SET rol = 'admin' WHERE login = 'ana_ruiz'", "solo cambia por un acto auditado"),
    ("UPDATE usuario SET login = CASE login WHEN 'ana_ruiz' THEN 'beto_paz' ELSE 'ana_ruiz' END "
     "WHERE login IN ('ana_ruiz', 'beto_paz')", "solo cambia por un acto auditado"),
    ("UPDATE convocatoria SET definicion = definicion || ' '", "solo cambia al cargar su archivo"),
    ("INSERT INTO feriado (pais, fecha, nombre, fuente) VALUES ('PE', '2019-12-09', 'Día inventado', 'x')",
     "solo se guarda con su acto auditado"),
    ("INSERT INTO dia_no_laborable (pais, desde, hasta, tipo, alcance, norma, agregado_por, agregado_en) VALUES "
     "('PE', '2019-12-10', '2019-12-10', 'no_laborable', 'nacional', 'DS', 'beto.paz', now())",
     "el calendario solo cambia por un acto auditado"),
    ("INSERT INTO registro (tipo, documento, desde, motivo, fuente, caso) VALUES ('entidad', '1', '2019-12-01', "
     "'x', 'x', 'E062-0001')", "el registro solo cambia por el acto que lo motiva"),
    ("INSERT INTO ajuste VALUES ('intentos_envio', '1')", "los ajustes solo cambian con convoca ajustes fijar"),
    ("INSERT INTO mensaje (clave, tipo, destinatarios, asunto, texto, html, estado, intentos, message_id, creado_en) "
     "VALUES ('falso', 'resultado', '[]', 'a', 'b', 'c', 'pendiente', 0, '<f@x>', now())",
     "un mensaje solo se encola con su fila de auditoría"),
    ("UPDATE mensaje SET texto = 'otro'", "el texto y los destinatarios de un mensaje no cambian"),
    ("UPDATE mensaje SET estado = 'enviado'", "solo se marca enviado con su entrega auditada"),
    ("UPDATE mensaje SET estado = 'retirado'", "el estado de un mensaje solo cambia por un acto auditado que lo declara"),
    ("UPDATE mensaje SET proximo_intento = '2099-01-01'", "el estado de un mensaje solo cambia por un acto auditado"),
    ("UPDATE mensaje SET estado = 'enviando', proximo_intento = '2099-01-01'",
     "el estado de un mensaje solo cambia por un acto auditado"),
    ("UPDATE auditoria_cabeza SET ultimo_id = 3", "permission denied for table auditoria_cabeza"),
    ("DELETE FROM auditoria WHERE id = 1", "permission denied for table auditoria"),
    ("INSERT INTO auditoria_arbol VALUES (0, 999999, 'x')", "permission denied for table auditoria_arbol"),
    ("SELECT * FROM convoca_cabeza(); INSERT INTO auditoria (id, codigo, evento, usuario, rol, registrado_en, "
     "fecha_efectiva, datos, reglas, plazos, aceptado, motivos, hash_previo, hash) SELECT ultimo_id + 1, 'E062-0001', "
     "'publicar', 'beto.paz', 'direccion', clock_timestamp(), current_date, '{}', '[]', '[]', true, '[]', ultimo_hash, "
     "'x' FROM auditoria_cabeza", "el login ana_ruiz no actúa como beto.paz con el rol direccion"),
    ("SELECT * FROM convoca_cabeza(); INSERT INTO auditoria (id, codigo, evento, usuario, rol, registrado_en, "
     "fecha_efectiva, datos, reglas, plazos, aceptado, motivos, hash_previo, hash) SELECT ultimo_id + 1, 'x', "
     "'postular', 'ana.ruiz', 'ues', '2019-01-01', '2019-01-01', '{}', '[]', '[]', true, '[]', ultimo_hash, 'x' "
     "FROM auditoria_cabeza", "no es la hora del servidor"),
]


def test_an_officer_cannot_forge_the_record(officers):
    import psycopg

    url = make_url(officers["ana"])
    for statement, refusal in REFUSED:
        with psycopg.connect(host=url.query["host"], user="ana_ruiz", dbname=url.database) as conn:
            try:
                for part in statement.split("; "):
                    conn.execute(part)
            except psycopg.Error as exc:
                assert refusal in str(exc), (statement, str(exc))
            else:
                pytest.fail(f"the database let ana_ruiz run: {statement}")
    # what the fold writes (the case, its deadlines) she can change, and verificar names it
    with psycopg.connect(host=url.query["host"], user="ana_ruiz", dbname=url.database) as conn:
        conn.execute("UPDATE caso SET estado = 'aprobada', monitor = 'beto.paz' WHERE codigo = 'E062-0002'")
    err = run_as(officers["beto"], "auditoria", "verificar", code=4).err
    print(err)
    assert "CASO ALTERADO E062-0002: guardado aprobada, según la auditoría postulada" in err
    assert "CASO ALTERADO E062-0002: monitor guardado beto.paz, según la auditoría ninguno" in err


def test_today_is_the_servers_whatever_the_officers_clock_says(officers, monkeypatch):
    import workflow.clock

    real = workflow.clock.wall_clock
    monkeypatch.setattr(workflow.clock, "wall_clock", lambda: real() + timedelta(days=400))  # like faketime
    ahead = (real() + timedelta(days=400)).date().isoformat()
    done = run_as(officers["ana"], "avanzar", "E062-0001", "registrar_elegibilidad", "--dato", "ruc_activo=si",
                  "--fecha", ahead, code=2)
    assert f"posterior a hoy ({real().date().isoformat()})" in done.err
    today = real().date().isoformat()
    done = run_as(officers["ana"], "avanzar", "E062-0001", "registrar_elegibilidad", "--dato", "ruc_activo=si")
    assert f"fecha efectiva {today}, hoy" in done.out
    assert f"Instante: {today}T" in run_as(officers["beto"], "auditoria", "sellar").out
    run_as(officers["beto"], "auditoria", "verificar")


# --- whole copies, seals, and an export an auditor checks alone ---------------------------------

def test_a_plain_copy_after_any_command_is_the_whole_database(tmp_path: Path, db_url: str):
    if ON_POSTGRES:
        pytest.skip("SQLite files")
    db = make_url(db_url).database
    env = {**os.environ, "CONVOCA_DB": db_url, "CONVOCA_AHORA": "2019-11-20T10:00"}
    subprocess.run([CONVOCA, "avanzar", "E062-0001", "registrar_elegibilidad", "--dato", "ruc_activo=si",
                    "--usuario", "ues"], env=env, check=False, capture_output=True)
    assert not Path(db + "-wal").exists()
    shutil.copyfile(db, tmp_path / "copia.db")
    copy = f"sqlite:///{tmp_path / 'copia.db'}"
    assert verificar(copy, code=0).out.split(";")[0] == verificar(db_url, code=0).out.split(";")[0]


def test_backup_restore_and_a_truncated_copy(tmp_path: Path, walker: Walker, db_url: str):
    if ON_POSTGRES:
        assert "pg_dump" in run_as(db_url, "respaldo", str(tmp_path / "r.db"), code=1).err
        return
    walker.to("E062-0001", "apta")
    seals = tmp_path / "sellos.txt"
    run_as(db_url, "auditoria", "sellar", "--archivo", str(seals), CONVOCA_AHORA="2019-12-01T10:00")
    backup = tmp_path / "respaldo.db"
    assert "filas de auditoría íntegras" in run_as(db_url, "respaldo", str(backup)).out
    assert "ya existe" in run_as(db_url, "respaldo", str(backup), code=1).err
    walker.step("E062-0001", "evaluar")  # the database moves on after the backup
    assert "perdería registros" in run_as(db_url, "restaurar", str(backup), code=1).err
    db = Path(make_url(db_url).database)
    db.write_bytes(b"no es una base")  # the disk lost it
    assert "Base restaurada" in run_as(db_url, "restaurar", str(backup)).out
    assert "contiene el sello" in verificar(db_url, "--sello", str(seals), code=0).out
    # a copy cut short of the seal: the chain it keeps verifies, the seal says it is not all
    run_as(db_url, "avanzar", "E062-0001", "registrar_elegibilidad", "--dato", "ruc_activo=si", "--usuario", "ues",
           code=2, CONVOCA_AHORA="2019-12-01T10:00")
    run_as(db_url, "auditoria", "sellar", "--archivo", str(seals), CONVOCA_AHORA="2019-12-01T10:00")
    sql(db_url, "DROP TRIGGER auditoria_solo_agregar_delete", "DELETE FROM auditoria WHERE id = (SELECT max(id) "
        "FROM auditoria)", "UPDATE auditoria_cabeza SET ultimo_id = ultimo_id - 1, ultimo_hash = (SELECT hash FROM "
        "auditoria WHERE id = (SELECT max(id) FROM auditoria))")
    assert "es una copia más antigua que el sello o truncada" in verificar(db_url, "--sello", str(seals)).err


@pytest.fixture(scope="module")
def exported(tmp_path_factory, demo_db: Path) -> Path:
    folder = tmp_path_factory.mktemp("exportado")
    done = convoca("--db", str(demo_db), "auditoria", "exportar", str(folder))
    assert done.code == 0, done.err
    return folder


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory) -> str:
    """A virtual environment with nothing installed (no pip even): the auditor's bare Python."""
    where = tmp_path_factory.mktemp("auditor") / "venv"
    venv.create(where, with_pip=False)
    return str(where / "bin" / "python")


def standalone(python: str, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([python, "-I", str(folder / "verificar_auditoria.py"), str(folder)], capture_output=True,
                          text=True, cwd=folder, env={"PATH": "/usr/bin:/bin"})


def test_the_auditor_gets_the_verdict_of_verificar_without_convoca(exported: Path, bare_python: str, demo_db: Path):
    done = standalone(bare_python, exported)
    ours = convoca("--db", str(demo_db), "auditoria", "verificar")
    assert done.returncode == 0 and ours.code == 0, done.stderr
    assert done.stdout.split(";")[:2] == [ours.out.split(";")[0].replace("íntegras", "íntegras, en orden"),
                                          ours.out.split(";")[1]]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_changed_byte_removed_line_or_swapped_pair_fails(exported: Path, bare_python: str, tmp_path_factory,
                                                              data):
    lines = (exported / "auditoria.jsonl").read_bytes().splitlines(keepends=True)
    kind = data.draw(st.sampled_from(["byte", "removed", "swapped"]))
    n = data.draw(st.integers(0, len(lines) - 2))
    if kind == "byte":
        at = data.draw(st.integers(0, len(lines[n]) - 2))
        new = data.draw(st.integers(0, 255).filter(lambda b: b != lines[n][at]))
        lines[n] = lines[n][:at] + bytes([new]) + lines[n][at + 1:]
    elif kind == "removed":
        del lines[n]
    else:
        lines[n], lines[n + 1] = lines[n + 1], lines[n]
    folder = tmp_path_factory.mktemp("cambiado")
    for name in ("sello.json", "verificar_auditoria.py"):
        shutil.copy(exported / name, folder / name)
    (folder / "auditoria.jsonl").write_bytes(b"".join(lines))
    done = standalone(bare_python, folder)
    assert done.returncode == 4 and ("CADENA ROTA" in done.stderr or "NO COINCIDE" in done.stderr
                                     or "No se puede leer" in done.stderr), (kind, n, done.stderr)


def test_a_jammed_chain_head_stops_writes_with_a_message_and_is_named(walker: Walker, db_url: str):
    if ON_POSTGRES:
        pytest.skip("on PostgreSQL no officer may write the head: test_an_officer_cannot_forge_the_record")
    sql(db_url, "UPDATE auditoria_cabeza SET ultimo_id = 3")
    done = run_as(db_url, "avanzar", "E062-0001", "registrar_elegibilidad", "--dato", "ruc_activo=si",
                  "--usuario", "ues", code=1, CONVOCA_AHORA="2019-11-20T10:00")
    assert "La cabeza de la cadena de auditoría no coincide con su última fila" in done.err
    assert "Traceback" not in done.err and "UPDATE" not in done.err
    assert "la cabeza de la cadena dice 3 filas" in verificar(db_url).err


def test_a_rehearsal_clock_is_never_pinned_after_the_real_time(db_url: str):
    ahead = (datetime.now(LIMA) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    done = run_as(db_url, "listar", code=2, CONVOCA_AHORA=ahead)
    assert f"CONVOCA_AHORA={ahead} es posterior a la hora real" in done.err
    verificar(db_url, code=0)  # the refusal is logged, dated today


# --- the service's rows: each service name held to its own acts (states/servicios.py) ------------

def test_a_service_row_is_held_to_its_own_acts_and_never_takes_an_act_out(walker: Walker, db_url: str):
    """What an officer with write access tried under «vigilar»: make herself admin, and erase a
    declaration of no aptitude with a service row that «refers» to it. The first is named; the
    second erases nothing (only rectificar and anular take an act out) and is named too."""
    if ON_POSTGRES:
        pytest.skip("on PostgreSQL the chain's trigger refuses both rows: test_an_officer_cannot_write_as_a_service")
    walker.to("E062-0004", "no_apta")
    caso_id, no_apta = walker.session.execute(text(
        "SELECT caso_id, id FROM auditoria WHERE codigo = 'E062-0004' AND evento = 'declarar_no_apta'")).one()
    walker.session.rollback()
    hoy = datetime.now(LIMA).date()
    forge(db_url, codigo="usuario:ana", evento="cambiar_rol", usuario="vigilar", rol="sistema", fecha_efectiva=hoy,
          datos={"usuario": {"nombre": "ana", "antes": {"rol": "ues"}, "despues": {"rol": "admin"}}})
    forge(db_url, caso_id=caso_id, codigo="E062-0004", evento="recordatorio", usuario="vigilar", rol="sistema",
          estado_origen="no_apta", estado_destino="no_apta", fecha_efectiva=hoy, refiere=no_apta)
    sql(db_url, "UPDATE usuario SET rol = 'admin' WHERE nombre = 'ana'",
        "UPDATE caso SET estado = 'postulada' WHERE codigo = 'E062-0004'")
    err = verificar(db_url).err
    assert "(cambiar_rol, usuario:ana, vigilar): vigilar no registra cambiar_rol: sus filas son" in err
    assert f"(recordatorio, E062-0004, vigilar): una fila de vigilar no rectifica ni anula otra (refiere a la fila " \
           f"{no_apta})" in err
    assert "CASO ALTERADO E062-0004: guardado postulada, según la auditoría no_apta" in err  # the act still stands


def test_an_officer_cannot_write_as_a_service(officers, postgres):
    """On PostgreSQL, with the project's own append on her own login: refused by the database. The
    service's own login (a user with the role `servicio`) writes the deadline service's rows."""
    from sqlalchemy.exc import DBAPIError

    from workflow.storage.audit import SISTEMA, Entry

    hoy = datetime.now(LIMA).date()
    tries = [
        (Entry("usuario:ana.ruiz", "cambiar_rol", "vigilar", hoy, rol=SISTEMA,
               datos={"usuario": {"nombre": "ana.ruiz", "antes": {"rol": "ues"}, "despues": {"rol": "admin"}}}),
         "vigilar no registra cambiar_rol"),
        (Entry("E062-0001", "recordatorio", "vigilar", hoy, rol=SISTEMA, refiere=5),
         "una fila de vigilar no mueve un caso, no rectifica ni anula otra"),
        (Entry("E062-0001", "plazo_vencido", "vigilar", hoy, rol=SISTEMA),
         "las filas de vigilar son solo del servicio y el login ana_ruiz es de ana.ruiz (ues)"),
        (Entry("convocatoria:E062-2019-01", "cargar_convocatoria", "calendario", hoy, rol=SISTEMA),
         "calendario no registra cargar_convocatoria"),
    ]
    for entry, refusal in tries:
        engine = connect(officers["ana"])
        try:
            with pytest.raises(DBAPIError, match=re.escape(refusal)):
                with engine.begin() as conn:
                    audit.append(conn, [entry])
        finally:
            engine.dispose()
    postgres.sql("DO $$ BEGIN CREATE ROLE convoca_svc LOGIN IN ROLE convoca_oficial; "
                 "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    run_as(officers["owner"], "usuarios", "agregar", "convoca.servicio", "--rol", "servicio", "--login", "convoca_svc",
           "--usuario", "admin")
    service = make_url(officers["ana"]).set(username="convoca_svc").render_as_string(hide_password=False)
    engine = connect(service)
    with engine.begin() as conn:  # the service's own login writes its own act
        audit.append(conn, [Entry("E062-0001", "plazo_vencido", "vigilar", hoy, rol=SISTEMA)])
    engine.dispose()
    run_as(service, "vigilar")
    assert run_as(officers["beto"], "auditoria", "verificar").out.startswith("OK: ")




def act(url: str, codigo: str) -> None:
    """One more row in the log of `url` (an act or its refusal: both are rows)."""
    convoca("avanzar", codigo, "registrar_elegibilidad", "--dato", "ruc_activo=si", "--usuario", "ues",
            env={"CONVOCA_DB": url, "CONVOCA_AHORA": "2019-12-01T10:00"})


def test_restaurar_refuses_a_backup_that_diverged_or_was_rewritten(tmp_path: Path, walker: Walker, db_url: str):
    """A copy taken earlier and written to since (another history), or rewritten whole with a valid
    chain, would replace acknowledged writes: refused; a copy that continues the live log is restored."""
    if ON_POSTGRES:
        pytest.skip("PostgreSQL's copies are pg_dump's")
    walker.to("E062-0001", "apta")
    db = Path(make_url(db_url).database)
    fork = tmp_path / "bifurcada.db"
    assert "filas de auditoría íntegras" in run_as(db_url, "respaldo", str(fork)).out
    act(db_url, "E062-0002")  # the live log moves on
    for _ in range(3):  # the copy moves on too, by other rows: it is longer, and not the live log continued
        act(f"sqlite:///{fork}", "E062-0003")
    before = db.read_bytes()
    err = run_as(db_url, "restaurar", str(fork), code=1).err
    assert "no contiene el registro de la base actual" in err and "La base no se tocó" in err
    assert db.read_bytes() == before
    later = tmp_path / "continua.db"
    run_as(db_url, "respaldo", str(later))
    act(f"sqlite:///{later}", "E062-0003")
    assert "Base restaurada" in run_as(db_url, "restaurar", str(later)).out


SLOW_WRITER = """
import sys, time
from pathlib import Path
from workflow.files.atomic import write_whole

def write(tmp):
    tmp.write_bytes(b"SQLite format 3\\x00 a copy half made")
    (tmp.parent / (tmp.name + "-journal")).write_bytes(b"journal")
    print("writing", flush=True)
    time.sleep(600)

write_whole(Path(sys.argv[1]), write)
"""


def test_kill_9_during_respaldo_leaves_no_temporary_copy_behind(tmp_path: Path, db_url: str):
    """A copy killed half-way (kill -9, a power cut) leaves its temporary file; the next write in that
    folder removes it, and never the one a live writer is still writing."""
    if ON_POSTGRES:
        pytest.skip("PostgreSQL's copies are pg_dump's")
    import signal

    def writer(name: str) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(tmp_path / name)], stdout=subprocess.PIPE,
                                text=True, cwd=Path(__file__).resolve().parents[1])
        assert proc.stdout.readline().strip() == "writing"
        return proc

    live = writer("respaldo-2.db")
    dead = writer("respaldo-1.db")
    dead.send_signal(signal.SIGKILL)
    dead.wait()
    try:
        left = sorted(p.name for p in tmp_path.glob(".convoca-*"))
        assert len(left) == 4 and any(n.startswith(".convoca-respaldo-1.db.") for n in left)  # each with its journal
        assert "filas de auditoría íntegras" in run_as(db_url, "respaldo", str(tmp_path / "respaldo-3.db")).out
        left = sorted(p.name for p in tmp_path.glob(".convoca-*"))
        assert len(left) == 2 and all(n.startswith(".convoca-respaldo-2.db.") for n in left), left
    finally:
        live.kill()
        live.wait()
    assert not (tmp_path / "respaldo-1.db").exists() and (tmp_path / "respaldo-3.db").is_file()


# --- the outbox: every change of a message's state a row that states it --------------------------

def test_a_notice_delayed_or_withdrawn_through_the_outboxs_own_rows_is_judged(walker: Walker, db_url: str):
    """With the project's own function, as anyone who may write a row of the outbox: a «failed try» that
    puts a legal notice off to 2099, and a withdrawal that also counts tries nobody made. The rows are
    accepted and the state follows them; verificar judges each step by the retry policy."""
    from notifications.outbox import MENSAJE, change_states, state
    from states.servicios import INTENTO_FALLIDO, RETIRAR

    walker.to("E062-0001", "contratada")
    engine = connect(db_url)
    with engine.begin() as conn:
        first, second = conn.execute(select(MENSAJE).where(MENSAJE.c.estado == "pendiente").order_by(MENSAJE.c.id)
                                     .limit(2)).all()
        change_states(conn, INTENTO_FALLIDO, [state(first, intentos=1, proximo_intento=datetime(2099, 1, 1, tzinfo=LIMA))],
                      datetime.now(LIMA).date(), respuesta="421 más tarde")
        change_states(conn, RETIRAR, [state(second, estado="retirado", intentos=3, advertencia="retirado: x")],
                      datetime.now(LIMA).date(), motivo="x")
    engine.dispose()
    err = verificar(db_url).err
    assert f"(intento_fallido, mensaje {first.id}, bandeja): el próximo intento 2099-01-01T00:00:00-05:00 pasa de la " \
           "espera de la instalación" in err
    assert f"(retirar_mensajes, mensaje {second.id}, bandeja): retirar_mensajes deja 3 intentos y da 0" in err


def test_the_outboxs_guard_holds_a_senders_lease_to_the_senders_own():
    """The PostgreSQL guard lets a sender hold a message unrecorded for as long as a sender holds it."""
    import importlib.util

    from notifications.outbox import LEASE

    path = Path(__file__).parents[1] / "workflow/storage/migrations/versions/0015_bandeja_proyectada.py"
    spec = importlib.util.spec_from_file_location("bandeja", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert f"interval '{int(LEASE.total_seconds() // 60)} minutes'" in module.guard("'x'")


def test_each_forgery_an_officer_tried_with_her_own_login_is_named(officers):
    """The probe of issue 38, again: an officer (ana_ruiz, UES) with psql, her own password and the
    project's own functions, on PostgreSQL. What the database lets her write is in the log under her
    login, and `auditoria verificar` (run by another) names each one; the mail she queued never leaves."""
    from sqlalchemy import insert

    from notifications.outbox import MENSAJE, audit_queued, queue
    from workflow.storage.audit import SISTEMA, Entry
    from workflow.storage.tables import DIA_NO_LABORABLE, FERIADO, REGISTRO

    hoy = datetime.now(LIMA).date()
    engine = connect(officers["ana"])
    caso_id = None
    with engine.begin() as conn:  # she makes herself admin, by an act in her own name
        audit.append(conn, [Entry("usuario:ana.ruiz", "cambiar_rol", "ana.ruiz", hoy, rol="ues", datos={
            "usuario": {"nombre": "ana.ruiz", "antes": {"rol": "ues"}, "despues": {"rol": "admin"}}})])
        conn.execute(text("UPDATE usuario SET rol = 'admin' WHERE nombre = 'ana.ruiz'"))
    with engine.begin() as conn:  # a holiday, under the calendar's name
        audit.append(conn, [Entry("convocatoria:E062-2019-01", "guardar_feriados", "calendario", hoy, rol=SISTEMA,
                                  datos={"anios": [2031], "dias": 1, "feriados": [["2031-12-09", "Día inventado"]]})])
        conn.execute(insert(FERIADO).values(pais="PE", fecha=datetime(2031, 12, 9).date(), nombre="Día inventado", fuente="x"))
    with engine.begin() as conn:  # a ten-month suspension, in her own name
        calendario = {"desde": "2020-01-01", "hasta": "2020-10-31", "tipo": "suspension", "alcance": "nacional",
                      "norma": "DS inventado"}
        audit.append(conn, [Entry("calendario", "agregar_dia_no_laborable", "ana.ruiz", hoy, rol="admin",
                                  datos={"calendario": calendario})])
        conn.execute(insert(DIA_NO_LABORABLE).values(
            pais="PE", desde=datetime(2020, 1, 1).date(), hasta=datetime(2020, 10, 31).date(), tipo="suspension",
            alcance="nacional", norma="DS inventado", agregado_por="ana.ruiz", agregado_en=datetime.now(LIMA)))
    with engine.begin() as conn:  # a rival's DNI on the registry, raised by an eligibility check of hers
        caso_id = conn.execute(text("SELECT id FROM caso WHERE codigo = 'E062-0001'")).scalar()
        flag = {"tipo": "coordinador", "documento": "45678912", "nombre": "Rival", "desde": "2019-12-01",
                "hasta": "2021-12-01", "motivo": "x", "fuente": "Bases §3.2.2", "caso": "E062-0001"}
        [row] = audit.append(conn, [Entry("E062-0001", "registrar_elegibilidad", "ana.ruiz", hoy, caso_id=caso_id,
                                          estado_origen="postulada", estado_destino="postulada", rol="admin",
                                          datos={"elegibilidad": {"ruc_activo": True}},
                                          entrada={"ruc_activo": True}, efectos={"registro": [flag]})])
        conn.execute(insert(REGISTRO).values(**{**flag, "desde": datetime(2019, 12, 1).date(),
                                                "hasta": datetime(2021, 12, 1).date()}, auditoria_id=row))
    with engine.begin() as conn:  # mail from the official sender: her own text, an .exe, an outside address
        phishing = {"clave": "aviso-falso", "tipo": "resultado", "destinatarios": ["c0@example.org"],
                    "asunto": "Su propuesta fue aprobada", "texto": "Confirme sus datos en http://fondecyt.example",
                    "html": "<p>Confirme</p>", "estado": "pendiente", "advertencia": None, "contexto": {},
                    "intentos": 0, "message_id": "<falso@x>", "creado_en": datetime.now(LIMA)}
        sello = {"filas": 1, "hash": "0" * 64, "instante": "2019-12-01", "linea": "x"}
        disguised = {**phishing, "clave": "sello-texto", "tipo": "sello", "destinatarios": ["oci@example.org"],
                     "contexto": sello, "message_id": "<falso2@x>"}  # a true context, a text of her own
        audit_queued(conn, [phishing, disguised], datetime.now(LIMA))
        conn.execute(insert(MENSAJE), [phishing, disguised])
        queue(conn, clave="sello-exe", tipo="sello", contexto={**sello, "adjunto": {
            "nombre": "sello.exe", "tipo": "application/x-msdownload", "contenido": "TVqQAAMAAAAEAAAA"}},
              destinatarios=["oci@example.org"], faltan=[], now=datetime.now(LIMA))
        queue(conn, clave="sello-fuera", tipo="sello", contexto=sello, destinatarios=["ladron@example.net"], faltan=[],
              now=datetime.now(LIMA))
    engine.dispose()
    with smtp_server() as (srv, box):
        env = {"CONVOCA_SMTP_HOST": "127.0.0.1", "CONVOCA_SMTP_PUERTO": str(srv.port),
               "CONVOCA_SMTP_SEGURIDAD": "ninguna", "CONVOCA_SMTP_REMITENTE": "convoca@fondecyt.gob.pe"}
        run_as(officers["beto"], "correos", "enviar", **env)
        assert not [m for _, to, m in box.accepted if m["Subject"] in ("Su propuesta fue aprobada",)]
        assert not any("ladron@example.net" in to or "sello.exe" in m.as_string() for _, to, m in box.accepted)
    err = run_as(officers["beto"], "auditoria", "verificar", code=4).err
    assert "(cambiar_rol, usuario:ana.ruiz, ana.ruiz): el rol ues no puede cambiar_rol" in err
    assert "(guardar_feriados, convocatoria:E062-2019-01, calendario): los feriados guardados no son los de 2031" in err
    assert "(agregar_dia_no_laborable, calendario, ana.ruiz): dice el rol admin y ana.ruiz tenía el rol ues" in err
    assert "escribe en el registro de impedimentos lo que el acto no da: coordinador 45678912" in err
    assert "(resultado, sin caso): el tipo resultado no es un mensaje declarado" in err
    assert "(sello, sin caso): su asunto o su texto no es el que convoca escribe con sus plantillas" in err
    assert "(sello, sin caso): un mensaje de tipo sello no lleva archivos, y este lleva sello.exe" in err
    assert "(sello, sin caso): va a ladron@example.net, que no es de ningún usuario ni de su caso" in err
