"""The Merkle tree of the audit log (RFC 6962 / RFC 9162), beside the hash chain.

Each row is a leaf (SHA-256(0x00 ‖ its chain hash), which covers its canonical JSON); the table
`auditoria_arbol` keeps every complete subtree, so the root at any size, an inclusion proof and a
consistency proof each read O(log n) stored nodes (O(log² n) for a proof), never the log. On SQLite
`grow` writes the nodes in the transaction of the rows; on PostgreSQL the owner's trigger does
(migration 0013), so an officer's login cannot write a node at all. `problem` re-derives every
stored node from the rows, level by level, for `auditoria verificar`.

The hashing and the proofs' verification are the standalone verifier's (verificador.py): one
definition, which the auditor runs too.
"""
from __future__ import annotations

from sqlalchemy import Connection, func, insert, select, tuple_

from workflow.storage.tables import AUDITORIA
from workflow.storage.tables import AUDITORIA_ARBOL as ARBOL
from workflow.storage.verificador import EMPTY_ROOT, leaf_hash, node_hash


def _split(n: int) -> int:
    """The size of the left subtree of a tree of n > 1 leaves: the largest power of two below n."""
    return 1 << ((n - 1).bit_length() - 1)


def spans(lo: int, hi: int) -> list[tuple[int, int]]:
    """The complete subtrees (level, index) that cover leaves [lo, hi), largest first, for a range
    that is a node of the RFC 6962 tree (its start aligned to its size rounded up)."""
    out = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        while lo % (1 << level):
            level -= 1
        out.append((level, lo >> level))
        lo += 1 << level
    return out


class Stored:
    """The stored nodes as one reader asks for them, each read once."""

    def __init__(self, conn: Connection) -> None:
        self.conn, self.known = conn, {}

    def load(self, keys: list[tuple[int, int]]) -> None:
        missing = [k for k in keys if k not in self.known]
        for at in range(0, len(missing), 500):
            part = missing[at:at + 500]
            for r in self.conn.execute(select(ARBOL.c.nivel, ARBOL.c.indice, ARBOL.c.hash)
                                       .where(tuple_(ARBOL.c.nivel, ARBOL.c.indice).in_(part))):
                self.known[(r.nivel, r.indice)] = bytes.fromhex(r.hash)
        if absent := [k for k in keys if k not in self.known]:
            raise LookupError(f"falta el nodo {absent[0]} del árbol de Merkle")

    def subtree(self, lo: int, hi: int) -> bytes:
        """MTH(D[lo:hi]) from the stored complete subtrees, folded from the right as RFC 6962 nests them."""
        parts = spans(lo, hi)
        self.load(parts)
        h = self.known[parts[-1]]
        for key in reversed(parts[:-1]):
            h = node_hash(self.known[key], h)
        return h


def root(conn: Connection, size: int) -> bytes:
    return Stored(conn).subtree(0, size) if size else EMPTY_ROOT


def inclusion(conn: Connection, index: int, size: int) -> list[bytes]:
    """RFC 9162 §2.1.3.1 PATH(index, D[0:size])."""
    tree = Stored(conn)

    def path(m: int, lo: int, hi: int) -> list[bytes]:
        if hi - lo == 1:
            return []
        k = _split(hi - lo)
        if m < k:
            return path(m, lo, lo + k) + [tree.subtree(lo + k, hi)]
        return path(m - k, lo + k, hi) + [tree.subtree(lo, lo + k)]

    return path(index, 0, size)


