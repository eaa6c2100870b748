"""Verificador independiente del registro de auditoría de convoca.

Uso:
  python3 verificar_auditoria.py CARPETA [--clave CLAVE] [--sello SELLO] [--testigo CLAVE ...]
  python3 verificar_auditoria.py --prueba ARCHIVO [--clave CLAVE]

CARPETA es la que escribió `convoca auditoria exportar`: `auditoria.jsonl` (una fila del registro
por línea, en JSON canónico, con su hash y el de la fila anterior), `sello.json` (cuántas filas y el
hash de la última) y, si la instalación tiene su clave, `punto_control.txt`: el punto de control
firmado (C2SP tlog-checkpoint: origen, tamaño y raíz del árbol de Merkle de RFC 6962 sobre las
filas, firmado con Ed25519). Este archivo necesita solo la biblioteca estándar de Python 3.11 o
posterior: un auditor lo lee entero y lo ejecuta sin convoca.

Comprueba, fila por fila, la cadena (cada fila lleva el número siguiente, sigue a la anterior, tiene
el hash SHA-256 de `hash_previo` + su contenido canónico, no se registró antes que la anterior ni
con fecha efectiva posterior al día de su registro; solo una fila `corregir_reloj`, con la que un admin
reconoce que las anteriores se registraron con el reloj adelantado, vuelve atrás, y nombra el instante
del que vuelve); calcula el árbol de Merkle; y con
  --clave CLAVE   la clave pública de la instalación (la línea que imprime `convoca auditoria
                  clave`, o un archivo con ella): exige que el punto de control esté firmado por
                  ella y diga el tamaño y la raíz de estas filas;
  --sello SELLO   un punto de control anterior que el auditor guardó (su archivo, o TAMAÑO:RAÍZ, o
                  FILAS:HASH de la cadena): exige que estas filas lo contengan, es decir, que las
                  primeras TAMAÑO filas sean las mismas (ni cortadas, ni reescritas, ni bifurcadas);
  --testigo CLAVE la clave pública de un testigo (auditor): exige que el sello anterior lleve su
                  cofirma válida o, sin --sello, que la exportación contenga un punto de control que
                  ese testigo cofirmó (de los que la instalación guarda en la carpeta `cofirmas/`);
                  se puede repetir;
  --prueba ARCHIVO  comprueba sin la exportación una prueba de `convoca auditoria prueba`: que una
                  fila está en el registro de un tamaño dado, o que un registro es prefijo de otro.
Sale con 0 si todo coincide, con 4 si no (nombrando lo que falla) y con 2 si no entiende la orden.

(convoca usa este mismo módulo para verificar su base: workflow/storage/verificador.py.)
"""
from __future__ import annotations

import base64
import hashlib
import json
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

GENESIS = "0" * 64
COSIGNED = "cofirmas"
"""The export's folder of the checkpoints the installation's witnesses cosigned (one file each)."""
CLOCK_FIX = "corregir_reloj"
"""The one row that may be registered before the row it follows: an admin's acknowledgment that the
machine's clock was ahead (SQLite), naming in `datos.reloj.desde` the instant it goes back from."""
LIMA = timezone(timedelta(hours=-5))
"""Before any call names its time zone in the log: Peru's UTC-5 (no daylight saving since 1994)."""
LOAD = "cargar_convocatoria"
"""The row that loads a call: its `datos.cambios` say the call's time zone (`convocatoria.zona_horaria`)."""


def _loaded_zone(content: dict) -> str | None:
    """The time zone an accepted load row gives its call, if it is one."""
    datos = content.get("datos")
    if content.get("evento") != LOAD or not content.get("aceptado") or not isinstance(datos, dict):
        return None
    cambio = (datos.get("cambios") or {}).get("convocatoria.zona_horaria") if isinstance(datos.get("cambios"), dict) else None
    return cambio[1] if isinstance(cambio, list) and len(cambio) == 2 and isinstance(cambio[1], str) else None


def _zone(name: str):
    """A time zone by its IANA name, from the system's database; Lima's offset where it has none."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 — no tz database on the auditor's machine: the stricter check
        return LIMA


# --- the hash chain -------------------------------------------------------------------------------

def canonical_text(content: dict) -> str:
    """The text a row's hash covers: its content as JSON, keys sorted, without spaces."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def chain_hash(previous: str, content: dict) -> str:
    return hashlib.sha256((previous + canonical_text(content)).encode()).hexdigest()


