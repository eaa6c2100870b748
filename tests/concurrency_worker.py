"""One officer process for the concurrency test: fires random events that are valid for each case's
current state, retrying a version conflict as an officer would; prints how many were accepted."""
from __future__ import annotations

import random
import sys
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from states.pct_2019.demo_data import eligibility_facts
from workflow.clock import FixedClock
from workflow.engine.cases import Request, apply
from workflow.errors import Conflict, Refusal
from workflow.storage.db import connect
from workflow.storage.models import CaseRecord

CLOCK = FixedClock(datetime(2020, 12, 31, 12, 0))
BY_STATE = {
    "postulada": [("registrar_elegibilidad", "ues"), ("declarar_apta", "ues"), ("asignar_monitor", "ues")],
    "apta": [("evaluar", "evaluador"), ("asignar_monitor", "ues")],
    "evaluada": [("asignar_monitor", "ues")],
    "no_apta": [],
}


def data(evento: str, rng: random.Random) -> dict:
    if evento == "registrar_elegibilidad":
        return eligibility_facts(coordinador_redam=rng.choice(["no", "no", "si"]))
    if evento == "evaluar":
        return {"presencia": rng.randint(1, 5), "relevancia": rng.randint(1, 5), "inventivo": rng.randint(1, 5)}
    if evento == "asignar_monitor":
        return {"monitor": rng.choice(["monitor", "monitor2"])}
    return {}


def main(url: str, seed: int, n: int) -> None:
    rng = random.Random(seed)
    engine = connect(url)
    accepted = conflicts = refused = 0
    for _ in range(n):
        while True:
            with Session(engine) as s:
                estados = dict(s.execute(select(CaseRecord.codigo, CaseRecord.estado)).all())
                codigo = rng.choice(sorted(c for c, e in estados.items() if BY_STATE.get(e)))
                evento, usuario = rng.choice(BY_STATE[estados[codigo]])
                try:
                    apply(s, [Request(codigo, evento, data(evento, rng), usuario, date(2019, 11, 8))], CLOCK)
                    accepted += 1
                    break
                except Conflict:
                    conflicts += 1
                except Refusal:
                    refused += 1
                    break
    engine.dispose()
    print(accepted, conflicts, refused)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
