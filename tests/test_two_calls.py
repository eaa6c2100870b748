"""Two calls in one database: each call's cases get their own deadlines and messages, and the
service, the digest and the delivery work across both, with the installation's own settings."""
from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from states.call import DEFAULT_CALL
from states.historia import write_csv
from states.pct_2019.demo_data import proposals
from tests.cli import convoca
from tests.conftest import Walker, assign_monitor
from tests.smtp import smtp_server
from tests.test_cli_plazos import service_until_it_acts
from workflow.storage.db import connect
from workflow.storage.models import AuditRecord, Deadline, Message

SECOND = "E063-2019-01"


def env_for(db_url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "CONVOCA_DB": db_url, "COLUMNS": "200", "CONVOCA_AHORA": "2020-02-10T09:00", **extra}


def run(env, *args: str):
    done = convoca(*args, env=env)
    assert done.code == 0, done.err
    return done


def second_call(walker: Walker, db_url: str, tmp_path: Path) -> dict[str, str]:
    """Loads a second call (another code and name, the same bases) and imports three proposals into it."""
    text = DEFAULT_CALL.read_text(encoding="utf-8").replace('codigo = "E062-2019-01"', f'codigo = "{SECOND}"')
    path = tmp_path / "segunda.toml"
    path.write_text(text.replace('nombre = "Registro de Patentes PCT"', 'nombre = "Patentes PCT, segunda"'),
                    encoding="utf-8")
    env = env_for(db_url, CONVOCA_USUARIO="admin")
    assert f"Convocatoria {SECOND} «Patentes PCT, segunda» cargada." in run(env, "init", "--convocatoria",
                                                                            str(path)).out
    rows = [{**r, "codigo": r["codigo"].replace("E062-", "E063-")} for r in proposals(3, seed=7)]
    done = run(env_for(db_url, CONVOCA_USUARIO="mesa"), "importar", str(write_csv(rows, tmp_path / "p2.csv")),
               "--convocatoria", SECOND)
    assert f"Importadas 3 postulaciones a {SECOND}" in done.out
    assign_monitor(walker.session)
    walker.rows.update({r["codigo"]: r for r in rows})
    return {r["codigo"]: r for r in rows}


def test_two_calls_each_with_its_own_deadlines_messages_digest_and_service(walker: Walker, db_url: str,
                                                                          tmp_path: Path):
    second_call(walker, db_url, tmp_path)
    for codigo in ("E062-0001", "E063-0001"):
        walker.to(codigo, "hitos")
    run(env_for(db_url, CONVOCA_USUARIO="admin"), "usuarios", "agregar", "usm.luis", "--rol", "monitor",
        "--email", "luis@fondecyt.gob.pe")
    for codigo in ("E062-0001", "E063-0001"):
        run(env_for(db_url, CONVOCA_USUARIO="ues"), "asignar", codigo, "usm.luis", "--fecha", "2020-01-06")

    # the agenda lists each case's own deadlines, of its own call
    agenda = json.loads(run(env_for(db_url), "plazos", "--hasta", "2020-02-17", "--json").out)
    assert {(r["codigo"], r["tipo"], r["hito"]) for r in agenda} >= {
        ("E062-0001", "P3", "1"), ("E063-0001", "P3", "1")}

    with smtp_server() as (srv, box):
        smtp = {"CONVOCA_SMTP_HOST": "127.0.0.1", "CONVOCA_SMTP_PUERTO": str(srv.port),
                "CONVOCA_SMTP_SEGURIDAD": "ninguna", "CONVOCA_SMTP_REMITENTE": "convoca@fondecyt.gob.pe"}
        done = run(env_for(db_url, **smtp), "vigilar")
        assert "E062-0001" in done.out and "E063-0001" in done.out

        engine = connect(db_url)
        with Session(engine) as s:
            from datetime import datetime

            from workflow.clock import LIMA
            from workflow.engine.calls import all_calls
            from workflow.engine.digest import queue_digests

            assert [c.codigo for c in all_calls(s)] == ["E062-2019-01", SECOND]
            assert queue_digests(s, datetime(2020, 2, 10, 8, 0, tzinfo=LIMA)) == 2  # usm.luis and `monitor`
            resumen = s.execute(select(Message).where(Message.clave == "resumen:usm.luis:2020-02-10")).scalars().one()
            assert "E062-0001" in resumen.texto and "E063-0001" in resumen.texto
            reminders = s.execute(select(Message.codigo, Message.plazo_id).where(Message.tipo == "recordatorio")).all()
            owners = dict(s.execute(select(Deadline.id, Deadline.codigo)).all())
        engine.dispose()
        assert {c for c, _ in reminders} == {"E062-0001", "E063-0001"}
        assert all(owners[p] == c for c, p in reminders), "each reminder is about its own case's deadline"

        done = run(env_for(db_url, **smtp), "correos", "enviar")
        assert "0 por reintentar, 0 fallidos" in done.out
        recipients = {r for _, to, _ in box.accepted for r in to}
        assert {"coord1@example.org", "luis@fondecyt.gob.pe"} <= recipients
        subjects = " ".join(str(m["Subject"]) for *_, m in box.accepted)
        assert "E062-0001" in subjects and "E063-0001" in subjects

    # the service starts with two calls loaded (it reads the installation's settings, not "the" call)
    returncode, out, before = service_until_it_acts(db_url, env_for(db_url, CONVOCA_AHORA="2020-02-18T09:00"))
    assert returncode == 0, out
    with Session(connect(db_url)) as s:
        acted = set(s.execute(select(AuditRecord.codigo).where(AuditRecord.usuario == "vigilar",
                                                               AuditRecord.id > before)).scalars())
    assert {"E062-0001", "E063-0001"} <= acted
    assert "OK" in run(env_for(db_url), "auditoria", "verificar").out


