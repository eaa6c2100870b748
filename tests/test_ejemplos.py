"""Every command's help ends with a real example, and the suite runs every example: in the order of
`workflow/cli/examples.py`, on a copy of the demonstration's database, with a real SMTP server.

The files an officer would have filled beforehand (a late proposal, its eligibility checklist, its
evaluation sheet, a visits sheet) are written here from the demo's own data."""
from __future__ import annotations

import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer.main

from states.historia import write_csv
from states.pct_2019.demo_data import eligibility_facts, proposals
from tests.cli import convoca
from tests.conftest import ON_POSTGRES
from tests.smtp import smtp_server
from workflow.cli.app import app
from workflow.cli.examples import EJEMPLOS as GENERALES
from workflow.cli.examples import TODOS

SALIDAS = {"correos enviar": 5}
"""Examples whose exit code is not 0, and why: the test's server refuses one mailbox, and
`correos enviar` says so with 5, the code a cron job sees (then `correos reintentar` shows it)."""
APARTE = ("demo", "servicio")
"""Run on their own: the demo makes its own database; the service runs until it is stopped."""
ANTES = {"elegibilidad": "eventos", "evaluar": "lote", "seleccionar": "lote", "promover": "lote", "hito": "lote"}
"""Where the story reaches the commands E062's book gives (before which of the installation's): the
late proposal's eligibility is recorded before `avanzar` declares it apta; its evaluation, the
published order, a promotion and a milestone's step follow the rectification and annulment."""


def _story() -> dict[str, tuple[str, ...]]:
    """Every example in the order the story tells them."""
    out: dict[str, tuple[str, ...]] = {}
    for path, lines in GENERALES.items():
        for propio, antes in ANTES.items():
            if antes == path:
                out[propio] = TODOS[propio]
        out[path] = lines
    return {**out, **{k: v for k, v in TODOS.items() if k not in out}}


EJEMPLOS = _story()


def _commands(group=None, path=()):
    group = group or typer.main.get_command(app)
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            if command.invoke_without_command:  # `convoca correos` is a command as well as a group
                yield " ".join((*path, name)), command
            yield from _commands(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


def _help(path: str) -> str:
    done = convoca(*path.split(), "--help")
    assert done.code == 0, done.err
    return done.out


def test_every_command_has_an_example_and_its_help_ends_with_it():
    commands = {path for path, _ in _commands()}
    assert set(EJEMPLOS) == commands, f"sin ejemplo: {sorted(commands - set(EJEMPLOS))}; sin comando: {sorted(set(EJEMPLOS) - commands)}"
    for path in commands:
        lines = _help(path).rstrip().splitlines()
        shown = [line.strip().removeprefix("$ ") for line in lines[-len(EJEMPLOS[path]):]]
        assert lines[-len(EJEMPLOS[path]) - 1] == "Ejemplo:" and shown == list(EJEMPLOS[path]), path


def _inputs(folder: Path) -> None:
    late = proposals(1, seed=7)[0]
    write_csv([{**late, "codigo": "E062-0043"}], folder / "tardia.csv")
    write_csv([{"codigo": "E062-0043", "fecha": "2019-10-25", **eligibility_facts()}], folder / "verificacion.csv")
    write_csv([{"codigo": "E062-0043", "fecha": "2019-11-08", "presencia": "4", "relevancia": "4", "inventivo": "3",
                "comentarios": "Ficha consensuada por los expertos de INDECOPI."}], folder / "fichas.csv")
    write_csv([{"codigo": "E062-0010", "evento": "registrar_visita", "fecha": "2020-03-10", "anunciada": "sí",
                "acta": "ACTA-V-007"}], folder / "visitas.csv")


@pytest.mark.skipif(ON_POSTGRES, reason="the demo is an SQLite file")
def test_every_example_runs_on_the_demo(demo_db: Path, tmp_path: Path, monkeypatch):
    shutil.copy(demo_db, tmp_path / "demo.db")
    _inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    with smtp_server(replies=["550 5.1.1 Buzón inexistente"]) as (server, box):
        env = {"CONVOCA_DB": str(tmp_path / "demo.db"), "CONVOCA_SMTP_HOST": "127.0.0.1",
               "CONVOCA_SMTP_PUERTO": str(server.port), "CONVOCA_SMTP_SEGURIDAD": "ninguna",
               "CONVOCA_SMTP_REMITENTE": "convocatorias@fondecyt.gob.pe", "CONVOCA_CLAVE": str(tmp_path / "clave")}
        for path, lines in EJEMPLOS.items():
            if path in APARTE:
                continue
            for line in lines:
                done = convoca(*shlex.split(line)[1:], env=env)
                expected = SALIDAS.get(path, 0) if line == lines[-1] else 0
                assert done.code == expected, f"$ {line}\n{done.err}{done.out}"
        assert box.accepted and box.refused == 1
    assert (tmp_path / "carta-simple.pdf").read_bytes().startswith(b"%PDF")
    assert convoca("auditoria", "verificar", env=env).code == 0  # all of it, in the record that proves it


@pytest.mark.skipif(ON_POSTGRES, reason="the demo is an SQLite file")
def test_the_demo_and_the_service_examples_run(demo_db: Path, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    demo = convoca(*shlex.split(EJEMPLOS["demo"][0])[1:] + ["--csv", str(tmp_path / "p.csv")],
                   env={"CONVOCA_DB": str(tmp_path / "demo.db")})
    assert demo.code == 0, demo.err
    shutil.copy(demo_db, tmp_path / "servicio.db")
    binary = Path(sys.executable).parent / "convoca"
    with subprocess.Popen([str(binary), "--db", str(tmp_path / "servicio.db"), *shlex.split(EJEMPLOS["servicio"][0])[1:]],
                          stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as proc:
        deadline = time.monotonic() + 60
        line = ""
        while "vigilar 20" not in line and time.monotonic() < deadline:  # its first pass, done
            line = proc.stderr.readline() or proc.stdout.readline()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0 and "servicio detenido" in err, err
