"""A file convoca writes exists whole or not at all: it is written beside its place under a
temporary name and renamed only when complete, so a full disk or a killed process never leaves a
truncated spreadsheet or an empty calendar where the officer expects one."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from states.errors import os_problem
from workflow.errors import ConvocaError


def write_whole(path: Path, write: Callable[[Path], None]) -> None:
    """`write(temporary)` writes the content; the result replaces `path` only if it all worked."""
    if not path.parent.exists():
        raise ConvocaError(f"No se puede escribir {path}: la carpeta {path.parent} no existe.")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        raise ConvocaError(f"No se puede escribir {path}: {os_problem(exc)}. No quedó ningún archivo a medias.") from None
    finally:
        temporary.unlink(missing_ok=True)
