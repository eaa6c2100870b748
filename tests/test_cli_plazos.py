"""The agenda, its iCalendar export, the calendar commands and the service, from the command line."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from datetime import date
from pathlib import Path

from icalendar import Calendar as ICalendar
from sqlalchemy import func, select
from sqlmodel import Session

from tests.cli import convoca
from tests.conftest import Walker
from tests.test_cli import CONVOCA
from workflow.storage.db import connect
from workflow.storage.models import AuditRecord


def env_for(db_url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "CONVOCA_DB": db_url, "CONVOCA_USUARIO": "ues", "COLUMNS": "200", **extra}


def run(env, *args: str):
    done = convoca(*args, env=env)
    assert done.returncode == 0, done.stderr
    return done


def test_agenda_json_and_ics(walker: Walker, db_url: str, tmp_path: Path):
    walker.to("E062-0001", "hitos")
    env = env_for(db_url, CONVOCA_AHORA="2020-02-10T09:00")
    rows = json.loads(run(env, "plazos", "--hasta", "2020-04-30", "--json").stdout)
    assert [(r["tipo"], r["hito"], r["vence"], r["dias_restantes"]) for r in rows][:3] == [
        ("P1", None, "2020-01-02", -39), ("P3", "1", "2020-02-17", 7), ("P6", "1", "2020-02-17", 7)]
    ics = tmp_path / "agenda.ics"
    run(env, "plazos", "--ics", str(ics))
    events = [c for c in ICalendar.from_ical(ics.read_bytes()).walk("VEVENT")]
    assert len(events) == len(json.loads(run(env, "plazos", "--json").stdout))
    first = events[0]
    assert str(first["summary"]) == "[ENSAYO] E062-0001 P1: Taller de inducción (lo convoca FONDECYT con INDECOPI)"
    assert first.walk("VALARM")[0]["trigger"].dt.days == -1
    shown = run(env, "ver", "E062-0001").stdout
    assert "Plazos abiertos" in shown and "P3 Presentación del ITF del hito" in shown


def test_calendar_lists_and_adds_days_with_their_decree(db_url: str, walker: Walker):
    env = env_for(db_url)
    listed = run(env, "calendario", "2019").stdout
    assert "2019-10-31" in listed and "DS 002-2019-PCM" in listed and "Todos Los Santos" in listed
    run(env, "calendario", "agregar", "2020-03-16", "--hasta", "2020-06-10", "--tipo", "suspension",
        "--norma", "DU 026-2020 y prórrogas", "--usuario", "direccion")
    assert "DU 026-2020 y prórrogas (agregado por direccion)" in run(env, "calendario", "2020").stdout
    # deadlines opened after the suspension was added count around it: P5 from Thu 2020-03-12
    c = walker.to("E062-0001", "hitos")
    walker.fire(c, "presentar_itf", date(2020, 3, 12), hito=1, indicadores_cumplidos=3)
    walker.fire(c, "aprobar_itf", date(2020, 3, 12), hito=1)
    rows = json.loads(run(env, "plazos", "--caso", c, "--json").stdout)
    assert next(r for r in rows if r["tipo"] == "P5")["vence"] == "2020-07-01"
    bad = convoca("calendario", "agregar", "2020-01-05", "--norma", " ", "--usuario", "direccion", env=env)
    assert bad.returncode == 2 and "Indique el decreto" in bad.stderr


def test_vigilar_twice_at_the_same_instant(walker: Walker, db_url: str):
    walker.to("E062-0001", "hitos")
    env = env_for(db_url)
    first = run(env, "vigilar", "--ahora", "2020-02-18T09:00").stdout
    assert "plazo_vencido" in first and "Envío de correos desactivado" in first
    second = run(env, "vigilar", "--ahora", "2020-02-18T09:00").stdout
    assert ": 0 acciones" in second


def service_until_it_acts(db_url: str, env: dict[str, str]) -> tuple[int, str, int]:
    """`convoca servicio` as a process, stopped with SIGTERM once its first pass wrote the log:
    (exit code, output, the log's length before it started)."""
    with Session(connect(db_url)) as s:
        before = s.execute(select(func.count()).select_from(AuditRecord)).scalar_one()
    proc = subprocess.Popen([CONVOCA, "servicio"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with Session(connect(db_url)) as s:
                if s.execute(select(func.count()).select_from(AuditRecord)).scalar_one() > before:
                    break
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    finally:
        proc.kill()
    return proc.returncode, out, before


def test_servicio_runs_a_pass_and_stops_on_sigterm(walker: Walker, db_url: str):
    walker.to("E062-0001", "hitos")
    returncode, out, _ = service_until_it_acts(db_url, env_for(db_url, CONVOCA_AHORA="2020-02-18T09:00"))
    assert returncode == 0, out
    assert "servicio iniciado: vigilar cada 15 min, resumen diario a las 08:00 (Lima)" in out
    assert "señal SIGTERM: deteniendo el servicio" in out and "servicio detenido" in out
    with Session(connect(db_url)) as s:
        assert s.execute(select(func.count()).select_from(AuditRecord)
                         .where(AuditRecord.usuario == "vigilar")).scalar_one() > 0


def test_each_officer_asks_for_their_own_work(walker: Walker, db_url: str):
    """A monitor's cases and their deadlines; the UES's deadlines; another monitor's; the week ahead."""
    from workflow.engine.users import add_user, assign

    walker.to("E062-0001", "hitos")  # assigned to `monitor` by the walker
    walker.to("E062-0002", "contratada")
    walker.to("E062-0003", "aprobada")  # its invitation to sign not yet notified: the UES's task NF
    add_user(walker.session, "otra", "monitor", None, None, "admin", date(2019, 10, 1))
    from tests.conftest import CLOCK

    assign(walker.session, "E062-0002", "otra", "ues", CLOCK, date(2019, 12, 3))
    env = env_for(db_url, CONVOCA_AHORA="2020-02-10T09:00")

    def codes(*args):
        return {r["codigo"] for r in json.loads(run(env, *args, "--json").stdout)}

    assert codes("plazos", "--mios", "--usuario", "monitor") == {"E062-0001", "E062-0003"}
    assert codes("plazos", "--monitor", "otra") == {"E062-0002"}
    assert codes("listar", "--mios", "--usuario", "otra") == {"E062-0002"}
    week = json.loads(run(env, "plazos", "--mios", "--semana", "--usuario", "monitor", "--json").stdout)
    assert week and all(r["vence"] <= "2020-02-17" for r in week)
    assert {r["vence"] for r in week} < {r["vence"] for r in json.loads(
        run(env, "plazos", "--mios", "--usuario", "monitor", "--json").stdout)}
    ues = json.loads(run(env, "plazos", "--mios", "--json").stdout)  # CONVOCA_USUARIO=ues
    assert ues and {(r["codigo"], r["tipo"], r["responsable"]) for r in ues} == {("E062-0003", "NF", "UES")}
    for args, said in ((["plazos", "--responsable", "foo"], "Responsable desconocido: foo. Responsables: EE, monitor, "
                                                              "UES, DE."),
                       (["listar", "--monitor", "nadie"], "Monitor desconocido: nadie. Monitores: monitor, otra."),
                       (["plazos", "--mios", "--usuario", "admin"], "admin tiene el rol admin, que no tiene casos"),
                       (["plazos", "--semana", "--hasta", "2020-03-01"], "use una sola")):
        done = convoca(*args, env=env)
        assert done.code != 0 and said in done.err, (args, done)