class Chain:
    """The chain read row by row, in order; `feed` names the first problem. With `tree`, the Merkle
    tree over the same rows grows beside it (the export's reader needs its roots; the database's
    verification checks the stored tree instead, workflow/storage/merkle.py)."""

    def __init__(self, tree: bool = False) -> None:
        self.previous, self.count, self.instant = GENESIS, 0, None
        self.tree = Tree() if tree else None
        self.zones: dict[str, object] = {}
        """The time zones of the calls loaded so far, read from their load rows: a row's effective date
        may be the day it is where any of them is (convoca's own verification checks each row against
        its own call's)."""

    def registered_day(self, instant: datetime) -> date:
        """The latest day it was, at that instant, in the time zones of the calls loaded so far."""
        return max((instant.astimezone(z).date() for z in self.zones.values()),
                   default=instant.astimezone(LIMA).date())

    def feed(self, content: dict, hash_previo: str, hash_: str) -> str | None:
        expected = self.count + 1
        when = f"registrada el {content.get('registrado_en')}"
        if content.get("id") != expected:
            kind = "falta la fila" if (content.get("id") or 0) > expected else "fila repetida o reordenada antes de la"
            return f"{kind} {expected} (siguiente presente: {content.get('id')}, {when})"
        if hash_previo != self.previous:
            return f"fila {expected} ({when}): no sigue a la fila anterior (insertada, eliminada o reordenada)"
        if chain_hash(self.previous, content) != hash_:
            return f"fila {expected} ({when}): su contenido fue alterado"
        try:
            instant = datetime.fromisoformat(content["registrado_en"])
            efectiva = date.fromisoformat(content["fecha_efectiva"])
        except (KeyError, TypeError, ValueError):
            return f"fila {expected}: sin instante de registro o fecha efectiva legibles"
        if self.instant is not None and instant < self.instant and not _clock_fix(content, self.instant):
            return (f"fila {expected}: registrada el {content['registrado_en']}, antes que la fila anterior "
                    f"({self.instant.isoformat()}): el registro no retrocede en el tiempo")
        if efectiva > self.registered_day(instant):
            return (f"fila {expected}: con fecha efectiva {efectiva.isoformat()}, posterior al día en que se registró "
                    f"({self.registered_day(instant).isoformat()})")
        zona = _loaded_zone(content)
        if zona and zona not in self.zones:
            self.zones[zona] = _zone(zona)
        self.previous, self.count, self.instant = hash_, expected, instant
        if self.tree is not None:
            self.tree.append(leaf_hash(hash_))
        return None


def _clock_fix(content: dict, previous: datetime) -> bool:
    reloj = (content.get("datos") or {}).get("reloj") if isinstance(content.get("datos"), dict) else None
    return content.get("evento") == CLOCK_FIX and isinstance(reloj, dict) and reloj.get("desde") == previous.isoformat()


# --- the Merkle tree (RFC 6962 / RFC 9162 §2.1) ---------------------------------------------------

