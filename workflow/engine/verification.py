"""`auditoria verificar` whole, or only what was appended since the last verification that passed.

The whole verification recomputes the chain and the Merkle tree, rebuilds every table from the log
and judges every row again: linear in the log (a national fund writes ~7 000 rows a business day). A
verification that passes leaves, for the account that ran it, the checkpoint it verified (size, the
last row's hash, the tree's root) in a file of its own (0600, outside the database: an officer who
can write the database cannot write another's file). `--desde-sello` starts from it: the rows after
it are chained on from its last row, their leaves and the nodes above them are recomputed, the
stored root at its size must still be its root, the tables they touch (their cases, the messages
they queue or change, and the users, calls, calendar, registry and settings, whose few rows are read
whole) are rebuilt, and each of them is judged again on what the earlier rows give. What changed
among the rows already verified only the whole verification sees: run it now and then (the
auditors' monthly check).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workflow.errors import Rejected
from workflow.files.atomic import write_whole
from workflow.storage import audit, merkle
from workflow.storage.verificador import b64


@dataclass
class Result:
    verdict: audit.Verdict
    problems: list[str]
    desde: int = 0
    """The size of the verified checkpoint the verification started from (0: the whole log)."""

    @property
    def ok(self) -> bool:
        return self.verdict.ok and not self.problems


def state_path(origen: str) -> Path:
    """`CONVOCA_VERIFICADO`, or a file of the account's state folder named after the log's origin."""
    if os.environ.get("CONVOCA_VERIFICADO"):
        return Path(os.environ["CONVOCA_VERIFICADO"])
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "convoca" / f"verificado-{origen.replace('/', '-')}.json"


def last_verified(origen: str) -> dict:
    """The checkpoint the last verification that passed left, or a Spanish refusal saying how to get one."""
    path = state_path(origen)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("origen") != origen or not isinstance(data.get("filas"), int) or len(data.get("hash", "")) != 64:
            raise ValueError
    except FileNotFoundError:
        raise Rejected(f"No hay una verificación anterior de {origen} en {path}: ejecute una vez `convoca auditoria "
                       "verificar` (entera); las siguientes pueden empezar desde ella con --desde-sello.") from None
    except (OSError, ValueError, AttributeError):
        raise Rejected(f"{path} no es el punto verificado de convoca: bórrelo y ejecute `convoca auditoria verificar` "
                       "(entera).") from None
    return data


def remember(conn, origen: str, verdict: audit.Verdict, now: datetime) -> tuple[Path, str | None]:
    """The checkpoint a verification that passed saw, kept for the next one (0600): its file, and why
    it could not be written (the verification stands; only the next --desde-sello lacks it)."""
    path = state_path(origen)
    data = {"origen": origen, "filas": verdict.filas, "hash": verdict.ultimo_hash,
            "raiz": b64(merkle.root(conn, verdict.filas)), "instante": now.isoformat(timespec="seconds")}
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_whole(path, lambda tmp: tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8"))
    except OSError as exc:
        from states.errors import os_problem

        return path, os_problem(exc)
    return path, None


def whole(session, conn, sellos) -> Result:
    """Every row and every table (see workflow/engine/integrity.py)."""
    from workflow.engine.installation import altered_settings
    from workflow.engine.integrity import problems
    from workflow.engine.replay import altered_cases

    verdict = audit.verify(conn, sellos)
    found = altered_cases(session) + altered_settings(session) + problems(session) if verdict.ok else []
    return Result(verdict, found)


def since_verified(session, conn, state: dict) -> Result:
    """The rows after the checkpoint `state` and what they touch (see the module)."""
    from workflow.engine.installation import altered_settings
    from workflow.engine.integrity import problems, touched
    from workflow.engine.replay import altered_cases

    n = state["filas"]
    verdict = audit.verify_since(conn, n, state["hash"])
    if verdict.ok and n and b64(merkle.root(conn, n)) != state.get("raiz"):
        verdict = audit.Verdict(False, n, state["hash"], f"la raíz del árbol de Merkle de {n} filas ya no es la "
                                                         "verificada: el árbol fue reescrito desde entonces")
    found = altered_cases(session, touched(n)) + altered_settings(session) + problems(session, n) \
        if verdict.ok else []
    return Result(verdict, found, n)
