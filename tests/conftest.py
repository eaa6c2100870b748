"""Fixtures: a fresh initialised database per test, a fixed clock, and a walker that takes a
case to any state through the real events with facts that satisfy the rules."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session

from workflow.call import DEFAULT_CALL, load_call
from workflow.cases import Request, apply, call_of
from workflow.clock import FixedClock
from workflow.db import connect, upgrade
from workflow.demo import ACCOUNT, budget_facts, contract_facts, eligibility_facts, fianza_facts, proposals, \
    provider_facts, write_csv
from workflow.importer import import_file
from workflow.models import AuditRecord, CallRecord, CaseRecord

CLOCK = FixedClock(datetime(2020, 12, 31, 12, 0))
GOOD_GRADES = {"presencia": 5, "relevancia": 4, "inventivo": 4}
POOR_GRADES = {"presencia": 2, "relevancia": 2, "inventivo": 2}


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'convoca.db'}"
    engine = connect(url)
    upgrade(engine)
    call, text = load_call(DEFAULT_CALL)
    with Session(engine) as s:
        s.add(CallRecord(codigo=call.codigo, nombre=call.convocatoria.nombre, definicion=text,
                         cargada_en=CLOCK.now()))
        s.commit()
    return url


@pytest.fixture
def session(db_url: str):
    with Session(connect(db_url)) as s:
        yield s


@pytest.fixture
def rows() -> list[dict[str, str]]:
    return proposals(26)


@pytest.fixture
def imported(session: Session, rows, tmp_path: Path) -> dict[str, dict[str, str]]:
    import_file(session, call_of(session), write_csv(rows, tmp_path / "p.csv"), "mesa.partes", CLOCK)
    return {r["codigo"]: r for r in rows}


def snapshot(session: Session) -> tuple[list, list]:
    session.rollback()
    cases = [tuple(r) for r in session.execute(select(CaseRecord.codigo, CaseRecord.estado, CaseRecord.version,
                                                       CaseRecord.hechos).order_by(CaseRecord.id)).all()]
    audit = [tuple(r) for r in session.execute(select(AuditRecord.id, AuditRecord.evento).order_by(AuditRecord.id))]
    return cases, audit


def state_of(session: Session, codigo: str) -> str:
    session.rollback()
    return session.execute(select(CaseRecord.estado).where(CaseRecord.codigo == codigo)).scalar_one()


class Walker:
    """Takes a case to a state by the shortest valid path, firing the real events."""

    def __init__(self, session: Session, rows: dict[str, dict[str, str]]):
        self.session, self.rows = session, rows

    def fire(self, codigo: str, evento: str, fecha: date, usuario: str = "oficial", **datos: Any) -> None:
        apply(self.session, [Request(codigo, evento, datos, usuario, fecha)], CLOCK)

    def valid_data(self, codigo: str, evento: str, destino: str | None = None) -> tuple[date, dict[str, Any]]:
        row = self.rows[codigo]
        return {
            "registrar_elegibilidad": (date(2019, 10, 25), eligibility_facts()),
            "declarar_apta": (date(2019, 10, 25), {}),
            "declarar_no_apta": (date(2019, 10, 25), {}),
            "evaluar": (date(2019, 11, 8), GOOD_GRADES),
            "publicar": (date(2019, 11, 18), {"resultado": destino or "aprobada", "resolucion": "RDE-1",
                                              "orden_merito": 1}),
            "promover": (date(2019, 11, 25), {"vacante": "E062-9999"}),
            "desistir": (date(2019, 11, 20), {"causa": "renuncia"}),
            "registrar_proveedor": (date(2019, 11, 26), provider_facts()),
            "aprobar_proveedor": (date(2019, 11, 27), {}),
            "registrar_presupuesto": (date(2019, 11, 27), budget_facts(row["entidad_regimen"], row["entidad_ciudad"])),
            "firmar_contrato": (date(2019, 12, 2), contract_facts()),
            "registrar_cuenta": (date(2019, 12, 5), ACCOUNT),
            "registrar_fianza": (date(2019, 12, 10), fianza_facts("2500.00", date(2019, 12, 10), date(2020, 7, 31))),
            "desembolsar": (date(2019, 12, 16), {}),
            "aprobar_po": (date(2020, 1, 3), {"version": "1", "hitos": "2020-02-16;2020-04-16;2020-06-16"}),
            "terminar_ejecucion": (date(2020, 6, 16), {}),
            "cerrar": (date(2020, 8, 20), {"rifr": "RIFR-1", "oficio": "OF-1"}),
            "resolver_contrato": (date(2020, 3, 2), {"causa": "fuerza_mayor", "carta_notarial": "CN-1"}),
            "descalificar": (date(2019, 11, 1), {"causa": "informacion_falsa", "motivo": "constancia adulterada"}),
        }[evento]

    def step(self, codigo: str, evento: str, destino: str | None = None, **extra: Any) -> None:
        fecha, datos = self.valid_data(codigo, evento, destino)
        self.fire(codigo, evento, fecha, **{**datos, **extra})

    PATHS: dict[str, list[tuple[str, str | None]]] = {
        "postulada": [],
        "apta": [("registrar_elegibilidad", None), ("declarar_apta", None)],
        "no_apta": [("registrar_elegibilidad", None), ("declarar_no_apta", None)],
        "evaluada": [("registrar_elegibilidad", None), ("declarar_apta", None), ("evaluar", None)],
        "desistida": [("desistir", None)],
        "descalificada": [("descalificar", None)],
    }

    def ready(self, codigo: str, evento: str) -> None:
        """Records the facts `evento` needs, as an officer would before firing it."""
        private = self.rows[codigo]["entidad_regimen"] != "publica"
        needs = {
            "declarar_apta": ["registrar_elegibilidad"],
            "aprobar_proveedor": ["registrar_proveedor"],
            "firmar_contrato": ["registrar_proveedor", "aprobar_proveedor", "registrar_presupuesto"],
            "desembolsar": ["registrar_cuenta", *(["registrar_fianza"] if private else [])],
        }.get(evento, [])
        if evento == "declarar_no_apta":
            self.fire(codigo, "registrar_elegibilidad", date(2019, 10, 25), **eligibility_facts(coordinador_redam="si"))
        for ev in needs:
            self.step(codigo, ev)

    def to(self, codigo: str, estado: str, grades: dict[str, int] = GOOD_GRADES) -> str:
        """Moves the case; `codigo` must be freshly imported."""
        evaluated = self.PATHS["evaluada"]
        paths = {
            **self.PATHS,
            "aprobada": evaluated + [("publicar", "aprobada")],
            "accesitaria": evaluated + [("publicar", "accesitaria")],
        }
        contract = paths["aprobada"] + [("registrar_proveedor", None), ("aprobar_proveedor", None),
                                        ("registrar_presupuesto", None), ("firmar_contrato", None)]
        paths["contratada"] = contract
        fianza = [] if self.rows[codigo]["entidad_regimen"] == "publica" else [("registrar_fianza", None)]
        paths["en_ejecucion"] = contract + [("registrar_cuenta", None), *fianza, ("desembolsar", None)]
        paths["hitos"] = paths["en_ejecucion"] + [("aprobar_po", None)]
        paths["ifr"] = paths["hitos"] + [("terminar_ejecucion", None)]
        paths["cerrada"] = paths["ifr"] + [("cerrar", None)]
        paths["resuelta"] = contract + [("resolver_contrato", None)]
        if estado == "no_apta":
            self.fire(codigo, "registrar_elegibilidad", date(2019, 10, 25), **eligibility_facts(coordinador_redam="si"))
            self.fire(codigo, "declarar_no_apta", date(2019, 10, 25))
            return codigo
        if estado == "desaprobada":
            self.to(codigo, "evaluada", POOR_GRADES)
            self.step(codigo, "publicar", "desaprobada")
            return codigo
        for ev, dest in paths[estado]:
            self.step(codigo, ev, dest, **(grades if ev == "evaluar" else {}))
        return codigo


@pytest.fixture
def walker(session: Session, imported) -> Walker:
    return Walker(session, imported)