def test_settings_are_the_installation_s_audited_and_checked(db_url: str, tmp_path: Path):
    env = env_for(db_url, CONVOCA_USUARIO="admin")
    listed = json.loads(run(env, "ajustes", "--json").out)
    assert {r["clave"]: r["valor"] for r in listed}["intentos_envio"] == 5
    assert run(env, "ajustes", "fijar", "intentos_envio", "3").out.strip() == "Ajuste intentos_envio: 5 → 3."
    assert {r["clave"]: r["valor"] for r in json.loads(run(env, "ajustes", "--json").out)}["intentos_envio"] == 3

    refused = convoca("ajustes", "fijar", "intentos_envio", "3", env=env_for(db_url, CONVOCA_USUARIO="ues"))
    assert refused.code == 2 and "el rol ues no puede fijar_ajuste; pueden: admin" in refused.err
    bad = convoca("ajustes", "fijar", "hora_resumen", "25:00", env=env)
    assert bad.code == 1 and "Valor inválido para hora_resumen: '25:00'" in bad.err
    unknown = convoca("ajustes", "fijar", "intervalo", "5", env=env)
    assert "Ajuste desconocido: intervalo" in unknown.err

    assert "OK" in run(env, "auditoria", "verificar").out
    with Session(connect(db_url)) as s:  # written around convoca: the log does not give it
        if s.connection().dialect.name == "postgresql":  # its guard would refuse even the owner: switch it off
            s.connection().exec_driver_sql("SET LOCAL session_replication_role = replica")
        s.connection().exec_driver_sql("UPDATE ajuste SET valor = '50' WHERE clave = 'intentos_envio'")
        s.commit()
    tampered = convoca("auditoria", "verificar", env=env)
    assert tampered.code == 4 and "AJUSTE ALTERADO intentos_envio: guardado 50, según la auditoría 3" in tampered.err

    old = tmp_path / "antigua.toml"
    old.write_text(DEFAULT_CALL.read_text(encoding="utf-8") + "\n[servicio]\nintervalo_minutos = 15\n",
                   encoding="utf-8")
    done = convoca("init", "--convocatoria", str(old), env=env)
    assert done.code != 0 and "[servicio] ya no son de la convocatoria sino de la instalación" in done.err
