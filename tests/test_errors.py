"""What goes wrong in an officer's first hour is a Spanish message with a documented exit code,
never a traceback (exit 70 is kept for real bugs)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cli import convoca
from tests.conftest import ON_POSTGRES, Walker

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="files and paths of the SQLite installation")


def test_a_database_in_a_missing_folder(tmp_path: Path):
    done = convoca("--db", str(tmp_path / "no" / "hay" / "convoca.db"), "init", "--ensayo")
    assert done.code == 1 and "la carpeta" in done.err and "no existe" in done.err


def test_a_read_on_a_database_that_is_not_there_creates_nothing(tmp_path: Path):
    path = tmp_path / "convoca.db"
    done = convoca("--db", str(path), "listar")
    assert done.code == 1 and "no existe: ejecute `convoca init`" in done.err
    assert not path.exists()


def test_a_file_that_is_not_sqlite(tmp_path: Path):
    path = tmp_path / "planilla.db"
    path.write_text("codigo;titulo\n")
    done = convoca("--db", str(path), "listar")
    assert done.code == 1 and "no es una base de datos SQLite de convoca" in done.err


def test_a_plain_path_is_an_sqlite_file(tmp_path: Path):
    path = tmp_path / "convoca.db"
    assert convoca("--db", str(path), "init", "--ensayo").code == 0
    assert convoca("--db", str(path), "listar").code == 0 and path.exists()


def test_a_database_newer_than_this_convoca(tmp_path: Path):
    path = tmp_path / "convoca.db"
    convoca("--db", str(path), "init", "--ensayo")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    for args in (["listar"], ["init"]):
        done = convoca("--db", str(path), *args)
        assert done.code == 1 and "más nueva que la de esta instalación de convoca" in done.err, args


def test_vigilar_with_an_instant_that_is_not_one(walker: Walker, db_url: str):
    for value in ("2020-13-01T09:00", "ayer"):
        done = convoca("vigilar", "--ahora", value, env={"CONVOCA_DB": db_url})
        assert done.code == 2 and "no es un instante AAAA-MM-DDTHH:MM" in (done.err + done.out), value


def test_plazos_ics_into_a_missing_folder(walker: Walker, db_url: str, tmp_path: Path):
    done = convoca("plazos", "--ics", str(tmp_path / "no" / "agenda.ics"), env={"CONVOCA_DB": db_url})
    assert done.code == 1 and "la carpeta" in done.err and "no existe" in done.err


def test_user_management_refusals_exit_2(db_url: str):
    done = convoca("usuarios", "desactivar", "admin", "--usuario", "admin", env={"CONVOCA_DB": db_url})
    assert done.code == 2 and "último admin activo" in done.err


def test_correos_enviar_says_when_the_server_left_messages_undelivered(walker: Walker, db_url: str):
    """Exit 5 when the server cannot take the messages, so a cron job can tell; a password the SMTP
    protocol cannot carry is a configuration message, not a traceback."""
    walker.to("E062-0001", "aprobada")  # the result and the invitation wait in the outbox
    base = {"CONVOCA_DB": db_url, "CONVOCA_SMTP_HOST": "127.0.0.1", "CONVOCA_SMTP_PUERTO": "9",
            "CONVOCA_SMTP_SEGURIDAD": "ninguna", "CONVOCA_SMTP_REMITENTE": "convoca@fondecyt.gob.pe"}
    down = convoca("correos", "enviar", env=base)
    assert down.code == 5 and "Servidor SMTP no disponible" in down.err and "siguen pendientes" in down.err
    from tests.smtp import smtp_server

    with smtp_server() as (srv, _box):
        bad = convoca("correos", "enviar", env={**base, "CONVOCA_SMTP_PUERTO": str(srv.port),
                                                "CONVOCA_SMTP_USUARIO": "ana", "CONVOCA_SMTP_CLAVE": "contraseña"})
    assert bad.code == 5 and "caracteres fuera de ASCII" in bad.err


def test_missing_or_malformed_files_are_said_in_spanish(walker: Walker, db_url: str, tmp_path: Path):
    env = {"CONVOCA_DB": db_url, "CONVOCA_AHORA": "2020-12-31T10:00", "CONVOCA_USUARIO": "ues"}
    missing = convoca("importar", str(tmp_path / "no-esta.csv"), env=env)
    assert missing.code == 2 and "no-esta.csv: no existe." in missing.err and "No such file" not in missing.err
    acta = tmp_path / "acta.json"
    acta.write_text('{"numero": "A-1", "fecha": ')
    walker.to("E062-0001", "evaluada")
    bad = convoca("seleccionar", "--publicar", "--resolucion", "R", "--acta", str(acta), "--fecha", "2019-11-18",
                  "--usuario", "direccion", env=env)
    assert bad.code == 2 and "no es un JSON válido" in bad.err and "Expecting" not in bad.err


def test_an_unreachable_server_or_a_bad_url_is_said_in_spanish_without_the_password():
    down = convoca("--db", "postgresql+psycopg://nadie:secreta@127.0.0.1:1/convoca", "listar")
    assert down.code == 1 and "revise la URL (--db o CONVOCA_DB)" in down.err and "secreta" not in down.err
    bad = convoca("--db", "foo://bar", "listar")
    assert bad.code == 1 and "La URL de la base de datos no es válida: foo://bar" in bad.err


def test_a_command_leaves_no_write_ahead_log_so_a_plain_copy_is_the_whole_database(tmp_path):
    import shutil
    import subprocess

    from tests.test_cli import CONVOCA

    db = tmp_path / "oficial.db"
    env = {**__import__("os").environ, "CONVOCA_DB": str(db), "CONVOCA_USUARIO": "admin"}
    for args in (["init", "--ensayo"], ["usuarios", "agregar", "admin", "--rol", "admin"], ["listar"]):
        subprocess.run([CONVOCA, *args], env=env, check=True, capture_output=True)
        assert not (tmp_path / "oficial.db-wal").exists(), args
    shutil.copy(db, tmp_path / "copia.db")
    done = subprocess.run([CONVOCA, "--db", str(tmp_path / "copia.db"), "auditoria", "verificar"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("OK"), done.stderr


def test_files_convoca_creates_are_readable_by_their_owner_only_and_no_password_is_printed(tmp_path):
    import os
    import stat
    import subprocess

    from tests.test_cli import CONVOCA

    db = tmp_path / "oficial.db"
    env = {**os.environ, "CONVOCA_DB": str(db), "CONVOCA_USUARIO": "admin"}
    for args in (["init", "--ensayo"], ["usuarios", "agregar", "admin", "--rol", "admin"],
                 ["listar", "--xlsx", str(tmp_path / "casos.xlsx")], ["plazos", "--ics", str(tmp_path / "p.ics")]):
        subprocess.run([CONVOCA, *args], env=env, check=True, capture_output=True)
    for name in ("oficial.db", "casos.xlsx", "p.ics"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
    done = subprocess.run([CONVOCA, "--db", "postgresql+psycopg://dueno:s3cr3t0@127.0.0.1:1/x", "listar"],
                          env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "s3cr3t0" not in done.stdout + done.stderr


def test_a_database_url_is_shown_without_its_password():
    from workflow.storage.db import shown

    assert shown("postgresql+psycopg://dueno:s3cr3t0@servidor/convoca") == "postgresql+psycopg://dueno:***@servidor/convoca"


def test_an_auditor_reads_and_verifies_a_read_only_copy_and_a_write_is_said_in_spanish(tmp_path):
    import os
    import subprocess

    from tests.test_cli import CONVOCA

    db = tmp_path / "copia.db"
    env = {**os.environ, "CONVOCA_DB": str(db), "CONVOCA_USUARIO": "admin"}
    for args in (["init", "--ensayo"], ["usuarios", "agregar", "admin", "--rol", "admin"]):
        subprocess.run([CONVOCA, *args], env=env, check=True, capture_output=True)
    ro = {**env, "CONVOCA_DB": f"sqlite:///file:{db}?mode=ro&uri=true"}
    for args in (["listar"], ["auditoria", "verificar"], ["historial", "E062-0001"]):
        done = subprocess.run([CONVOCA, *args], env=ro, capture_output=True, text=True)
        assert "Error interno" not in done.stderr, (args, done.stderr)
    assert subprocess.run([CONVOCA, "auditoria", "verificar"], env=ro, capture_output=True,
                          text=True).stdout.startswith("OK")
    write = subprocess.run([CONVOCA, "usuarios", "agregar", "beto", "--rol", "ues"], env=ro, capture_output=True,
                           text=True)
    assert write.returncode == 1 and "La base de datos es de solo lectura" in write.stderr
    assert "INSERT" not in write.stderr and "Traceback" not in write.stderr


def test_an_export_that_cannot_be_written_leaves_nothing_half_written(db_url, tmp_path):
    from tests.cli import convoca

    target = tmp_path / "casos.xlsx"
    target.mkdir()  # where the file should go, something that a file cannot replace
    done = convoca("listar", "--xlsx", str(target), env={"CONVOCA_DB": db_url})
    assert done.code == 1 and f"No se puede escribir {target}" in done.err and "a medias" in done.err
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_service_says_a_failed_pass_in_one_spanish_line_without_sql(caplog):
    import logging

    from workflow.clock import FixedClock
    from workflow.engine.service import _pass

    url = "postgresql+psycopg://dueno:s3cr3t0@127.0.0.1:1/convoca"  # nothing listens there
    with caplog.at_level(logging.INFO, logger="convoca.servicio"):
        _pass(url, FixedClock(__import__("datetime").datetime(2020, 3, 2, 9, 0)))
    text = caplog.text
    assert "ERROR" in text and "la pasada de vigilar" in text and "No se puede abrir la base de datos" in text
    assert "s3cr3t0" not in text and "Traceback" not in text and "SELECT" not in text
