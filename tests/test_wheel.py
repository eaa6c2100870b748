"""What a user installs is the wheel: built from this checkout, installed into a fresh virtualenv, it
runs the whole demo — templates, call file and calendar seed included — from outside the checkout."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ON_POSTGRES

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(ON_POSTGRES, reason="once per `make test`: the package does not depend on the database")
def test_the_built_wheel_runs_the_demo_from_a_fresh_virtualenv(tmp_path: Path):
    def run(*cmd: str, cwd: Path = tmp_path) -> str:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                              env={k: v for k, v in os.environ.items() if not k.startswith(("CONVOCA_", "PYTHON"))})
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w",
        str(tmp_path / "dist"), str(ROOT))
    wheel = next((tmp_path / "dist").glob("convoca-*.whl"))
    run(sys.executable, "-m", "venv", str(tmp_path / "venv"))
    run(str(tmp_path / "venv/bin/python"), "-m", "pip", "install", "--quiet", str(wheel))
    elsewhere = tmp_path / "fuera"
    elsewhere.mkdir()
    out = run(str(tmp_path / "venv/bin/convoca"), "demo", "--base", "demo.db", cwd=elsewhere)
    assert "Casos por estado" in out and "resultado" in out and "invitacion_firma" in out
    shown = run(str(tmp_path / "venv/bin/convoca"), "--db", "sqlite:///demo.db", "correos", "previsualizar",
                "E062-0002", "resultado", cwd=elsewhere)
    assert "Asunto: [ENSAYO]" in shown
