"""`convoca` against a temporary database: in-process, and once through the real entry point."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from states.historia import write_csv
from states.pct_2019.demo_data import eligibility_facts, proposals
from tests.cli import convoca

CONVOCA = shutil.which("convoca", path=str(Path(sys.executable).parent)) or "convoca"


@pytest.fixture
def run(tmp_path: Path, empty_db_url: str):
    env = {**os.environ, "CONVOCA_DB": empty_db_url, "CONVOCA_USUARIO": "ues.ana",
           "CONVOCA_AHORA": "2019-12-31T10:00"}

    def _run(*args: str, ok: bool = True):
        done = convoca(*args, env=env)
        if ok:
            assert done.returncode == 0, done.stderr
        return done

    _run("init", "--ensayo")
    _run("usuarios", "agregar", "admin", "--rol", "admin")
    _run("usuarios", "agregar", "ues.ana", "--rol", "ues", "--usuario", "admin")
    _run("importar", str(write_csv(proposals(5), tmp_path / "p.csv")))
    return _run


def test_advance_records_and_shows_the_move(run):
    datos = [a for k, v in eligibility_facts().items() for a in ("--dato", f"{k}={v}")]
    run("avanzar", "E062-0001", "registrar_elegibilidad", "--fecha", "2019-10-25", *datos)
    done = run("avanzar", "E062-0001", "declarar_apta", "--fecha", "2019-10-25")
    assert "E062-0001: postulada → apta (declarar_apta), versión 3; fecha efectiva 2019-10-25." in done.stdout
    listed = json.loads(run("listar", "--estado", "apta", "--json").stdout)
    assert [c["codigo"] for c in listed] == ["E062-0001"]
    second = json.loads(run("listar", "--pagina", "2", "--por-pagina", "2", "--json").stdout)
    assert [c["codigo"] for c in second] == ["E062-0003", "E062-0004"]
    assert "5 casos — página 1 de 3" in run("listar", "--por-pagina", "2").stdout


def test_refusal_exits_non_zero_with_reasons_and_no_traceback(run):
    done = run("avanzar", "E062-0002", "declarar_apta", ok=False)
    assert done.returncode == 2
    assert "Bases §2.2.1: RUC de la entidad activo: no acreditado" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_case_and_event_say_where_the_valid_ones_are(run):
    done = run("avanzar", "E062-0002", "zzz", ok=False)
    assert done.returncode == 1 and "Evento desconocido: «zzz»." in done.stderr
    assert "`convoca eventos` los lista" in done.stderr and "¿Quiso decir" not in done.stderr
    done = run("avanzar", "E062-0002", "declarar_aptaa", ok=False)
    assert "¿Quiso decir declarar_apta?" in done.stderr
    done = run("ver", "NO-EXISTE", ok=False)
    assert "Caso desconocido: NO-EXISTE" in done.stderr


def test_a_case_code_in_any_case_names_the_case(run, tmp_path: Path):
    """Codes come off paper and e-mails: `e062-0001` is E062-0001, in a command and in a file."""
    shown = run("ver", "e062-0001")
    assert "E062-0001 — " in shown.stdout
    datos = [a for k, v in eligibility_facts().items() for a in ("--dato", f"{k}={v}")]
    run("avanzar", "e062-0001", "registrar_elegibilidad", "--fecha", "2019-10-25", *datos)
    assert "E062-0001: postulada → apta" in run("avanzar", "E062-0001", "declarar_apta", "--fecha", "2019-10-25").stdout
    fila = tmp_path / "fila.csv"
    fila.write_text("codigo,evento,fecha\ne062-0002,declarar_no_apta,2019-10-25\n", encoding="utf-8")
    assert run("lote", str(fila)).returncode == 0
    assert json.loads(run("ver", "E062-0002", "--json").stdout)["estado"] == "no_apta"


def test_view_json_keeps_stable_keys_and_explains_refusals(run):
    detail = json.loads(run("ver", "E062-0003", "--json").stdout)
    assert {"codigo", "estado", "eventos", "plazos", "historial"} <= set(detail)
    apta = next(e for e in detail["eventos"] if e["evento"] == "declarar_apta")
    assert apta["permitido"] is False and any("Bases §3.3" in m for m in apta["motivos"])
    elig = next(e for e in detail["eventos"] if e["evento"] == "registrar_elegibilidad")
    assert elig["permitido"] is True
    assert detail["historial"][0]["evento"] == "postular"


def test_history_and_diagram(run):
    assert "postular" in run("historial", "E062-0001").stdout
    diagram = run("diagrama", "E062-0001").stdout
    assert "stateDiagram-v2" in diagram and "Class postulada s_active" in diagram
    assert "evaluada --> aprobada: publicar" in diagram


def test_uninitialised_database_says_what_to_do_through_the_entry_point(empty_db_url: str):
    """The installed `convoca` script itself: its exit code and message, no traceback."""
    env = {**os.environ, "CONVOCA_DB": empty_db_url}
    done = subprocess.run([CONVOCA, "listar"], capture_output=True, text=True, env=env)
    assert done.returncode == 1 and "ejecute `convoca init`" in done.stderr


def test_demo_runs_end_to_end(tmp_path: Path):
    done = convoca("demo", "--base", str(tmp_path / "demo.db"), "--csv", str(tmp_path / "postulaciones.csv"),
                   env={"COLUMNS": "120"})
    assert done.returncode == 0, done.stderr
    assert "Casos por estado" in done.stdout and "Cerrada" in done.stdout
    assert "Comité de Consistencia" in done.stdout
    assert (tmp_path / "demo.db").exists() and (tmp_path / "postulaciones.csv").exists()
    hint = done.stdout.split("Para explorar la base de la demostración:")[1].split()
    assert hint[1:4] == ["--db", str(tmp_path / "demo.db"), "listar"] and "|" not in hint  # commands, not a pipe


def test_demo_honours_db(tmp_path: Path):
    done = convoca("--db", str(tmp_path / "ensayo.db"), "demo", env={"COLUMNS": "120"})
    assert done.code == 0 and (tmp_path / "ensayo.db").exists() and (tmp_path / "ensayo.csv").exists()


@pytest.mark.parametrize("args", [["auditoria"], ["auditoria", "--json"], ["auditoria", "--csv"]])
def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(demo_db: Path, args):
    """`convoca auditoria | head -1` (more than a pipe holds): the line was read; no error code, no message."""
    with subprocess.Popen([CONVOCA, "--db", str(demo_db), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          bufsize=0) as proc:
        assert proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read()
    assert (proc.returncode, err) == (0, b"")