def consistency(conn: Connection, old: int, new: int) -> list[bytes]:
    """RFC 9162 §2.1.4.1 PROOF(old, D[0:new]), for 0 < old ≤ new."""
    tree = Stored(conn)

    def subproof(m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
        if m == hi - lo:
            return [] if whole else [tree.subtree(lo, hi)]
        k = _split(hi - lo)
        if m <= k:
            return subproof(m, lo, lo + k, whole) + [tree.subtree(lo + k, hi)]
        return subproof(m - k, lo + k, hi, False) + [tree.subtree(lo, lo + k)]

    return subproof(old, 0, new, True)


def grow(conn: Connection, first_id: int, hashes: list[str]) -> None:
    """The nodes that rows `first_id`, `first_id + 1`, … complete, written beside them (SQLite)."""
    tree, rows = Stored(conn), []
    tree.load(spans(0, first_id - 1))  # the right edge before them, in one read: every other sibling is theirs
    for offset, row_hash in enumerate(hashes):
        index, level, h = first_id - 1 + offset, 0, leaf_hash(row_hash)
        while True:
            tree.known[(level, index)] = h
            rows.append({"nivel": level, "indice": index, "hash": h.hex()})
            if not index & 1:
                break
            h, index, level = node_hash(tree.known[(level, index - 1)], h), index >> 1, level + 1
    if rows:
        conn.execute(insert(ARBOL), rows)


def expected_nodes(size: int) -> int:
    """A tree of `size` leaves has one complete subtree per leaf and per pair merged: 2n − popcount(n)."""
    return 2 * size - bin(size).count("1")


def problem(conn: Connection, size: int) -> str | None:
    """The first stored node that the rows do not give, or a node too many or missing; None if the
    whole stored tree is the rows' own."""
    stored = conn.execute(select(func.count()).select_from(ARBOL)).scalar()
    if stored != expected_nodes(size):
        return (f"el árbol de Merkle tiene {stored} nodos y {size} filas dan {expected_nodes(size)}: se agregaron o "
                "quitaron nodos fuera de convoca")
    leaves = select(AUDITORIA.c.id, AUDITORIA.c.hash, ARBOL.c.hash.label("nodo")).outerjoin(
        ARBOL, (ARBOL.c.nivel == 0) & (ARBOL.c.indice == AUDITORIA.c.id - 1)).order_by(AUDITORIA.c.id)
    for r in conn.execute(leaves):
        if r.nodo != leaf_hash(r.hash).hex():
            return f"la hoja de la fila {r.id} en el árbol de Merkle no es la de su hash: fue alterada"
    level = 0
    while (1 << (level + 1)) <= size:
        left, right, parent = ARBOL.alias("i"), ARBOL.alias("d"), ARBOL.alias("p")
        pairs = (select(left.c.indice, left.c.hash.label("i"), right.c.hash.label("d"), parent.c.hash.label("p"))
                 .join(right, (right.c.nivel == level) & (right.c.indice == left.c.indice + 1))
                 .outerjoin(parent, (parent.c.nivel == level + 1) & (parent.c.indice == left.c.indice // 2))
                 .where(left.c.nivel == level, left.c.indice % 2 == 0))
        for r in conn.execute(pairs):
            if r.p != node_hash(bytes.fromhex(r.i), bytes.fromhex(r.d)).hex():
                return (f"el nodo {r.indice // 2} del nivel {level + 1} del árbol de Merkle no es el de sus dos hijos: "
                        "fue alterado")
        level += 1
    return None


def problem_since(conn: Connection, n: int, size: int) -> str | None:
    """`problem` for the rows after the first `n`: their leaves and every node above one of them; the
    older nodes stand for the root at `n` that a verification saw (the caller compares that root)."""
    stored = conn.execute(select(func.count()).select_from(ARBOL)).scalar()
    if stored != expected_nodes(size):
        return (f"el árbol de Merkle tiene {stored} nodos y {size} filas dan {expected_nodes(size)}: se agregaron o "
                "quitaron nodos fuera de convoca")
    leaves = select(AUDITORIA.c.id, AUDITORIA.c.hash, ARBOL.c.hash.label("nodo")).outerjoin(
        ARBOL, (ARBOL.c.nivel == 0) & (ARBOL.c.indice == AUDITORIA.c.id - 1)).where(AUDITORIA.c.id > n)
    for r in conn.execute(leaves):
        if r.nodo != leaf_hash(r.hash).hex():
            return f"la hoja de la fila {r.id} en el árbol de Merkle no es la de su hash: fue alterada"
    level = 0
    while (1 << (level + 1)) <= size:
        left, right, parent = ARBOL.alias("i"), ARBOL.alias("d"), ARBOL.alias("p")
        pairs = (select(left.c.indice, left.c.hash.label("i"), right.c.hash.label("d"), parent.c.hash.label("p"))
                 .join(right, (right.c.nivel == level) & (right.c.indice == left.c.indice + 1))
                 .outerjoin(parent, (parent.c.nivel == level + 1) & (parent.c.indice == left.c.indice // 2))
                 .where(left.c.nivel == level, left.c.indice % 2 == 0, left.c.indice >= (n >> (level + 1)) << 1))
        for r in conn.execute(pairs):
            if r.p != node_hash(bytes.fromhex(r.i), bytes.fromhex(r.d)).hex():
                return (f"el nodo {r.indice // 2} del nivel {level + 1} del árbol de Merkle no es el de sus dos hijos: "
                        "fue alterado")
        level += 1
    return None
