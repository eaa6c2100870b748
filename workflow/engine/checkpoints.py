"""Signed checkpoints of the log, proofs an auditor checks offline, and a witness's cosignature.

A checkpoint (C2SP tlog-checkpoint) says: this installation's log had N rows and its Merkle tree
this root; the installation signs it with its Ed25519 key (C2SP signed-note), whose public half the
auditors receive once. The checkpoint of a size is a function of the log and the key (Ed25519 is
deterministic), so none needs storing: any can be signed again, and a later one proves, with a
consistency proof, that the earlier log is its prefix. A witness (an auditor) cosigns (C2SP
tlog-cosignature) only a checkpoint consistent with the last one it cosigned, so two auditors shown
two histories find out.

The key lives in a file outside the database, readable by its owner only; it is never printed,
exported or stored. Signing uses the `cryptography` package; every check is the standalone
verifier's (workflow/storage/verificador.py), the one the auditors run.
"""
from __future__ import annotations

import base64
import json
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select

from states.errors import os_problem, small_text
from workflow.errors import ConvocaError, Rejected
from workflow.files.atomic import write_whole
from workflow.storage import merkle, verificador
from workflow.storage.tables import AUDITORIA
from workflow.storage.verificador import COSIGNER, DASH, SIGNER, Checkpoint, Key, b64, key_id

PREFIX = "PRIVATE+KEY+"
"""How a signer key is written (as Go's golang.org/x/mod/sumdb/note writes one): PRIVATE+KEY+NAME+ID+base64(type ‖ seed)."""


def default_path() -> Path:
    """`CONVOCA_CLAVE`, or the key in the configuration folder of the account that runs convoca."""
    if os.environ.get("CONVOCA_CLAVE"):
        return Path(os.environ["CONVOCA_CLAVE"])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "convoca" / "clave-ed25519"


@dataclass(frozen=True)
class SigningKey:
    name: str
    kind: int
    seed: bytes

    def _private(self):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @property
    def public(self) -> bytes:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        return self._private().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def verifier(self) -> str:
        """The public key as the auditors receive it: NAME+ID+base64(type ‖ key)."""
        return f"{self.name}+{key_id(self.name, self.kind, self.public).hex()}+{b64(bytes([self.kind]) + self.public)}"

    def sign(self, message: bytes) -> bytes:
        return self._private().sign(message)


def create(path: Path, name: str, kind: int = SIGNER) -> SigningKey:
    """A new key in `path` (0600, never over an existing one)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    if not name or any(c in name for c in "+ \n\t") or not name.isprintable():
        raise Rejected(f"El nombre de la clave {name!r} no sirve: sin espacios ni «+» (por ejemplo oci.gob.pe/testigo).")
    if path.exists():
        raise Rejected(f"Ya hay una clave en {path}: no se reemplaza (las firmas hechas con ella dejarían de "
                       "comprobarse con la clave pública que tienen los auditores).")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    seed = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    key = SigningKey(name, kind, seed)
    line = f"{PREFIX}{name}+{key_id(name, kind, key.public).hex()}+{b64(bytes([kind]) + seed)}\n"
    write_whole(path, lambda tmp: tmp.write_text(line, encoding="utf-8"))  # a temporary file is born 0600
    return key


def load(path: Path) -> SigningKey:
    """The key of `path`; a Spanish refusal (exit 2) when it is missing, unreadable, open to others
    or not a key. The message never shows the key."""
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise Rejected(f"{path} no es un archivo de clave.")
        if mode & 0o077:
            raise Rejected(f"La clave de firma {path} la pueden leer otras cuentas (permisos {oct(mode & 0o777)}): "
                           f"ejecute `chmod 600 {path}` y repita.")
        with path.open(encoding="utf-8") as f:
            text = f.read(400)
    except FileNotFoundError:
        raise Rejected(f"No hay clave de firma en {path}. Créela una vez con `convoca auditoria clave --crear` (o "
                       "indique otra con CONVOCA_CLAVE) y entregue a los auditores la clave pública que imprime.") from None
    except (OSError, UnicodeDecodeError):
        raise Rejected(f"No se puede leer la clave de firma {path}: ¿la cuenta que ejecuta convoca es su dueña?") from None
    try:
        name, kid, material = text.strip().removeprefix(PREFIX).split("+", 2)
        raw = base64.b64decode(material, validate=True)
        key = SigningKey(name, raw[0], raw[1:])
        ok = text.startswith(PREFIX) and len(raw) == 33 and raw[0] in (SIGNER, COSIGNER) and \
            key_id(name, raw[0], key.public).hex() == kid
    except (ValueError, IndexError):
        ok = False
    if not ok:
        raise Rejected(f"{path} no es una clave de firma de convoca (PRIVATE+KEY+NOMBRE+ID+…).")
    return key


def origin(conn: Connection) -> str:
    """The log's name in its checkpoints: convoca/ and the first 16 digits of its first row's hash,
    unique to the installation and the same for its whole life."""
    first = conn.execute(select(AUDITORIA.c.hash).where(AUDITORIA.c.id == 1)).scalar()
    return f"convoca/{(first or verificador.GENESIS)[:16]}"


def sign(conn: Connection, key: SigningKey, size: int) -> Checkpoint:
    """The installation's checkpoint of the log at `size` rows, signed."""
    if key.name != origin(conn):
        raise Rejected(f"La clave de firma es de {key.name} y este registro es {origin(conn)}: no es la clave de esta "
                       "instalación.")
    body = f"{key.name}\n{size}\n{b64(merkle.root(conn, size))}\n".encode()
    signature = key_id(key.name, SIGNER, key.public) + key.sign(body)
    return Checkpoint(body.decode() + "\n" + f"{DASH}{key.name} {b64(signature)}\n")


