"""The audit log: tamper-evident, append-only, complete enough to replay every case; and who may
do what."""
from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import make_url, select, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from states.pct_2019.lifecycle import CICLO
from states.roles import ROLES
from tests.cli import convoca
from tests.conftest import CLOCK, ON_POSTGRES, Walker, snapshot
from workflow.engine.cases import Request, prepare
from workflow.engine.fields import BadData
from workflow.engine.users import add_user, deactivate
from workflow.errors import Refusal
from workflow.storage import audit, merkle
from workflow.storage.db import connect
from workflow.storage.models import AuditRecord, CaseRecord, Deadline


@pytest.fixture
def logged(walker: Walker, db_url: str, session, postgres, tmp_path: Path):
    """A database with a case taken to contract (a few dozen chained rows), and a way to copy it."""
    walker.to("E062-0001", "contratada")
    session.close()
    session.get_bind().dispose()

    def copy() -> str:
        if postgres:
            return postgres.url(postgres.new_database(template=make_url(db_url).database))
        target = tmp_path / f"copia-{len(list(tmp_path.glob('copia-*')))}.db"
        shutil.copy(db_url.removeprefix("sqlite:///"), target)
        return f"sqlite:///{target}"

    return copy


@contextmanager
def attacker(url: str):
    """Someone with direct access to the database: drops the append-only triggers and writes SQL."""
    engine = connect(url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            for trigger in ("auditoria_solo_agregar", "auditoria_arbol_solo_agregar"):
                conn.execute(text(f"DROP TRIGGER {trigger}_update"))
                conn.execute(text(f"DROP TRIGGER {trigger}_delete"))
        else:
            conn.execute(text("DROP TRIGGER auditoria_solo_agregar ON auditoria"))
            conn.execute(text("DROP TRIGGER auditoria_quien_cuando ON auditoria"))
            conn.execute(text("DROP TRIGGER auditoria_mueve_cabeza ON auditoria"))
            conn.execute(text("DROP TRIGGER auditoria_arbol_solo_agregar ON auditoria_arbol"))
        yield conn
    engine.dispose()


def verified(url: str, sello: str | None = None) -> audit.Verdict:
    engine = connect(url)
    with engine.connect() as conn:
        verdict = audit.verify(conn, [audit.parse_seal(sello)] if sello else [])
    engine.dispose()
    return verdict


def tampered(copy, *sql: str) -> audit.Verdict:
    url = copy()
    with attacker(url) as conn:
        for statement in sql:
            conn.execute(text(statement))
    return verified(url)


def test_intact_log_verifies(logged, db_url: str):
    verdict = verified(db_url)
    engine = connect(db_url)
    with engine.connect() as conn:
        assert verdict.ok and verdict.filas == conn.execute(text("SELECT count(*) FROM auditoria")).scalar_one()
    engine.dispose()


COLUMNS = {"caso_id": "2", "codigo": "'E062-9999'", "evento": "'cerrar'", "estado_origen": "'apta'",
           "estado_destino": "'cerrada'", "usuario": "'otro'", "rol": "'comite'", "login": "'otro_login'",
           "registrado_en": "'2019-01-01 00:00:00'", "fecha_efectiva": "'2019-01-01'", "nota": "'cambiada'",
           "datos": "'{\"x\": 1}'", "reglas": "'[\"x\"]'", "plazos": "'[{\"x\": 1}]'", "aceptado": "false", "motivos": "'[\"x\"]'",
           "hash_previo": "'" + "1" * 64 + "'", "hash": "'" + "2" * 64 + "'"}


@pytest.mark.parametrize("column", list(COLUMNS))
def test_editing_any_column_is_caught_and_names_the_row(logged, column: str):
    verdict = tampered(logged, f"UPDATE auditoria SET {column} = {COLUMNS[column]} WHERE id = 5")
    assert not verdict.ok and verdict.problema.startswith("fila 5 (registrada el ") and verdict.filas == 4


def test_deleted_row_is_caught(logged):
    verdict = tampered(logged, "DELETE FROM auditoria WHERE id = 7")
    assert not verdict.ok and verdict.problema.startswith("falta la fila 7 (siguiente presente: 8")


def test_deleted_last_row_is_caught_by_the_head(logged):
    verdict = tampered(logged, "DELETE FROM auditoria WHERE id = (SELECT max(id) FROM auditoria)")
    assert not verdict.ok and "la cabeza de la cadena dice" in verdict.problema


def test_inserted_row_is_caught(logged, db_url: str):
    engine = connect(db_url)
    with Session(engine) as s:
        last = s.execute(select(AuditRecord).order_by(AuditRecord.id.desc())).scalars().first()
    engine.dispose()
    forged = {**{c: getattr(last, c) for c in (*audit.FIELDS, "login")}, "id": last.id + 1, "nota": "insertada"}
    good_hash = audit.chain_hash(last.hash, forged)
    insert = ("INSERT INTO auditoria (id, caso_id, codigo, evento, estado_origen, estado_destino, usuario, rol, login, "
              "registrado_en, fecha_efectiva, nota, datos, reglas, plazos, aceptado, motivos, hash_previo, hash) "
              "SELECT {id}, caso_id, codigo, evento, estado_origen, estado_destino, usuario, rol, login, registrado_en, "
              "fecha_efectiva, 'insertada', datos, reglas, plazos, aceptado, motivos, '{prev}', '{h}' "
              "FROM auditoria WHERE id = {last}")
    bogus = tampered(logged, insert.format(id=last.id + 1, prev=last.hash, h="f" * 64, last=last.id))
    assert not bogus.ok and bogus.problema.startswith(f"fila {last.id + 1} ")
    # even with a correct hash, an append that bypassed the chain's head is caught
    clever = tampered(logged, insert.format(id=last.id + 1, prev=last.hash, h=good_hash, last=last.id))
    assert not clever.ok and "la cabeza de la cadena dice" in clever.problema


@pytest.mark.skipif(not ON_POSTGRES, reason="the head moves at commit on PostgreSQL only")
def test_an_append_past_the_chaining_trigger_does_not_commit(logged, db_url: str):
    """With only the chaining trigger dropped, the head refuses to move onto the row at commit: the
    append is undone, not left for verificar to find."""
    url = logged()
    engine = connect(url)
    with engine.connect() as conn:
        conn.execute(text("DROP TRIGGER auditoria_quien_cuando ON auditoria"))
        conn.commit()
        last = conn.execute(select(AuditRecord.id, AuditRecord.hash).order_by(AuditRecord.id.desc())).first()
        conn.execute(text(f"INSERT INTO auditoria (id, codigo, evento, usuario, rol, login, registrado_en, "
                          f"fecha_efectiva, datos, reglas, plazos, aceptado, motivos, hash_previo, hash) SELECT "
                          f"{last.id + 1}, codigo, evento, usuario, rol, login, registrado_en, fecha_efectiva, datos, "
                          f"reglas, plazos, aceptado, motivos, '{last.hash}', '{'f' * 64}' FROM auditoria "
                          f"WHERE id = {last.id}"))
        with pytest.raises(DBAPIError, match=f"la fila {last.id + 1} no pasó por la cadena de auditoría"):
            conn.commit()
        conn.rollback()
        assert conn.execute(select(AuditRecord.id).order_by(AuditRecord.id.desc())).scalar() == last.id
    engine.dispose()
    assert verified(url).ok


def test_swapped_rows_are_caught(logged):
    swap = [f"UPDATE auditoria SET id = {i} WHERE id = {j}" for i, j in ((-1, 3), (3, 4), (4, -1))]
    verdict = tampered(logged, *swap)
    assert not verdict.ok and verdict.problema.startswith("fila 3 ")


def test_seal_detects_a_rewritten_log(logged, db_url: str):
    engine = connect(db_url)
    with engine.connect() as conn:
        head = audit.seal(conn, CLOCK.now()).hash
    engine.dispose()
    assert verified(db_url, head).ok
    # rewrite history and recompute the whole chain, head included: only the seal kept outside notices
    url = logged()
    with attacker(url) as conn:
        conn.execute(text("UPDATE auditoria SET usuario = 'otro' WHERE id = 2"))
        prev = audit.GENESIS
        for r in conn.execute(select(AuditRecord.__table__).order_by(AuditRecord.id)).mappings().all():
            h = audit.chain_hash(prev, dict(r))
            conn.execute(text("UPDATE auditoria SET hash_previo = :p, hash = :h WHERE id = :i"),
                         {"p": prev, "h": h, "i": r["id"]})
            prev = h
        conn.execute(text("UPDATE auditoria_cabeza SET ultimo_hash = :h"), {"h": prev})
        hashes = conn.execute(text("SELECT hash FROM auditoria ORDER BY id")).scalars().all()
        conn.execute(text("DELETE FROM auditoria_arbol"))  # and the Merkle tree, grown again from the new hashes
        merkle.grow(conn, 1, hashes)
    assert verified(url).ok
    rewritten = verified(url, head)
    assert not rewritten.ok and f"el sello {head} no está en la cadena" in rewritten.problema


def test_the_application_cannot_update_or_delete_audit_rows(logged, db_url: str):
    engine = connect(db_url)
    for statement in ("UPDATE auditoria SET nota = 'x' WHERE id = 1", "DELETE FROM auditoria WHERE id = 1"):
        with pytest.raises(Exception, match="la auditoría es de solo agregar"):
            with engine.begin() as conn:
                conn.execute(text(statement))
    engine.dispose()


@pytest.fixture
def one_of_each_state(walker: Walker) -> dict[str, str]:
    codes = (c for c, r in walker.rows.items() if r["entidad_tipo"] != "centro_internacional")
    return {estado.nombre: walker.to(next(codes), estado.nombre) for estado in CICLO.estados if not estado.final}


def test_role_matrix_every_event_by_every_role(walker: Walker, session, one_of_each_state):
    for rol in ROLES:
        add_user(session, f"u_{rol}", rol, None, None, "admin", CLOCK.today())
    for c in one_of_each_state.values():
        walker.fire(c, "asignar_monitor", date(2020, 12, 1), "ues", monitor="u_monitor")
    checked = 0
    for ev in CICLO.eventos:
        estado = next(e for e in ev.origenes if e in one_of_each_state)
        codigo = one_of_each_state[estado]
        _, datos = walker.valid_data(codigo, ev.nombre)
        for rol in ROLES:
            try:
                prepare(session, [Request(codigo, ev.nombre, datos, f"u_{rol}", date(2020, 12, 1))], CLOCK)
                forbidden = False
            except (Refusal, BadData) as exc:
                forbidden = "Permisos:" in str(exc)
                if forbidden:
                    assert f"pueden: {', '.join(ev.roles)}" in str(exc)
            assert forbidden == (rol not in ev.roles), (ev.nombre, rol)
            checked += 1
    assert checked == len(CICLO.eventos) * len(ROLES)


def test_monitor_acts_only_on_assigned_cases(walker: Walker, session):
    c = walker.to("E062-0001", "hitos")
    add_user(session, "otra_monitora", "monitor", None, None, "admin", CLOCK.today())
    with pytest.raises(Refusal, match="el caso está asignado a monitor, no a otra_monitora"):
        walker.fire(c, "registrar_visita", date(2020, 3, 2), "otra_monitora", anunciada="si", acta="A")


def test_unknown_or_deactivated_user_is_refused(walker: Walker, session):
    with pytest.raises(Refusal, match="usuario desconocido 'intruso'"):
        walker.fire("E062-0001", "registrar_elegibilidad", date(2019, 10, 25), "intruso", ruc_activo="si")
    add_user(session, "ex", "ues", None, None, "admin", CLOCK.today())
    deactivate(session, "ex", "admin", CLOCK.today())
    with pytest.raises(Refusal, match="el usuario ex está desactivado"):
        walker.fire("E062-0001", "registrar_elegibilidad", date(2019, 10, 25), "ex", ruc_activo="si")


def test_refused_attempt_is_logged_and_changes_nothing_else(walker: Walker, session):
    before = snapshot(session)
    with pytest.raises(Refusal):
        walker.fire("E062-0001", "evaluar", date(2019, 11, 8), "ues", presencia=5, relevancia=5, inventivo=5)
    assert snapshot(session) == before
    row = session.execute(select(AuditRecord).order_by(AuditRecord.id.desc())).scalars().first()
    assert (row.aceptado, row.usuario, row.rol, row.evento, row.estado_destino) == (False, "ues", "ues", "evaluar",
                                                                                   "postulada")
    assert row.motivos == ["Permisos: el rol ues no puede evaluar; pueden: evaluador"]
    assert row.datos == {"intento": {"presencia": "5", "relevancia": "5", "inventivo": "5"}}
    assert audit.verify(session.connection()).ok


def test_replay_of_every_demo_case_equals_the_stored_case(tmp_path: Path):
    from workflow.cli.demo import run
    from workflow.engine.agenda import agenda
    from workflow.engine.replay import replay

    run(tmp_path / "demo.db")
    with Session(connect(f"sqlite:///{tmp_path / 'demo.db'}")) as s:
        cases = s.execute(select(CaseRecord)).scalars().all()
        assert Counter(c.convocatoria for c in cases) == {"E062-2019-01": 42, "ANDE-BPD-2025": 3}
        for case in cases:
            past = replay(s, case.codigo)
            assert (past["estado"], past["hechos"]) == (case.estado, case.hechos), case.codigo
            # the ledger's rows as stored (the agenda shows them: a lapsed right reads «caducado» there)
            stored = [(d.id, d.vence.isoformat(), d.estado) for d in s.execute(
                select(Deadline).where(Deadline.caso_id == case.id, Deadline.estado.in_(("pendiente", "vencido")))
                .order_by(Deadline.vence, Deadline.id)).scalars()]
            assert [(p["id"], p["vence"], p["estado"]) for p in past["plazos"]] == stored, case.codigo
            assert [p["id"] for p in agenda(s, CLOCK.today(), codigo=case.codigo)] == [i for i, _, _ in stored]
        assert audit.verify(s.connection()).ok


def test_view_as_of_a_date(walker: Walker, db_url: str):
    c = walker.to("E062-0001", "contratada")
    env = {**os.environ, "CONVOCA_DB": db_url}
    past = json.loads(convoca("ver", c, "--al", "2019-11-20", "--json", env=env).stdout)
    assert past["estado"] == "aprobada" and "contrato" not in past["hechos"]
    assert json.loads(convoca("ver", c, "--al", "2019-12-03", "--json", env=env).stdout)["estado"] == "contratada"


def test_cli_review_export_and_verify(walker: Walker, db_url: str):
    walker.to("E062-0001", "contratada")
    with pytest.raises(Refusal):
        walker.fire("E062-0002", "evaluar", date(2019, 11, 8), "ues", presencia=1, relevancia=1, inventivo=1)
    walker.session.close()
    env = {**os.environ, "CONVOCA_DB": db_url, "COLUMNS": "250"}

    def run(*args: str):
        return convoca("auditoria", *args, env=env)

    refused = json.loads(run("--rechazados", "--json").stdout)
    assert [(r["caso"], r["evento"], r["usuario"]) for r in refused] == [("E062-0002", "evaluar", "ues")]
    assert "RECHAZADO" in run("--caso", "E062-0002").stdout
    exported = run("--caso", "E062-0001", "--csv").stdout
    assert exported.startswith("\ufeff") and "Bases §4.3; §2.3.2" in exported
    sealed = run("sellar").stdout
    head = sealed.split("Sello de auditoría: ")[1].split()[0]
    ok = run("verificar", "--sello", head)
    assert ok.returncode == 0 and ok.stdout.startswith("OK: ") and "contiene el sello" in ok.stdout
    with attacker(db_url) as conn:
        conn.execute(text("UPDATE auditoria SET usuario = 'otro' WHERE id = 3"))
    broken = run("verificar")
    assert broken.returncode == 4 and "CADENA ROTA: fila 3 " in broken.stderr and "contenido fue alterado" in broken.stderr


@pytest.mark.skipif(not ON_POSTGRES, reason="the head moves at commit on PostgreSQL only")
def test_a_transaction_of_many_rows_moves_the_head_once(logged):
    """A publication appends thousands of rows in one transaction: the head row is written once, at
    commit, not once per row (each update of one row in one transaction lengthens the chain of
    versions every later access walks: publishing became quadratic). The head ends on the last row."""
    url = logged()
    engine = connect(url)
    with engine.connect() as conn:
        ids = audit.append(conn, [audit.Entry("bandeja", "encolar_mensajes", "bandeja", date(2019, 12, 1),
                                              rol=audit.SISTEMA, datos={"mensajes": []}) for _ in range(50)])
        ids += audit.append(conn, [audit.Entry("bandeja", "encolar_mensajes", "bandeja", date(2019, 12, 1),
                                               rol=audit.SISTEMA, datos={"mensajes": []})])
        updates = conn.execute(text("SELECT n_tup_upd FROM pg_stat_xact_user_tables "
                                    "WHERE relname = 'auditoria_cabeza'")).scalar_one()
        assert updates == 0 and ids == list(range(ids[0], ids[0] + 51))
        conn.commit()
        head = conn.execute(text("SELECT ultimo_id, filas FROM auditoria_cabeza")).one()
        assert head == (ids[-1], ids[-1])
    engine.dispose()
    assert verified(url).ok
