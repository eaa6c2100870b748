"""Fixtures: a fresh initialised database per test, a fixed clock, and a walker that takes a
case to any state through the real events with facts that satisfy the rules."""
from __future__ import annotations

import os
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session

from states.call import DEFAULT_CALL
from states.historia import write_csv
from states.pct_2019.demo_data import (
    ACCOUNT,
    HITOS,
    RESULTS,
    budget_facts,
    contract_facts,
    eligibility_facts,
    fianza_facts,
    po_facts,
    proposals,
    provider_facts,
)
from states.pct_2019.lifecycle import CICLO
from states.roles import ROLES
from workflow.clock import FixedClock
from workflow.engine.calls import call_of
from workflow.engine.cases import Request, apply, last_effective_dates
from workflow.engine.importer import import_file
from workflow.engine.installation import install
from workflow.storage.db import connect
from workflow.storage.models import AuditRecord, CaseRecord, Deadline

os.environ.pop("COLUMNS", None)
"""pytest-xdist gives its workers COLUMNS=80: the suite reads convoca as piped output without a width
unless a test says which (an officer's shell seldom exports it)."""



@pytest.fixture(autouse=True)
def _verified_here(tmp_path: Path, monkeypatch) -> None:
    """Each test keeps the checkpoint its verifications pass in a folder of its own: the databases of
    the suite share their first rows, hence their origin, and the account's state folder."""
    monkeypatch.setenv("CONVOCA_VERIFICADO", str(tmp_path / "verificado.json"))


CLOCK = FixedClock(datetime(2020, 12, 31, 12, 0))
GOOD_GRADES = {"presencia": 5, "relevancia": 4, "inventivo": 4}
POOR_GRADES = {"presencia": 2, "relevancia": 2, "inventivo": 2}


ON_POSTGRES = os.environ.get("CONVOCA_TEST_DB") == "postgresql"
"""`make test` runs the whole suite twice: on SQLite, then with this set on a real PostgreSQL."""


def initialise(url: str, ensayo: bool = True) -> str:
    """A rehearsal database unless the test is about production (identity, pinned clocks)."""
    admin_first = sorted(USERS.items(), key=lambda user: user[1] != "admin")
    install(url, DEFAULT_CALL, ensayo=ensayo, usuario=None, today=CLOCK.today(),
            usuarios=[(nombre, rol, None) for nombre, rol in admin_first])
    return url


