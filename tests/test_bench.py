"""`make bench` is what docs/rendimiento.md cites: it must keep running as the rules change (a
committee the bases now require, and the guards of PostgreSQL, once broke it unseen). Run small,
with its own PostgreSQL as `make bench` does; timings are not judged here."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_bench_runs_every_figure_at_a_thousand_cases():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--tamanos", "1000", "--corridas-por-caso", "1",
                           "--registro", "20000,2000"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = [line for line in done.stdout.splitlines() if "×" in line]
    for name in ("convoca ver E062-0010", "convoca ver, el más lento de", "importar 1000", "lote 1000", "publicar 1000 evaluadas (SQLite)",
                 "publicar 1000 evaluadas (PostgreSQL)", "vigilar 1000", "registro tardío",
                 "rectificación", "auditoria verificar", "informe de cartera", "verificar --desde-sello (2000 de 20000 filas)"):
        assert any(name in line for line in figures), f"falta «{name}» en:\n{done.stdout}"