def size_now(conn: Connection) -> int:
    return conn.execute(select(AUDITORIA.c.id).order_by(AUDITORIA.c.id.desc()).limit(1)).scalar() or 0


def inclusion_proof(conn: Connection, row_id: int, size: int, key: SigningKey | None) -> dict:
    """That row `row_id` is in the log of `size` rows, as a file for `verificar_auditoria.py --prueba`."""
    from workflow.storage.audit import content_of

    if not 1 <= row_id <= size:
        raise Rejected(f"La fila {row_id} no está en un registro de {size} filas.")
    r = conn.execute(select(AUDITORIA).where(AUDITORIA.c.id == row_id)).mappings().one()
    data = {"tipo": "inclusion", "indice": row_id - 1, "tamano": size, "raiz": b64(merkle.root(conn, size)),
            "fila": {**content_of(r), "hash_previo": r["hash_previo"], "hash": r["hash"]},
            "prueba": [b64(h) for h in merkle.inclusion(conn, row_id - 1, size)]}
    return _signed(conn, data, size, key)


def consistency_proof(conn: Connection, old: int, new: int, key: SigningKey | None) -> dict:
    """That the log of `old` rows is a prefix of the log of `new` rows."""
    if not 0 < old <= new:
        raise Rejected(f"--desde {old}: debe ser un tamaño entre 1 y {new}, el del registro.")
    data = {"tipo": "consistencia", "desde": {"tamano": old, "raiz": b64(merkle.root(conn, old))},
            "hasta": {"tamano": new, "raiz": b64(merkle.root(conn, new))},
            "prueba": [b64(h) for h in merkle.consistency(conn, old, new)]}
    if key is not None:
        data["punto_control_desde"] = sign(conn, key, old).text()
    return _signed(conn, data, new, key)


def _signed(conn: Connection, data: dict, size: int, key: SigningKey | None) -> dict:
    if key is not None:
        data["punto_control"] = sign(conn, key, size).text()
    return data


class Fork(ConvocaError):
    """A checkpoint a witness must not cosign: not the successor of the one it cosigned last."""

    exit_code = 4


