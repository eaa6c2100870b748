"""The README's «Recorrido» runs as written: each command of its `console` blocks, in order, in an
empty folder, prints what the README says it prints (`...` stands for text that changes from run
to run, such as registration instants and hashes). A changed output fails the build."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ON_POSTGRES

README = Path(__file__).resolve().parent.parent / "README.md"


SECTIONS = ("Recorrido", "Hojas de cálculo: `lote`", "Corregir un error", "Una segunda convocatoria")
"""The tutorial, and the spreadsheets, corrections and second call that go on in its folder and database."""


def steps(text: str) -> list[tuple[str, str]]:
    """(command, expected output) of every `console` block of the tutorial's sections, in order."""
    section = "\n".join(text.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0] for name in SECTIONS)
    out: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", section, flags=re.S):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            if not lines[i].startswith("$ "):
                out[-1][1].append(lines[i])
                i += 1
                continue
            command = [lines[i][2:]]
            while command[-1].endswith("\\"):
                i += 1
                command.append(lines[i])
            if "<<'EOF'" in command[0]:
                while lines[i] != "EOF":
                    i += 1
                    command.append(lines[i])
            out.append(("\n".join(command), []))
            i += 1
    return [(c, "\n".join(e).rstrip()) for c, e in out]


def matches(expected: str, actual: str) -> bool:
    pattern = ".*?".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual, flags=re.S) is not None


def run(command: str, env: dict[str, str], cwd: Path) -> str:
    """`export` sets the tutorial's environment; `convoca …` runs in-process (the CLI the shell would
    start, without paying an interpreter per command); anything else goes to bash."""
    if command.startswith("export "):
        for pair in shlex.split(command[len("export "):]):
            key, _, value = pair.partition("=")
            env[key] = value
        return ""
    if command.startswith("convoca ") and not any(c in command for c in "|;&><"):
        from tests.cli import convoca

        previous = Path.cwd()
        os.chdir(cwd)
        try:
            done = convoca(*shlex.split(command.replace("\\\n", " "))[1:],
                           env={k: v for k, v in env.items() if k.startswith(("CONVOCA_", "COLUMNS"))})
        finally:
            os.chdir(previous)
        out = done.out + done.err
    else:
        done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True)
        out = done.stdout + done.stderr
    return "\n".join(line.rstrip() for line in out.splitlines()).rstrip()


@pytest.mark.skipif(ON_POSTGRES, reason="the tutorial runs on its own SQLite file")
def test_the_recorrido_runs_as_written(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONVOCA_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    for command, expected in steps(README.read_text(encoding="utf-8")):
        actual = run(command, env, tmp_path)
        assert matches(expected, actual), f"$ {command}\n--- README ---\n{expected}\n--- salida ---\n{actual}"
