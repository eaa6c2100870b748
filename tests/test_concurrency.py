"""Many officers at once: optimistic locking, one audit chain, nothing lost or doubled."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, true
from sqlmodel import Session

from notifications.outbox import withdraw
from states.historia import write_csv
from states.pct_2019.demo_data import proposals
from tests.conftest import CLOCK
from tests.smtp import smtp_server
from tests.test_cli import CONVOCA
from workflow.engine.calls import call_of
from workflow.engine.cases import Request, commit, prepare
from workflow.engine.importer import import_file
from workflow.engine.replay import replay
from workflow.engine.users import add_user
from workflow.errors import Conflict
from workflow.storage import audit
from workflow.storage.db import connect
from workflow.storage.models import AuditRecord, CaseRecord, Deadline, Message

ROOT = Path(__file__).resolve().parent.parent
PROCESSES, EVENTS, CASES = 8, 500, 50


def test_eight_officers_on_fifty_cases(db_url: str, tmp_path: Path):
    engine = connect(db_url)
    with Session(engine) as s:
        add_user(s, "monitor2", "monitor", None, None, "admin", date(2019, 10, 1))
        import_file(s, call_of(s), write_csv(proposals(CASES), tmp_path / "p.csv"), "mesa")
        before = s.execute(select(func.count()).select_from(AuditRecord)).scalar_one()
    workers = [subprocess.Popen([sys.executable, "-m", "tests.concurrency_worker", db_url, str(seed), str(EVENTS)],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for seed in range(PROCESSES)]
    verdicts = []
    while len(verdicts) < 20 or any(w.poll() is None for w in workers):  # the auditor, while they write
        verdicts.append(subprocess.run([CONVOCA, "auditoria", "verificar"], env={**os.environ, "CONVOCA_DB": db_url},
                                       capture_output=True, text=True))
    results = [w.communicate(timeout=900) for w in workers]
    assert all(w.returncode == 0 for w in workers), [err[-2000:] for _, err in results]
    assert all(v.returncode == 0 and v.stdout.startswith("OK: ") for v in verdicts), \
        [v.stderr for v in verdicts if v.returncode][:3]
    accepted = sum(int(out.split()[0]) for out, _ in results)
    conflicts = sum(int(out.split()[1]) for out, _ in results)
    with Session(engine) as s:
        logged = s.execute(select(func.count()).select_from(AuditRecord)
                           .where(AuditRecord.aceptado.is_(True))).scalar_one() - before
        assert logged == accepted and accepted > PROCESSES * EVENTS * 0.8
        for case in s.execute(select(CaseRecord)).scalars():
            past = replay(s, case.codigo)
            assert (past["estado"], past["hechos"], past["eventos"]) == (case.estado, case.hechos, case.version), \
                case.codigo
        assert audit.verify(s.connection()).ok
    engine.dispose()
    print(f"{accepted} aceptados, {conflicts} conflictos reintentados")


def test_two_officers_on_the_same_case_exactly_one_wins(walker, db_url: str):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def officer(evento: str, usuario: str, datos: dict) -> None:
        engine = connect(db_url)
        with Session(engine) as s:
            plan = prepare(s, [Request("E062-0001", evento, datos, usuario, date(2019, 10, 26))], CLOCK)
            barrier.wait()
            try:
                commit(plan)
                outcomes.append(evento)
            except Conflict as exc:
                outcomes.append(f"conflicto: {exc}")
        engine.dispose()

    walker.step("E062-0001", "registrar_elegibilidad")
    threads = [threading.Thread(target=officer, args=a) for a in (
        ("declarar_apta", "ues", {}), ("descalificar", "direccion", {"causa": "plagio", "motivo": "copia"}))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wins = [o for o in outcomes if not o.startswith("conflicto")]
    assert len(wins) == 1 and "otra persona modificó E062-0001" in next(o for o in outcomes if o.startswith("conf"))
    with Session(connect(db_url)) as s:
        case = s.execute(select(CaseRecord).where(CaseRecord.codigo == "E062-0001")).scalar_one()
        assert case.estado == {"declarar_apta": "apta", "descalificar": "descalificada"}[wins[0]]
        assert replay(s, "E062-0001")["estado"] == case.estado


def test_two_schedulers_send_every_message_once(walker, db_url: str):
    codes = [c for c, r in walker.rows.items() if r["entidad_tipo"] != "centro_internacional"][:6]
    for c in codes:
        walker.to(c, "hitos")
        walker.step(c, "registrar_induccion")
    with Session(connect(db_url)) as s:
        withdraw(s.connection(), true(), "apartado por la prueba", date(2020, 2, 1))  # only vigilar's
        s.commit()
    with smtp_server() as (srv, box):
        env = {**os.environ, "CONVOCA_DB": db_url, "CONVOCA_SMTP_HOST": "127.0.0.1", "CONVOCA_SMTP_PUERTO": str(srv.port),
               "CONVOCA_SMTP_SEGURIDAD": "ninguna", "CONVOCA_SMTP_REMITENTE": "convoca@fondecyt.gob.pe"}
        procs = [subprocess.Popen([CONVOCA, "vigilar", "--ahora", when], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for when in ("2020-02-18T09:00", "2020-02-18T09:00")]
        outs = [p.communicate(timeout=120) for p in procs]
        assert all(p.returncode == 0 for p in procs), [e for _, e in outs]
    with Session(connect(db_url)) as s:
        queued = s.execute(select(Message).where(Message.advertencia.is_distinct_from("retirado: apartado por la prueba"))).scalars().all()
        assert queued and all(m.estado == "enviado" for m in queued)
        marked = s.execute(select(func.count()).select_from(AuditRecord)
                           .where(AuditRecord.evento == "plazo_vencido")).scalar_one()
        overdue = s.execute(select(func.count()).select_from(Deadline).where(Deadline.estado == "vencido")).scalar_one()
        assert marked == overdue > 0  # each overdue deadline acted on by exactly one of the two passes
        assert audit.verify(s.connection()).ok
    ids = [msg["Message-ID"] for _, _, msg in box.accepted]
    assert len(ids) == len(queued) == len(set(ids))


def test_a_held_lock_times_out_with_a_message_instead_of_hanging_everyone(walker, db_url: str):
    """Someone's session holds the chain's head (or LOCK TABLE caso) and goes to lunch: every other
    officer's command waits the set time (CONVOCA_ESPERA_S), then says so in Spanish and writes nothing."""
    import time

    import psycopg
    import pytest
    from sqlalchemy import make_url

    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite's busy timeout is the same setting: «sigue ocupada por otra operación»")
    url = make_url(db_url)
    env = {**os.environ, "CONVOCA_DB": db_url, "CONVOCA_AHORA": "2019-10-20T10:00", "CONVOCA_ESPERA_S": "2"}
    act = [CONVOCA, "avanzar", "E062-0001", "registrar_elegibilidad", "--dato", "ruc_activo=si", "--usuario", "ues"]
    for holding in ("SELECT * FROM convoca_cabeza()", "LOCK TABLE caso IN ACCESS EXCLUSIVE MODE"):
        with psycopg.connect(host=url.query["host"], dbname=url.database, user=url.username) as held:
            held.execute(holding)  # the transaction stays open: the lock is held
            start = time.monotonic()
            done = subprocess.run(act, env=env, capture_output=True, text=True, timeout=60)
            took = time.monotonic() - start
            assert done.returncode == 1 and "Otra transacción retiene la base" in done.stderr and "2 s" in done.stderr \
                and took < 20, (holding, done.stderr, took)
            if holding.startswith("LOCK"):
                shown = subprocess.run([CONVOCA, "ver", "E062-0001"], env=env, capture_output=True, text=True,
                                       timeout=60)
                assert shown.returncode == 1 and "Otra transacción retiene la base" in shown.stderr, shown.stderr
            held.rollback()
    assert subprocess.run(act, env=env, capture_output=True, text=True, timeout=60).returncode == 0  # released
