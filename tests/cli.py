"""`convoca` run in-process: the exit code and the text an officer would see, without a subprocess."""
from __future__ import annotations

from dataclasses import dataclass

from typer.testing import CliRunner

from workflow.cli.app import app
from workflow.errors import ConvocaError


@dataclass
class Done:
    code: int
    out: str
    err: str

    # the names of subprocess.CompletedProcess, for tests written against the real entry point
    returncode = property(lambda self: self.code)
    stdout = property(lambda self: self.out)
    stderr = property(lambda self: self.err)


def convoca(*args: str, env: dict[str, str | None] | None = None) -> Done:
    """As `main` does: a ConvocaError is a message on stderr with its exit code; anything else is a bug."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": None, **(env or {})}, prog_name="convoca")
    if isinstance(result.exception, ConvocaError):
        return Done(result.exception.exit_code, result.stdout, str(result.exception))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Done(result.exit_code, result.stdout, result.stderr)
