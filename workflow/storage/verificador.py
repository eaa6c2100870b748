"""Verificador independiente del registro de auditoría de convoca.

Uso:  python3 verificar_auditoria.py CARPETA

CARPETA es la que escribió `convoca auditoria exportar`: `auditoria.jsonl` (una fila del registro
por línea, en JSON canónico, con su hash y el de la fila anterior) y `sello.json` (cuántas filas
había, el hash de la última y el instante de la exportación). Este archivo necesita solo la
biblioteca estándar de Python 3.9 o posterior: un auditor lo lee entero y lo ejecuta sin convoca.

Comprueba, fila por fila, lo mismo que `convoca auditoria verificar` comprueba de la cadena: que cada
fila lleva el número siguiente, sigue a la anterior (su `hash_previo`), tiene el hash SHA-256 de
`hash_previo` + su contenido canónico, no se registró antes que la anterior ni con fecha efectiva
posterior al día de su registro; y que la última coincide con el sello. Sale con 0 si todo coincide
y con 4 si no, nombrando la primera fila que falla.

(convoca usa este mismo módulo para verificar su base: workflow/storage/verificador.py.)
"""
from __future__ import annotations

import hashlib
import json
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

GENESIS = "0" * 64
LIMA = timezone(timedelta(hours=-5))
"""Peru keeps UTC-5 all year (no daylight saving since 1994): no time-zone database is needed."""


def canonical_text(content: dict) -> str:
    """The text a row's hash covers: its content as JSON, keys sorted, without spaces."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def chain_hash(previous: str, content: dict) -> str:
    return hashlib.sha256((previous + canonical_text(content)).encode()).hexdigest()


class Chain:
    """The chain read row by row, in order; `feed` names the first problem."""

    def __init__(self) -> None:
        self.previous, self.count, self.instant = GENESIS, 0, None

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
        if self.instant is not None and instant < self.instant:
            return (f"fila {expected}: registrada el {content['registrado_en']}, antes que la fila anterior "
                    f"({self.instant.isoformat()}): el registro no retrocede en el tiempo")
        if efectiva > instant.astimezone(LIMA).date():
            return (f"fila {expected}: con fecha efectiva {efectiva.isoformat()}, posterior al día en que se registró "
                    f"({instant.astimezone(LIMA).date().isoformat()})")
        self.previous, self.count, self.instant = hash_, expected, instant
        return None


def verify_folder(folder: Path) -> tuple[bool, str]:
    """(ok, what to say) for an exported folder."""
    try:
        seal = json.loads((folder / "sello.json").read_text(encoding="utf-8"))
        lines = (folder / "auditoria.jsonl").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return False, f"No se puede leer la exportación en {folder}: {exc.__class__.__name__}: {exc}"
    chain = Chain()
    for n, line in enumerate(lines, 1):
        try:
            content = json.loads(line)
            hash_, hash_previo = content.pop("hash"), content.pop("hash_previo")
        except (ValueError, KeyError, AttributeError, TypeError):
            return False, f"CADENA ROTA: la línea {n} no es una fila del registro. Filas verificadas: {chain.count}."
        problem = chain.feed(content, hash_previo, hash_)
        if problem:
            return False, f"CADENA ROTA: {problem}. Filas verificadas antes del problema: {chain.count}."
    if (chain.count, chain.previous) != (seal.get("filas"), seal.get("hash")):
        return False, (f"NO COINCIDE CON EL SELLO: el sello dice {seal.get('filas')} filas y último hash "
                       f"{seal.get('hash')}; la exportación tiene {chain.count} filas y último hash {chain.previous}.")
    return True, (f"OK: {chain.count} filas íntegras, en orden; último hash {chain.previous}; coincide con el sello "
                  f"del {seal.get('instante')}.")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    ok, message = verify_folder(Path(argv[1]))
    print(message, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 4


if __name__ == "__main__":
    sys.exit(main(sys.argv))