def leaf_hash(row_hash: str) -> bytes:
    """A row's leaf: SHA-256(0x00 ‖ the 32 bytes of its chain hash), which covers its canonical JSON
    and the row before it."""
    return hashlib.sha256(b"\x00" + bytes.fromhex(row_hash)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


class Tree:
    """A tree grown leaf by leaf that keeps only its complete subtrees on the right edge (a compact
    range): its root at any size in O(log n) memory."""

    def __init__(self) -> None:
        self.size, self.edge = 0, []  # edge: (height, hash) from the largest subtree to the smallest

    def append(self, leaf: bytes) -> None:
        self.size += 1
        height, h = 0, leaf
        while self.edge and self.edge[-1][0] == height:
            h = node_hash(self.edge.pop()[1], h)
            height += 1
        self.edge.append((height, h))

    def root(self) -> bytes:
        if not self.edge:
            return EMPTY_ROOT
        h = self.edge[-1][1]
        for _, left in reversed(self.edge[:-1]):
            h = node_hash(left, h)
        return h


def _shift_until(fn: int, sn: int, stop) -> tuple[int, int]:
    while not stop(fn):
        fn, sn = fn >> 1, sn >> 1
    return fn, sn


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: the leaf at `index` is in the tree of `size` leaves whose root is `root`."""
    if not 0 <= index < size or any(len(h) != 32 for h in (leaf, root, *proof)):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                fn, sn = _shift_until(fn, sn, lambda f: f & 1 or f == 0)
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(size1: int, size2: int, root1: bytes, root2: bytes, proof: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: the tree of `size1` leaves (root1) is a prefix of the one of `size2` (root2).
    An empty tree proves nothing (every tree starts with it), so size 0 is refused."""
    if not 0 < size1 <= size2 or any(len(h) != 32 for h in proof):
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if not proof or len(root1) != 32 or len(root2) != 32:
        return False
    if size1 & (size1 - 1) == 0:  # a power of two: the old root is itself a node of the new tree
        proof = [root1, *proof]
    fn, sn = _shift_until(size1 - 1, size2 - 1, lambda f: not f & 1)
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                fn, sn = _shift_until(fn, sn, lambda f: f & 1 or f == 0)
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == root1 and sr == root2 and sn == 0


# --- Ed25519 verification (RFC 8032 §5.1.7, its reference arithmetic) -----------------------------
# The one piece of cryptography written here: an auditor's Python has no third-party packages.
# convoca signs with the `cryptography` package; the suite checks this against RFC 8032's vectors.

_P = 2 ** 255 - 19
_Q = 2 ** 252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_MINUS_ONE = pow(2, (_P - 1) // 4, _P)


def _recover_x(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    xx = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P)
    if xx % _P == 0:
        return None if sign else 0
    x = pow(xx, (_P + 3) // 8, _P)
    if (x * x - xx) % _P:
        x = x * _SQRT_MINUS_ONE % _P
    if (x * x - xx) % _P:
        return None
    return _P - x if (x & 1) != sign else x


def _add(a: tuple, b: tuple) -> tuple:
    e1 = (a[1] - a[0]) * (b[1] - b[0]) % _P
    e2 = (a[1] + a[0]) * (b[1] + b[0]) % _P
    c, d = 2 * a[3] * b[3] * _D % _P, 2 * a[2] * b[2] % _P
    e, f, g, h = e2 - e1, d - c, d + c, e2 + e1
    return e * f, g * h, f * g, e * h


def _mul(s: int, p: tuple) -> tuple:
    q = (0, 1, 1, 0)
    while s:
        if s & 1:
            q = _add(q, p)
        p, s = _add(p, p), s >> 1
    return q


def _same(a: tuple, b: tuple) -> bool:
    return (a[0] * b[2] - b[0] * a[2]) % _P == 0 and (a[1] * b[2] - b[1] * a[2]) % _P == 0


def _point(s: bytes) -> tuple | None:
    y = int.from_bytes(s, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


_G = _point((4 * pow(5, _P - 2, _P) % _P).to_bytes(32, "little"))


def ed25519_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    if len(public) != 32 or len(signature) != 64:
        return False
    a, r = _point(public), _point(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= _Q:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % _Q
    return _same(_mul(s, _G), _add(r, _mul(h, a)))


# --- signed notes, checkpoints and cosignatures (C2SP signed-note, tlog-checkpoint, tlog-cosignature)

SIGNER, COSIGNER = 0x01, 0x04
"""The signature types of C2SP signed-note: an Ed25519 signer, and an Ed25519 cosignature/v1."""
DASH = "\u2014 "


def key_id(name: str, kind: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + public).digest()[:4]


class Key:
    """A verifier key as C2SP signed-note writes it: NAME+KEYID+base64(type ‖ public key)."""

    def __init__(self, text: str) -> None:
        try:
            name, kid, material = text.strip().split("+", 2)
            raw = base64.b64decode(material, validate=True)
        except ValueError:
            raise ValueError(f"no es una clave pública (NOMBRE+ID+BASE64): {text.strip()[:60]!r}") from None
        if not name or len(raw) != 33 or raw[0] not in (SIGNER, COSIGNER) or key_id(name, raw[0], raw[1:]).hex() != kid:
            raise ValueError(f"la clave pública {text.strip()[:60]!r} no es de Ed25519 o su identificador no coincide")
        self.name, self.kind, self.public, self.id = name, raw[0], raw[1:], bytes.fromhex(kid)

    def signs(self, body: bytes, signature: bytes) -> bool:
        """Whether `signature` (the decoded base64 of a signature line) is this key's over `body`."""
        if signature[:4] != self.id:
            return False
        if self.kind == SIGNER:
            return ed25519_verify(self.public, body, signature[4:])
        if len(signature) != 76:
            return False
        timestamp = int.from_bytes(signature[4:12], "big")
        message = b"cosignature/v1\ntime %d\n" % timestamp + body
        return timestamp < 2 ** 63 and ed25519_verify(self.public, message, signature[12:])


def read_key(text: str) -> Key:
    """A key given on the line, or the file that holds it."""
    path = Path(text)
    if "+" not in text and path.is_file():
        text = path.read_text(encoding="utf-8")
    return Key(text)


class Checkpoint:
    """A signed checkpoint: its body (origin, size, root, extension lines) and its signature lines."""

    def __init__(self, text: str) -> None:
        body, sep, signatures = text.partition("\n\n")
        lines = body.split("\n")
        if not sep or len(lines) < 3 or not lines[1].isdigit() or (len(lines[1]) > 1 and lines[1][0] == "0"):
            raise ValueError("no es un punto de control (origen, tamaño y raíz, una línea en blanco, firmas)")
        try:
            root = base64.b64decode(lines[2], validate=True)
        except ValueError:
            root = b""
        if len(root) != 32:
            raise ValueError(f"la raíz {lines[2][:60]!r} no es un hash SHA-256 en base64")
        self.body = (body + "\n").encode()
        self.origin, self.size, self.root = lines[0], int(lines[1]), root
        self.signatures: list[tuple[str, bytes]] = []
        for line in signatures.split("\n"):
            if not line:
                continue
            name, _, encoded = line.removeprefix(DASH).rpartition(" ")
            try:
                self.signatures.append((name, base64.b64decode(encoded, validate=True)))
            except ValueError:
                raise ValueError(f"la línea de firma {line[:60]!r} no se lee") from None
            if not line.startswith(DASH):
                raise ValueError(f"la línea de firma {line[:60]!r} no empieza con «— »")

    def signed_by(self, key: Key) -> bool:
        return any(name == key.name and key.signs(self.body, sig) for name, sig in self.signatures)

    def text(self) -> str:
        return self.body.decode() + "\n" + "".join(f"{DASH}{n} {base64.b64encode(s).decode()}\n"
                                                    for n, s in self.signatures)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# --- the export, the earlier seal and the proofs --------------------------------------------------

class Failed(Exception):
    """What does not hold, said to the auditor."""


def _export_rows(folder: Path) -> tuple[Chain, dict[int, bytes], dict[int, str]]:
    """The chain of the export, with its tree's root and the chain's hash after every row."""
    lines = (folder / "auditoria.jsonl").read_text(encoding="utf-8").split("\n")  # never at U+2028
    if lines and lines[-1] == "":
        lines.pop()
    chain, roots, hashes = Chain(tree=True), {0: EMPTY_ROOT}, {0: GENESIS}
    for n, line in enumerate(lines, 1):
        try:
            content = json.loads(line)
            hash_, hash_previo = content.pop("hash"), content.pop("hash_previo")
        except (ValueError, KeyError, AttributeError, TypeError):
            raise Failed(f"CADENA ROTA: la línea {n} no es una fila del registro. Filas verificadas: {chain.count}.")
        problem = chain.feed(content, hash_previo, hash_)
        if problem:
            raise Failed(f"CADENA ROTA: {problem}. Filas verificadas antes del problema: {chain.count}.")
        roots[chain.count], hashes[chain.count] = chain.tree.root(), hash_
    return chain, roots, hashes


def _earlier(text: str, key: Key | None, witnesses: list[Key]) -> tuple[int, str, object]:
    """An earlier seal: (size, how to name it, what the export must hold at that size)."""
    if ":" in text and not Path(text).is_file():
        size, _, value = text.partition(":")
        if not size.isdigit():
            raise Failed(f"--sello {text}: no es TAMAÑO:RAÍZ ni FILAS:HASH.")
        if len(value) == 64 and all(c in "0123456789abcdef" for c in value):
            return int(size), f"sello {size}:{value[:16]}…", value
        try:
            root = base64.b64decode(value, validate=True)
        except ValueError:
            root = b""
        if len(root) != 32:
            raise Failed(f"--sello {text}: la raíz no es un hash SHA-256 en base64.")
        return int(size), "sello anterior", root
    checkpoint = Checkpoint(Path(text).read_text(encoding="utf-8"))
    if key is not None and not checkpoint.signed_by(key):
        raise Failed(f"FIRMA INVÁLIDA: el sello anterior {text} no está firmado por la clave {key.name}.")
    for w in witnesses:
        if not checkpoint.signed_by(w):
            raise Failed(f"SIN COFIRMA: el sello anterior {text} no lleva la cofirma válida del testigo {w.name}.")
    return checkpoint.size, "sello anterior", checkpoint.root


def verify_folder(folder: Path, key: Key | None = None, sello: str | None = None,
                  witnesses: list[Key] = ()) -> tuple[bool, str]:
    """(ok, what to say) for an exported folder, against the installation's key and an earlier seal."""
    try:
        seal = json.loads((folder / "sello.json").read_text(encoding="utf-8"))
        chain, roots, hashes = _export_rows(folder)
        said = [f"OK: {chain.count} filas íntegras, en orden; último hash {chain.previous}"]
        if (chain.count, chain.previous) != (seal.get("filas"), seal.get("hash")):
            raise Failed(f"NO COINCIDE CON EL SELLO: el sello dice {seal.get('filas')} filas y último hash "
                         f"{seal.get('hash')}; la exportación tiene {chain.count} filas y último hash {chain.previous}.")
        said.append(f"coincide con el sello del {seal.get('instante')}")
        said += _signed_checkpoint(folder, key, chain.count, roots[chain.count])
        if sello:
            size, name, expected = _earlier(sello, key, list(witnesses))
            if size > chain.count:
                raise Failed(f"REGISTRO CORTADO: el {name} tiene {size} filas y la exportación solo {chain.count}: "
                             "faltan filas del final.")
            held = hashes[size] if isinstance(expected, str) else roots[size]
            if held != expected:
                raise Failed(f"REGISTRO REESCRITO: las primeras {size} filas de la exportación no son las del {name} "
                             "(una fila cambiada, insertada o quitada, o una historia bifurcada).")
            said.append(f"contiene el {name} ({size} filas)" + (f", cofirmado por {', '.join(w.name for w in witnesses)}"
                                                 if witnesses else ""))
        else:
            said += [_witnessed(folder, key, w, chain.count, roots) for w in witnesses]
    except Failed as exc:
        return False, str(exc)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return False, f"No se puede leer la exportación en {folder}: {exc.__class__.__name__}: {exc}"
    return True, "; ".join(said) + "."


def _witnessed(folder: Path, key: Key | None, witness: Key, count: int, roots: dict[int, bytes]) -> str:
    """The largest checkpoint of `cofirmas/` that `witness` cosigned (and the installation signed, given
    its key): the export must hold it."""
    held, other = 0, None
    for path in sorted((folder / COSIGNED).glob("*.txt")) if (folder / COSIGNED).is_dir() else []:
        checkpoint = Checkpoint(path.read_text(encoding="utf-8"))
        if not checkpoint.signed_by(witness) or (key is not None and not checkpoint.signed_by(key)):
            continue
        if checkpoint.size > count or roots[checkpoint.size] != checkpoint.root:
            other = checkpoint
        else:
            held = max(held, checkpoint.size)
    if other is not None:
        raise Failed(f"REGISTRO REESCRITO: el testigo {witness.name} cofirmó {other.size} filas con la raíz "
                     f"{b64(other.root)}, y la exportación no las contiene (cortada, reescrita o bifurcada).")
    if not held:
        raise Failed(f"SIN COFIRMA: la exportación no trae ningún punto de control cofirmado por el testigo "
                     f"{witness.name}.")
    return f"contiene el punto de control de {held} filas cofirmado por {witness.name}"


def _signed_checkpoint(folder: Path, key: Key | None, size: int, root: bytes) -> list[str]:
    path = folder / "punto_control.txt"
    if key is None:
        return (["AVISO: sin --clave no se comprobó ninguna firma: quien reescriba la carpeta entera puede rehacer "
                 "también su sello"])
    if not path.is_file():
        raise Failed(f"SIN PUNTO DE CONTROL: la exportación no trae punto_control.txt firmado por {key.name}.")
    checkpoint = Checkpoint(path.read_text(encoding="utf-8"))
    if not checkpoint.signed_by(key):
        raise Failed(f"FIRMA INVÁLIDA: punto_control.txt no está firmado por la clave {key.name}.")
    if (checkpoint.size, checkpoint.root) != (size, root):
        raise Failed(f"NO COINCIDE CON EL PUNTO DE CONTROL: dice {checkpoint.size} filas y raíz {b64(checkpoint.root)}; "
                     f"la exportación tiene {size} filas y raíz {b64(root)}.")
    return [f"punto de control firmado por {key.name}: {size} filas, raíz {b64(root)}"]


def verify_proof(data: dict, key: Key | None = None) -> tuple[bool, str]:
    """A proof file of `convoca auditoria prueba`, checked offline."""
    try:
        proof = [base64.b64decode(p, validate=True) for p in data["prueba"]]
        if data.get("tipo") == "inclusion":
            size, index = int(data["tamano"]), int(data["indice"])
            root = base64.b64decode(data["raiz"], validate=True)
            if "fila" in data:
                content = dict(data["fila"])
                hash_, hash_previo = content.pop("hash"), content.pop("hash_previo")
                if chain_hash(hash_previo, content) != hash_ or content.get("id") != index + 1:
                    return False, f"PRUEBA INVÁLIDA: la fila {content.get('id')} no tiene el hash que dice."
                leaf, what = leaf_hash(hash_), f"la fila {index + 1}"
            else:
                leaf, what = base64.b64decode(data["hoja"], validate=True), f"la hoja {index}"
            if not verify_inclusion(index, size, leaf, proof, root):
                return False, f"PRUEBA INVÁLIDA: {what} no está en el registro de {size} filas con esa raíz."
            ends, said = [(size, root)], f"OK: {what} está en el registro de {size} filas"
        elif data.get("tipo") == "consistencia":
            (m, r1), (n, r2) = ((int(data[k]["tamano"]), base64.b64decode(data[k]["raiz"], validate=True))
                                for k in ("desde", "hasta"))
            if not verify_consistency(m, n, r1, r2, proof):
                return False, f"PRUEBA INVÁLIDA: el registro de {m} filas no es prefijo del de {n} filas."
            ends, said = [(n, r2)], f"OK: el registro de {m} filas es prefijo del de {n} filas"
        else:
            return False, "No es una prueba de convoca (tipo inclusion o consistencia)."
    except (KeyError, TypeError, ValueError) as exc:
        return False, f"No es una prueba de convoca legible: {exc.__class__.__name__}: {exc}"
    if key is None:
        return True, said + " (raíz sin firma comprobada: indique --clave)."
    checkpoint = Checkpoint(data.get("punto_control") or "")
    if not checkpoint.signed_by(key) or (checkpoint.size, checkpoint.root) != ends[0]:
        return False, f"FIRMA INVÁLIDA: la raíz de la prueba no es la de un punto de control firmado por {key.name}."
    return True, said + f", según el punto de control firmado por {key.name}."


def _options(argv: list[str]) -> dict[str, list[str]]:
    options: dict[str, list[str]] = {"": []}
    args = iter(argv)
    for a in args:
        if a in ("--clave", "--sello", "--testigo", "--prueba"):
            options.setdefault(a, []).append(next(args, ""))
        elif a.startswith("-"):
            raise ValueError(a)
        else:
            options[""].append(a)
    return options


def main(argv: list[str]) -> int:
    try:
        o = _options(argv[1:])
        if len(o.get("--clave", [])) > 1 or len(o.get("--sello", [])) > 1 or "" in sum(o.values(), []):
            raise ValueError
        if len(o[""]) + len(o.get("--prueba", [])) != 1:
            raise ValueError
    except ValueError:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        key = read_key(o["--clave"][0]) if "--clave" in o else None
        witnesses = [read_key(w) for w in o.get("--testigo", [])]
        if "--prueba" in o:
            ok, message = verify_proof(json.loads(Path(o["--prueba"][0]).read_text(encoding="utf-8")), key)
        else:
            ok, message = verify_folder(Path(o[""][0]), key, (o.get("--sello") or [None])[0], witnesses)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        ok, message = False, f"No se puede leer: {exc}"
    print(message, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 4


if __name__ == "__main__":
    sys.exit(main(sys.argv))