def _checkpointed(path: Path) -> Path:
    """Everything in the main file (SQLite's WAL emptied), so that a copy of the file is the database."""
    engine = connect(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path | None:
    """Migrated and initialised once; every test gets a copy of the file (Alembic runs once per run)."""
    if ON_POSTGRES:
        return None
    path = tmp_path_factory.mktemp("plantilla") / "convoca.db"
    initialise(f"sqlite:///{path}")
    return _checkpointed(path)


TEMPLATE_ROWS = proposals(26)


def import_rows(url: str, rows: list[dict[str, str]], folder: Path) -> None:
    engine = connect(url)
    with Session(engine) as s:
        import_file(s, call_of(s), write_csv(rows, folder / "p.csv"), "mesa")
        assign_monitor(s)
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_imported(sqlite_template, tmp_path_factory) -> Path | None:
    """The template with the usual 26 proposals imported and their monitor assigned."""
    if sqlite_template is None:
        return None
    folder = tmp_path_factory.mktemp("importada")
    shutil.copy(sqlite_template, folder / "convoca.db")
    import_rows(f"sqlite:///{folder / 'convoca.db'}", TEMPLATE_ROWS, folder)
    return _checkpointed(folder / "convoca.db")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demonstration's SQLite database, made once: what the golden comparisons read."""
    from tests.cli import convoca

    folder = tmp_path_factory.mktemp("demo")
    done = convoca("demo", "--base", str(folder / "demo.db"), "--csv", str(folder / "p.csv"))
    assert done.code == 0, done.err
    from workflow.storage.db import close_all

    close_all()  # as the installed command does on exit: the file whole, no write-ahead log beside it
    return folder / "demo.db"


@pytest.fixture(scope="session")
def postgres():
    if not ON_POSTGRES:
        yield None
        return
    from tests.pg import Server

    server = Server()
    initialise(server.url(server.new_database()))  # prueba_1 becomes the template of every test database
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def empty_db_url(tmp_path: Path, postgres) -> str:
    """A database with nothing in it (not even `convoca init`)."""
    return postgres.url(postgres.new_database()) if postgres else f"sqlite:///{tmp_path / 'convoca.db'}"


@pytest.fixture
def db_url(tmp_path: Path, postgres, sqlite_template) -> str:
    """A rehearsal database initialised with the call and one user per role: a copy of the template."""
    if postgres:
        return postgres.url(postgres.new_database(template="prueba_1"))
    shutil.copy(sqlite_template, tmp_path / "convoca.db")
    return f"sqlite:///{tmp_path / 'convoca.db'}"


USERS = {role: role for role in ROLES} | {"mesa": "ues", "ana": "ues", "beto": "direccion"}
"""One user per role, named after it; the walker acts as the first role an event declares."""


def assign_monitor(session: Session, monitor: str = "monitor") -> None:
    """Through the real event, so the log alone rebuilds the assignment."""
    codes = session.execute(select(CaseRecord.codigo).where(CaseRecord.monitor.is_(None))).scalars().all()
    apply(session, [Request(c, "asignar_monitor", {"monitor": monitor}, "ues", date(2019, 10, 12)) for c in codes],
          CLOCK)


@pytest.fixture
def session(db_url: str):
    engine = connect(db_url)
    with Session(engine) as s:
        yield s
    engine.dispose()


@pytest.fixture
def rows() -> list[dict[str, str]]:
    return TEMPLATE_ROWS


@pytest.fixture
def imported(db_url: str, rows, tmp_path: Path, sqlite_imported) -> dict[str, dict[str, str]]:
    """The proposals imported (by `mesa`, UES) and assigned to `monitor`: on SQLite, for the usual
    rows, a copy of a database imported once (the test's session has not connected yet)."""
    if sqlite_imported is not None and rows == TEMPLATE_ROWS:
        shutil.copy(sqlite_imported, db_url.removeprefix("sqlite:///"))
    else:
        import_rows(db_url, rows, tmp_path)
    return {r["codigo"]: r for r in rows}


def snapshot(session: Session) -> tuple[list, list, list]:
    """Everything a refused event must leave as it was: cases, accepted audit rows, deadlines."""
    session.rollback()
    cases = [tuple(r) for r in session.execute(select(CaseRecord.codigo, CaseRecord.estado, CaseRecord.version,
                                                       CaseRecord.hechos).order_by(CaseRecord.id)).all()]
    audit = [tuple(r) for r in session.execute(select(AuditRecord.id, AuditRecord.evento)
                                               .where(AuditRecord.aceptado.is_(True)).order_by(AuditRecord.id))]
    plazos = [tuple(r) for r in session.execute(select(Deadline.id, Deadline.estado, Deadline.vence))]
    return cases, audit, plazos


def state_of(session: Session, codigo: str) -> str:
    session.rollback()
    return session.execute(select(CaseRecord.estado).where(CaseRecord.codigo == codigo)).scalar_one()


class Walker:
    """Takes a case to any state by a valid path, firing the real events with valid facts."""

    def __init__(self, session: Session, rows: dict[str, dict[str, str]]):
        self.session, self.rows = session, rows
        self.vacante = "E062-9999"
        """The place a promotion fills: a real one once `ready(…, "promover")` has made it."""

    def fire(self, codigo: str, evento: str, fecha: date, usuario: str | None = None, **datos: Any) -> None:
        usuario = usuario or CICLO.event(evento).roles[0]
        apply(self.session, [Request(codigo, evento, datos, usuario, fecha)], CLOCK)

    def notify(self, codigo: str, tipo: str, fecha: date, hito: int | None = None, medio: str = "domicilio") -> None:
        """The notification takes effect that day (its acknowledgment, or its delivery at the domicile)."""
        self.fire(codigo, "registrar_notificacion", fecha, "ues", notificacion=tipo, medio=medio,
                  evidencia=f"cargo {tipo}", **({"hito": hito} if hito else {}))

    def facts(self, codigo: str) -> dict[str, Any]:
        self.session.rollback()
        return self.session.execute(select(CaseRecord.hechos).where(CaseRecord.codigo == codigo)).scalar_one()

    def desembolsado(self, codigo: str) -> str:
        return (self.facts(codigo).get("ejecucion") or {}).get("monto_desembolsado", "0")

    def valid_data(self, codigo: str, evento: str, destino: str | None = None,
                   hito: int | None = None) -> tuple[date, dict[str, Any]]:
        row = self.rows[codigo]
        hito = hito or 1
        fecha_hito = date.fromisoformat(HITOS[hito - 1])
        itf = {"hito": hito}
        data: dict[str, tuple[date, dict[str, Any]]] = {
            "registrar_elegibilidad": (date(2019, 10, 25), eligibility_facts()),
            "declarar_apta": (date(2019, 10, 25), {}),
            "declarar_no_apta": (date(2019, 10, 25), {}),
            "evaluar": (date(2019, 11, 8), GOOD_GRADES),
            "publicar": (date(2019, 11, 18), {"resultado": destino or "aprobada", "resolucion": "RDE-1",
                                              "orden_merito": 1}),
            "promover": (date(2019, 11, 25), {"vacante": self.vacante}),
            "desistir": (date(2019, 11, 20), {"causa": "renuncia"}),
            "registrar_proveedor": (date(2019, 11, 26), provider_facts()),
            "aprobar_proveedor": (date(2019, 11, 27), {}),
            "registrar_presupuesto": (date(2019, 11, 27), budget_facts(row["entidad_regimen"], row["entidad_ciudad"])),
            "firmar_contrato": (date(2019, 12, 2), contract_facts()),
            "registrar_induccion": (date(2019, 12, 20), {"asistio_coordinador": "si"}),
            "registrar_cuenta": (date(2019, 12, 5), ACCOUNT),
            "registrar_fianza": (date(2019, 12, 10), fianza_facts("2500.00", date(2019, 12, 10), date(2020, 7, 31))),
            "desembolsar": (date(2019, 12, 16), {}),
            "registrar_negociacion": (date(2019, 12, 27), {"asistio_coordinador": "si"}),
            "registrar_po": (date(2019, 12, 30), po_facts(1, HITOS)),
            "aprobar_po": (date(2020, 1, 3), {}),
            "presentar_itf": (fecha_hito, {**itf, "indicadores_cumplidos": 3, "declaracion_contrapartida": "DJ-1"}),
            "observar_itf": (fecha_hito + timedelta(days=3), {**itf, "observaciones": "faltan evidencias"}),
            "levantar_observaciones": (fecha_hito + timedelta(days=10), {**itf, "indicadores_cumplidos": 3}),
            "aprobar_itf": (fecha_hito + timedelta(days=12), itf),
            "recibir_itf_fisico": (fecha_hito + timedelta(days=20), itf),
            "ampliar_hito": (fecha_hito, {**itf, "fecha_solicitud": fecha_hito.isoformat(),
                                          "nueva_fecha": (fecha_hito + timedelta(days=10)).isoformat()}),
            "registrar_visita": (date(2020, 3, 2), {"anunciada": "si", "acta": "ACTA-V1"}),
            "solicitar_ampliacion": (date(2020, 5, 20), {"justificacion": "demora de INDECOPI"}),
            "aprobar_ampliacion": (date(2020, 5, 28), {"informe_monitor": "INF-9", "adenda_numero": "AD-1",
                                                       "adenda_fecha": "2020-05-28", "nuevo_fin": "2020-08-16"}),
            "registrar_gasto": (date(2020, 2, 3), {"partida": "servicios_tecnologicos", "monto": "5000.00",
                                                   "fecha_comprobante": "2020-02-01", "comprobante": "F001-123"}),
            "reasignar_presupuesto": (date(2020, 2, 3), {"de_partida": "servicios_tecnologicos",
                                                         "a_partida": "pasajes", "monto": "100.00"}),
            "rechazar_ampliacion": (date(2020, 5, 28), {"informe_monitor": "INF-9", "motivo": "sin sustento"}),
            "justificar_indicadores": (date(2020, 6, 20), {"cantidad": 1, "justificacion": "INDECOPI no respondió"}),
            "registrar_domicilio": (date(2020, 3, 2), {"direccion": "Jr. Junín 410, Piura"}),
            "registrar_cargo": (date(2020, 3, 2), {"carta": 1, "notario": "Notaría Paino", "cargo": "C-1"}),
            "terminar_ejecucion": (date(2020, 6, 16), {}),
            "presentar_ifr": (date(2020, 6, 30), {}),
            "observar_ifr": (date(2020, 7, 6), {"observaciones": "falta la copia PCT"}),
            "levantar_observaciones_ifr": (date(2020, 7, 15), {}),
            "aprobar_ifr": (date(2020, 7, 20), {"gestion_tecnica": "satisfactoria",
                                                "gestion_financiera": "satisfactoria"}),
            "recibir_ifr_fisico": (date(2020, 8, 5), {}),
            "registrar_resultados": (date(2020, 6, 30), RESULTS),
            "registrar_devolucion": (date(2020, 8, 10), {"recibo": "DEP-77"}),
            "cerrar": (date(2020, 8, 20), {"rifr": "RIFR-1", "oficio": "OF-1"}),
            "resolver_contrato": (date(2020, 3, 2), {"causa": "fuerza_mayor", "carta_notarial": "CN-1"}),
            "renunciar_coordinador": (date(2020, 3, 2), {"motivo": "viaje"}),
            "descalificar": (date(2019, 11, 1), {"causa": "plagio", "motivo": "documento copiado",
                                                 "carta_notarial": "CN-9"}),
            "asignar_monitor": (date(2019, 10, 20), {"monitor": "monitor"}),
            "autorizar_correo": (date(2019, 10, 20), {"destinatario": "coordinador", "documento": "Carta s/n"}),
            "registrar_notificacion": (date(2019, 11, 19), {"notificacion": "resultado", "medio": "domicilio",
                                                            "evidencia": "cargo C-7"}),
        }
        fecha, datos = data[evento]
        if evento == "registrar_po":
            version = len((self.facts(codigo).get("po") or {}).get("versiones") or {}) + 1
            datos = po_facts(version, HITOS if version == 1 else [*HITOS[:2], "2020-08-16"])
        if evento == "registrar_devolucion":
            datos = {**datos, "monto": self.desembolsado(codigo)}
        return fecha, datos

    def last_date(self, codigo: str) -> date | None:
        self.session.rollback()
        caso_id = self.session.execute(select(CaseRecord.id).where(CaseRecord.codigo == codigo)).scalar_one()
        return last_effective_dates(self.session, [caso_id]).get(caso_id)

    def step(self, codigo: str, evento: str, destino: str | None = None, hito: int | None = None, **extra: Any) -> None:
        """On the date its data is typical of, or on the case's last date if the case is already past it
        (a case's history never goes back)."""
        if evento == "publicar":
            self.decide_the_others(codigo)
        fecha, datos = self.valid_data(codigo, evento, destino, hito)
        self.fire(codigo, evento, max(fecha, self.last_date(codigo) or fecha), **{**datos, **extra})

    def private(self, codigo: str) -> bool:
        return self.rows[codigo]["entidad_regimen"] != "publica"

    def ready(self, codigo: str, evento: str, hito: int | None = None) -> None:
        """Records the facts `evento` needs, as an officer would before firing it."""
        needs = {
            "declarar_apta": ["registrar_elegibilidad"],
            "aprobar_proveedor": ["registrar_proveedor"],
            "registrar_presupuesto": ["registrar_proveedor"],
            "firmar_contrato": ["registrar_proveedor", "aprobar_proveedor", "registrar_presupuesto"],
            "desembolsar": ["registrar_cuenta", *(["registrar_fianza"] if self.private(codigo) else [])],
            "aprobar_po": ["registrar_negociacion", "registrar_po"],
            "observar_itf": ["presentar_itf"],
            "levantar_observaciones": ["presentar_itf", "observar_itf"],
            "aprobar_itf": ["presentar_itf"],
            "recibir_itf_fisico": ["presentar_itf", "aprobar_itf"],
            "aprobar_ampliacion": ["solicitar_ampliacion", "registrar_po"],
            "rechazar_ampliacion": ["solicitar_ampliacion"],
            "observar_ifr": ["presentar_ifr"],
            "levantar_observaciones_ifr": ["presentar_ifr", "observar_ifr"],
            "aprobar_ifr": ["presentar_ifr"],
            "recibir_ifr_fisico": ["presentar_ifr", "aprobar_ifr"],
            "cerrar": ["presentar_itf", "aprobar_itf", "recibir_itf_fisico", "presentar_ifr", "aprobar_ifr",
                       "recibir_ifr_fisico", "registrar_resultados", "registrar_devolucion"],
        }.get(evento, [])
        if evento == "promover":  # a selected proposal withdraws and leaves its place
            self.session.rollback()
            libre = self.session.execute(select(CaseRecord.codigo).where(
                CaseRecord.estado.in_(("postulada", "evaluada")), CaseRecord.codigo != codigo)
                .order_by(CaseRecord.codigo.desc())).scalars()
            self.vacante = next(c for c in libre if self.rows[c]["entidad_tipo"] != "centro_internacional")
            self.to(self.vacante, "aprobada")
            self.step(self.vacante, "desistir")
        if evento == "justificar_indicadores":  # an indicator left unmet by the milestone
            self.step(codigo, "presentar_itf", hito=hito, indicadores_cumplidos=2)
            self.step(codigo, "aprobar_itf", hito=hito)
        if evento == "declarar_no_apta":
            self.fire(codigo, "registrar_elegibilidad", date(2019, 10, 25), **eligibility_facts(coordinador_redam="si"))
        if evento == "aprobar_ampliacion" and self.private(codigo):
            self.fire(codigo, "registrar_fianza", date(2020, 5, 25),
                      **fianza_facts("2500.00", date(2020, 5, 25), date(2020, 9, 30)))
        for ev in needs:
            self.step(codigo, ev, hito=hito)

    def decide_the_others(self, codigo: str) -> None:
        """The call's results are published once every proposal is decided (Bases §4.1.2, §4.2): before
        the walker publishes, every other proposal still open is taken, in one batch, to `evaluada`
        (or `no_apta` when the bases exclude it), where a later `to` picks it up."""
        self.session.rollback()
        open_ = self.session.execute(select(CaseRecord.codigo, CaseRecord.estado).where(
            CaseRecord.codigo != codigo, CaseRecord.estado.in_(("postulada", "apta")))).all()
        requests = []
        for c, estado in open_:
            excluded = self.rows.get(c, {}).get("entidad_tipo") == "centro_internacional"
            if estado == "postulada":
                requests.append(Request(c, "registrar_elegibilidad", eligibility_facts(), "ues", date(2019, 10, 25)))
                requests.append(Request(c, "declarar_no_apta" if excluded else "declarar_apta", {}, "ues",
                                        date(2019, 10, 25)))
            if not excluded:
                requests.append(Request(c, "evaluar", GOOD_GRADES, "evaluador", date(2019, 11, 8)))
        if requests:
            apply(self.session, requests, CLOCK)

    def to(self, codigo: str, estado: str, grades: dict[str, int] = GOOD_GRADES) -> str:
        """Moves a case to `estado`, from where it stands (freshly imported, or evaluated when another
        case's publication decided it). In `ifr`, the last milestone is still open."""
        if estado == "no_apta":
            self.ready(codigo, "declarar_no_apta")
            self.step(codigo, "declarar_no_apta")
            return codigo
        if estado == "desaprobada":
            self.to(codigo, "evaluada", POOR_GRADES)
            self.step(codigo, "publicar", "desaprobada")
            return codigo
        simple = {"postulada": [], "desistida": ["desistir"], "descalificada": ["descalificar"]}
        if estado in simple:
            for ev in simple[estado]:
                self.step(codigo, ev)
            return codigo
        chain = ["postulada", "apta", "evaluada", "aprobada", "contratada", "en_ejecucion", "hitos", "ifr", "cerrada"]
        moves = {"apta": "declarar_apta", "evaluada": "evaluar", "aprobada": "publicar",
                 "contratada": "firmar_contrato", "en_ejecucion": "desembolsar", "hitos": "aprobar_po",
                 "ifr": "terminar_ejecucion", "cerrada": "cerrar"}
        if estado == "accesitaria":
            self.to(codigo, "evaluada", grades)
            self.step(codigo, "publicar", "accesitaria")
            return codigo
        if estado == "resuelta":
            self.to(codigo, "contratada")
            self.step(codigo, "resolver_contrato")
            return codigo
        self.session.rollback()
        actual = self.session.execute(select(CaseRecord.estado).where(CaseRecord.codigo == codigo)).scalar_one()
        for nxt in chain[chain.index(actual) + 1:chain.index(estado) + 1]:
            event = moves[nxt]
            if nxt == "ifr":
                for n in (1, 2):
                    for ev in ("presentar_itf", "aprobar_itf", "recibir_itf_fisico"):
                        self.step(codigo, ev, hito=n)
            self.ready(codigo, event, hito=3)
            if event == "evaluar":
                self.fire(codigo, "evaluar", date(2019, 11, 8), **grades)
            elif event == "publicar":
                self.step(codigo, "publicar", "aprobada")
            else:
                self.step(codigo, event, hito=3)
        return codigo


@pytest.fixture
def walker(session: Session, imported) -> Walker:
    return Walker(session, imported)
