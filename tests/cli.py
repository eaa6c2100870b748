"""`convoca` run in-process: the exit code and the text an officer would see, without a subprocess."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from typer.testing import CliRunner

from workflow.cli.app import app
from workflow.errors import ConvocaError
from workflow.storage.plain import close_plain


@dataclass
class Done:
    code: int
    out: str
    err: str

    # the names of subprocess.CompletedProcess, for tests written against the real entry point
    returncode = property(lambda self: self.code)
    stdout = property(lambda self: self.out)
    stderr = property(lambda self: self.err)


LEAKS = re.compile(
    r"\bNone\b|\bTrue\b|\bFalse\b|Usage:|Did you mean|No such (?:command|option)|Invalid value|Missing "
    r"(?:argument|option|parameter)|Show this message|Try '|is not a valid|Traceback|Decimal\(|datetime\.|"
    r"object at 0x|\['|\{'")
"""What must never reach an officer: Python's words and values, and click's or typer's English."""


def leaks(text: str) -> list[str]:
    return [m.group(0) for m in LEAKS.finditer(text)]


def convoca(*args: str, env: dict[str, str | None] | None = None) -> Done:
    """As `main` does: a ConvocaError is a message on stderr with its exit code; anything else is a bug.

    Every message of every run is scanned: a `None`, a Python repr or click's English fails the
    test that ran the command (COLUMNS is unset unless the test gives one)."""
    try:
        result = CliRunner().invoke(app, list(args), env={"COLUMNS": None, **(env or {})}, prog_name="convoca")
    finally:
        close_plain()  # as the command does on exit: its plain reading connections end with it
    if isinstance(result.exception, ConvocaError):
        done = Done(result.exception.exit_code, result.stdout, str(result.exception))
    elif result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    else:
        done = Done(result.exit_code, result.stdout, result.stderr)
    found = leaks(done.err) + ([] if "--json" in args else leaks(done.out))
    if found:
        if os.environ.get("CONVOCA_FUGAS"):
            with open(os.environ["CONVOCA_FUGAS"], "a", encoding="utf-8") as report:
                report.write(f"{' '.join(args)[:200]}\t{found[:5]}\t" + (done.err + done.out)[:3000].replace("\n", "⏎") + "\n")
        else:
            raise AssertionError(f"convoca {' '.join(args)} dejó ver {found[:5]}:\n{done.err}{done.out}")
    return done
