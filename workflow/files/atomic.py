"""A file convoca writes exists whole or not at all: it is written beside its place under a
temporary name and renamed only when complete, so a full disk or a killed process never leaves a
truncated spreadsheet or an empty calendar where the officer expects one."""
from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from states.errors import os_problem
from workflow.errors import ConvocaError

PREFIX = ".convoca-"
"""The temporary files' names begin so (`.convoca-NAME.XXXX.tmp`): the sweep removes only its own."""


def write_whole(path: Path, write: Callable[[Path], None]) -> None:
    """`write(temporary)` writes the content; the result replaces `path` only if it all worked.
    The temporary file is locked while it is written; one left by a writer that was killed (its lock
    gone with it) is removed by the next write in that folder."""
    if not path.parent.exists():
        raise ConvocaError(f"No se puede escribir {path}: la carpeta {path.parent} no existe.")
    sweep(path.parent)
    fd, name = tempfile.mkstemp(prefix=f"{PREFIX}{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # held until this process ends, however it ends
        write(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        raise ConvocaError(f"No se puede escribir {path}: {os_problem(exc)}. No quedó ningún archivo a medias.") from None
    finally:
        temporary.unlink(missing_ok=True)
        os.close(fd)


def sweep(folder: Path) -> int:
    """Removes the temporary files of writers that died (kill -9, a power cut) in `folder`: those
    whose lock nobody holds. Returns how many."""
    removed = 0
    for leftover in folder.glob(f"{PREFIX}*.tmp"):
        try:
            fd = os.open(leftover, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a live writer holds it
        else:
            leftover.unlink(missing_ok=True)
            removed += 1
        finally:
            os.close(fd)
    for companion in folder.glob(f"{PREFIX}*.tmp-*"):  # SQLite's -journal, -wal, -shm of a dead copy
        if not companion.with_name(companion.name.rsplit(".tmp-", 1)[0] + ".tmp").exists():
            companion.unlink(missing_ok=True)
            removed += 1
    return removed
