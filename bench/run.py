"""Benchmarks: each figure printed beside a baseline measured in the same run, on this machine.

    make bench            (or: .venv/bin/python bench/run.py [--casos 10000])
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.data import evaluated_cases  # noqa: E402


def wall(cmd: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_help() -> None:
    convoca = shutil.which("convoca", path=str(Path(sys.executable).parent))
    base = wall([sys.executable, "-c", "pass"])
    help_time = wall([convoca, "--help"])
    print(f"convoca --help        {help_time * 1000:7.1f} ms   python -c pass {base * 1000:6.1f} ms   "
          f"ratio {help_time / base:5.1f}×   (target < 10×)")


def bench_publish(n: int, tmp: Path) -> None:
    from sqlalchemy import bindparam, insert, select, update
    from sqlmodel import Session

    from bench.data import audit_rows_like
    from workflow.cases import call_of
    from workflow.clock import Clock
    from workflow.db import connect
    from workflow.models import AuditRecord, CaseRecord
    from workflow.selection import publish, rank

    url = evaluated_cases(tmp / "publicar.db", n)
    with Session(connect(url)) as s:
        call = call_of(s)
        pre = [r.codigo for r in rank(s, call).preseleccion()]
        acta = {"numero": "ACTA-B", "fecha": "2019-11-14", "miembros": ["a", "b", "c"],
                "seleccionadas": pre[:call.seleccion.plazas], "accesitarias": pre[call.seleccion.plazas:]}
        s.rollback()
        start = time.perf_counter()
        counts = publish(s, call, "RDE-BENCH", date(2019, 11, 18), "bench", Clock(), acta)
        ours = time.perf_counter() - start
    url = evaluated_cases(tmp / "plano.db", n)
    with Session(connect(url)) as s:
        caso = CaseRecord.__table__
        hechos = dict(s.execute(select(caso.c.id, caso.c.hechos)).all())
        s.rollback()
        ids = [{"b_id": i, "b_estado": "aprobada", "b_version": 4,
                "b_hechos": {**h, "resultado": {"resultado": "aprobada", "resolucion": "RDE"}}}
               for i, h in hechos.items()]
        start = time.perf_counter()
        conn = s.connection()
        conn.execute(update(caso).where(caso.c.id == bindparam("b_id"), caso.c.version == bindparam("b_version"))
                     .values(estado=bindparam("b_estado"), hechos=bindparam("b_hechos"),
                             version=caso.c.version + 1), ids)
        conn.execute(insert(AuditRecord.__table__), audit_rows_like(n))
        s.commit()
        plain = time.perf_counter() - start
    print(f"publicar {n} casos    {ours * 1000:7.0f} ms   SQL executemany {plain * 1000:6.0f} ms   "
          f"ratio {ours / plain:5.1f}×   (target < 20×)  {json.dumps(counts)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--casos", type=int, default=10_000)
    args = parser.parse_args()
    print(f"máquina: {platform.machine()}, {os.cpu_count()} núcleos, Python {platform.python_version()}, "
          f"{platform.platform()}")
    bench_help()
    with tempfile.TemporaryDirectory() as tmp:
        bench_publish(args.casos, Path(tmp))


if __name__ == "__main__":
    main()
