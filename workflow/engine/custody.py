"""The record outside the database: an export an outside auditor verifies alone, and backups.

`export` writes the log as the canonical JSON lines its hashes cover, the seal and the standalone
verifier (workflow/storage/verificador.py, standard library only), so that an auditor without
convoca gets the chain's verdict by running one file. `backup` copies a SQLite database with
SQLite's own backup API (consistent while others write) and verifies the copy before saying OK;
`restore` verifies a copy entirely before replacing anything, and refuses one shorter than the
database it would replace or whose log does not continue the live one. PostgreSQL keeps its own
tools (`pg_dump`), said as such.
"""
from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, make_url, select
from sqlalchemy.exc import DatabaseError

from workflow.errors import ConvocaError
from workflow.files.atomic import write_whole
from workflow.storage import audit, verificador
from workflow.storage.tables import AUDITORIA

VERIFIER = "verificar_auditoria.py"
CHECKPOINT = "punto_control.txt"
COSIGNED = verificador.COSIGNED
PG_DUMP = ("En PostgreSQL el respaldo lo hace el servidor: pg_dump --format=custom --file=convoca.dump BASE, y se "
           "restaura con pg_restore --clean --dbname=BASE convoca.dump; después verifique con "
           "`convoca auditoria verificar --sello …` y el último sello guardado.")


def export(conn: Connection, folder: Path, now: datetime, key=None) -> audit.Seal:
    """Writes `auditoria.jsonl`, `sello.json`, the verifier, the cosigned checkpoints the installation
    keeps (`cofirmas/`) and, given the installation's signing key (workflow/engine/checkpoints.py),
    `punto_control.txt` into `folder`; returns the seal."""
    verdict = audit.verify(conn)
    if not verdict.ok:
        raise ConvocaError(f"No se exporta un registro que no verifica: {verdict.problema}. Ejecute "
                           "`convoca auditoria verificar`.")
    folder.mkdir(parents=True, exist_ok=True)
    seal = audit.Seal(verdict.ultimo_hash, verdict.filas, now.isoformat(timespec="seconds"))

    def lines(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="\n") as f:
            for r in conn.execute(select(AUDITORIA).order_by(AUDITORIA.c.id)).mappings():
                content = audit.content_of(r)
                f.write(verificador.canonical_text({**content, "hash_previo": r["hash_previo"], "hash": r["hash"]})
                        + "\n")

    write_whole(folder / "auditoria.jsonl", lines)
    write_whole(folder / "sello.json", lambda tmp: tmp.write_text(json.dumps(
        {"filas": seal.filas, "hash": seal.hash, "instante": seal.instante}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8"))
    write_whole(folder / VERIFIER, lambda tmp: shutil.copyfile(verificador.__file__, tmp))
    from workflow.engine.checkpoints import sign, stored_cosigned

    cosigned = stored_cosigned(conn)
    shutil.rmtree(folder / COSIGNED, ignore_errors=True)  # never one of another export beside these rows
    for n, c in enumerate(cosigned, 1):
        (folder / COSIGNED).mkdir(exist_ok=True)
        write_whole(folder / COSIGNED / f"{n:04d}-{c['tamano']}.txt",
                    lambda tmp, text=c["punto_control"]: tmp.write_text(text, encoding="utf-8"))
    if key is not None:
        signed = sign(conn, key, verdict.filas).text()
        write_whole(folder / CHECKPOINT, lambda tmp: tmp.write_text(signed, encoding="utf-8"))
    else:
        (folder / CHECKPOINT).unlink(missing_ok=True)  # never an older signature beside newer rows
    return seal


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" and parsed.database else None


def backup(url: str, target: Path) -> audit.Verdict:
    """A consistent copy of the SQLite database at `url` into `target` (never over an existing file),
    verified; PostgreSQL's is pg_dump's."""
    import sqlite3

    source = sqlite_path(url)
    if source is None:
        raise ConvocaError(PG_DUMP)
    if target.exists():
        raise ConvocaError(f"{target} ya existe: elija otro nombre (un respaldo nunca reemplaza a otro).")

    def copy(tmp: Path) -> None:
        src, dst = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True), sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no write-ahead log beside it
        finally:
            src.close()
            dst.close()
        verdict = verified(tmp)
        if not verdict.ok:
            raise ConvocaError(f"La copia no verifica ({verdict.problema}): no se escribió {target}.")

    write_whole(target, copy)
    return verified(target)


def verified(path: Path) -> audit.Verdict:
    """The chain's verdict on a SQLite file, read only."""
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")  # no pragmas: it is only read
    try:
        with engine.connect() as conn:
            return audit.verify(conn)
    except DatabaseError:  # not a database, damaged, or not convoca's
        raise ConvocaError(f"{path} no es una base de datos de convoca legible.") from None
    finally:
        engine.dispose()


def restore(url: str, copy: Path) -> audit.Verdict:
    """Replaces the SQLite database at `url` by a verified copy whose log holds the live one: no
    shorter, and the same rows up to the live one's last (a diverged or rewritten copy would replace
    acknowledged writes with others)."""
    target = sqlite_path(url)
    if target is None:
        raise ConvocaError(PG_DUMP)
    if not copy.is_file():
        raise ConvocaError(f"No existe el respaldo {copy}.")
    verdict = verified(copy)
    if not verdict.ok:
        raise ConvocaError(f"El respaldo {copy} no verifica ({verdict.problema}): la base no se tocó.")
    try:
        current = verified(target) if target.exists() else None
    except ConvocaError:  # what it replaces is not a database any more
        current = None
    if current is not None and current.ok and current.filas > verdict.filas:
        raise ConvocaError(f"El respaldo tiene {verdict.filas} filas de auditoría y la base actual {current.filas}: "
                           "restaurarlo perdería registros. La base no se tocó; si de verdad debe volver atrás, "
                           "mueva antes la base actual a otro nombre.")
    if current is not None and current.ok and current.filas and _hash_at(copy, current.filas) != current.ultimo_hash:
        raise ConvocaError(f"El respaldo no contiene el registro de la base actual: su fila {current.filas} no es la "
                           f"última de la base ({current.ultimo_hash[:16]}…), así que es otra historia (bifurcada o "
                           "reescrita) y reemplazaría lo registrado. La base no se tocó.")
    write_whole(target, lambda tmp: shutil.copyfile(copy, tmp))
    for leftover in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)
    return verdict


def _hash_at(path: Path, row: int) -> str | None:
    """The chain's hash after `row` rows in a SQLite file, read only."""
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with engine.connect() as conn:
            return conn.execute(select(AUDITORIA.c.hash).where(AUDITORIA.c.id == row)).scalar()
    finally:
        engine.dispose()