def cosign(new: Checkpoint, installation: Key, witness: SigningKey, state: Path, proof: dict | None,
           now: float | None = None) -> Checkpoint:
    """The witness's cosignature on `new`, only if it is signed by the installation and consistent
    with the checkpoint in `state` (the last this witness cosigned); `state` then holds `new`."""
    if not new.signed_by(installation):
        raise Fork(f"El punto de control no está firmado por la instalación {installation.name}: no se cofirma.")
    last = Checkpoint(small_text(state)) if state.is_file() else None
    if last is not None:
        if last.origin != new.origin:
            raise Fork(f"El punto de control es de {new.origin} y este testigo sigue a {last.origin}.")
        if new.size < last.size:
            raise Fork(f"BIFURCACIÓN O RETROCESO: el punto de control tiene {new.size} filas y el último cofirmado "
                       f"{last.size}: el registro no puede encoger. No se cofirma.")
        if new.size == last.size and new.root != last.root:
            raise Fork(f"BIFURCACIÓN: dos raíces distintas para {new.size} filas (la cofirmada, {b64(last.root)}, y "
                       f"esta, {b64(new.root)}): la instalación mostró dos historias. No se cofirma.")
        if new.size > last.size and not _consistent(last, new, proof):
            raise Fork(f"BIFURCACIÓN: el registro de {new.size} filas no contiene al de {last.size} que este testigo "
                       "cofirmó (o falta su prueba de consistencia: `convoca auditoria prueba --desde "
                       f"{last.size}`). No se cofirma.")
    timestamp = int(time.time() if now is None else now)
    signature = key_id(witness.name, COSIGNER, witness.public) + timestamp.to_bytes(8, "big") + \
        witness.sign(b"cosignature/v1\ntime %d\n" % timestamp + new.body)
    cosigned = Checkpoint(new.text() + f"{DASH}{witness.name} {b64(signature)}\n")
    write_whole(state, lambda tmp: tmp.write_text(cosigned.text(), encoding="utf-8"))
    return cosigned


def _consistent(last: Checkpoint, new: Checkpoint, proof: dict | None) -> bool:
    if not proof or proof.get("tipo") != "consistencia":
        return False
    try:
        ends = [(int(proof[k]["tamano"]), base64.b64decode(proof[k]["raiz"])) for k in ("desde", "hasta")]
        hashes = [base64.b64decode(p, validate=True) for p in proof["prueba"]]
    except (KeyError, TypeError, ValueError):
        return False
    return ends == [(last.size, last.root), (new.size, new.root)] and \
        verificador.verify_consistency(last.size, new.size, last.root, new.root, hashes)


GUARDAR = "guardar_cofirma"


def store_cosigned(session, text: str, witness: Key, claimed: str | None, today) -> Checkpoint:
    """A witness's cosigned checkpoint kept by the installation, as an audited act whose row holds it
    whole: refused unless it is of this log, names the root the log had at its size, and carries the
    witness's valid cosignature."""
    from states.actos import ACTO
    from workflow.engine.acting import authorised, record

    conn = session.connection()
    user = authorised(session, claimed, ACTO[GUARDAR], f"cofirma:{witness.name}", today)
    checkpoint = Checkpoint(text)
    problems = []
    if checkpoint.origin != origin(conn):
        problems.append(f"es del registro {checkpoint.origin} y esta instalación es {origin(conn)}")
    elif not 0 < checkpoint.size <= size_now(conn):
        problems.append(f"dice {checkpoint.size} filas y este registro tiene {size_now(conn)}")
    elif merkle.root(conn, checkpoint.size) != checkpoint.root:
        problems.append(f"BIFURCACIÓN: su raíz para {checkpoint.size} filas no es la de este registro")
    if witness.kind != COSIGNER or not checkpoint.signed_by(witness):
        problems.append(f"no lleva la cofirma válida del testigo {witness.name}")
    if problems:
        from workflow.engine.acting import refusal

        raise refusal(session, GUARDAR, f"cofirma:{witness.name}", user.nombre, today, problems, rol=user.rol)
    record(session, GUARDAR, f"cofirma:{witness.name}", user, today, {"cofirma": {
        "testigo": f"{witness.name}+{witness.id.hex()}+{b64(bytes([witness.kind]) + witness.public)}",
        "tamano": checkpoint.size, "punto_control": checkpoint.text()}})
    session.commit()
    return checkpoint


def stored_cosigned(conn: Connection) -> list[dict]:
    """The cosigned checkpoints the installation keeps, in the order they were kept."""
    return [datos["cofirma"] for (datos,) in conn.execute(
        select(AUDITORIA.c.datos).where(AUDITORIA.c.evento == GUARDAR, AUDITORIA.c.aceptado.is_(True))
        .order_by(AUDITORIA.c.id))]


def read_json(path: Path) -> dict:
    try:
        data = json.loads(small_text(path))
    except OSError as exc:
        raise Rejected(f"No se puede leer la prueba {path}: {os_problem(exc)}.") from None
    except ValueError as exc:
        raise Rejected(f"La prueba {path} no es un JSON de convoca: {exc}.") from None
    if not isinstance(data, dict):
        raise Rejected(f"{path} no es una prueba de convoca.")
    return data
