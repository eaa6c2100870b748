"""árbol de Merkle: cada fila del registro es una hoja (RFC 6962) y cada subárbol completo queda
guardado, para firmar puntos de control y dar pruebas de inclusión y de consistencia

Revision ID: 0013
Revises: 0012

The rows already written get their nodes here. On SQLite convoca writes the nodes of each new row
in its transaction (workflow/storage/merkle.py `grow`), and the table, like the log, refuses UPDATE
and DELETE. On PostgreSQL an AFTER INSERT trigger of the owner's writes them from the row as it was
inserted: the officers' group only reads the table (workflow/storage/db.py `grant`), so no login but
the owner's can put a node there.
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

NO_CAMBIAR = "el árbol de Merkle del registro de auditoría solo admite agregar nodos"

HOJA = """
CREATE FUNCTION auditoria_arbol_hoja() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  i bigint := NEW.id - 1;
  k integer := 0;
  h bytea := sha256('\\x00'::bytea || decode(NEW.hash, 'hex'));
BEGIN
  INSERT INTO auditoria_arbol (nivel, indice, hash) VALUES (0, i, encode(h, 'hex'));
  WHILE i % 2 = 1 LOOP
    h := sha256('\\x01'::bytea || (SELECT decode(a.hash, 'hex') FROM auditoria_arbol a
                                    WHERE a.nivel = k AND a.indice = i - 1) || h);
    i := i / 2;
    k := k + 1;
    INSERT INTO auditoria_arbol (nivel, indice, hash) VALUES (k, i, encode(h, 'hex'));
  END LOOP;
  RETURN NULL;
END $$"""
"""A row's leaf and the nodes it completes, from the hash the chaining trigger let through: one
probe of the key per level it climbs (two on average)."""


def _backfill(conn) -> None:
    from workflow.storage.verificador import leaf_hash, node_hash

    known: dict[tuple[int, int], bytes] = {}
    rows = []
    for index, (row_hash,) in enumerate(conn.execute(sa.text("SELECT hash FROM auditoria ORDER BY id"))):
        level, h = 0, leaf_hash(row_hash)
        while True:
            known[(level, index)] = h
            rows.append({"n": level, "i": index, "h": h.hex()})
            if not index & 1:
                break
            h, index, level = node_hash(known.pop((level, index - 1)), h), index >> 1, level + 1
    for at in range(0, len(rows), 5000):
        conn.execute(sa.text("INSERT INTO auditoria_arbol (nivel, indice, hash) VALUES (:n, :i, :h)"),
                     rows[at:at + 5000])


def upgrade() -> None:
    op.create_table('auditoria_arbol',
                    sa.Column('nivel', sa.Integer(), nullable=False),
                    sa.Column('indice', sa.Integer(), nullable=False),
                    sa.Column('hash', sa.String(), nullable=False),
                    sa.PrimaryKeyConstraint('nivel', 'indice'))
    conn = op.get_bind()
    _backfill(conn)
    if conn.dialect.name == "sqlite":
        for accion in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER auditoria_arbol_solo_agregar_{accion.lower()} BEFORE {accion} ON "
                       f"auditoria_arbol BEGIN SELECT RAISE(ABORT, '{NO_CAMBIAR}'); END")
    elif conn.dialect.name == "postgresql":
        op.execute(HOJA)
        op.execute("CREATE TRIGGER auditoria_arbol_hoja AFTER INSERT ON auditoria "
                   "FOR EACH ROW EXECUTE FUNCTION auditoria_arbol_hoja()")
        op.execute(f"""CREATE FUNCTION auditoria_arbol_solo_agregar() RETURNS trigger LANGUAGE plpgsql AS $$
                       BEGIN RAISE EXCEPTION '{NO_CAMBIAR}'; END $$""")
        op.execute("CREATE TRIGGER auditoria_arbol_solo_agregar BEFORE UPDATE OR DELETE ON auditoria_arbol "
                   "FOR EACH ROW EXECUTE FUNCTION auditoria_arbol_solo_agregar()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER auditoria_arbol_hoja ON auditoria")
        op.execute("DROP FUNCTION auditoria_arbol_hoja()")
        op.execute("DROP TRIGGER auditoria_arbol_solo_agregar ON auditoria_arbol")
        op.execute("DROP FUNCTION auditoria_arbol_solo_agregar()")
    op.drop_table('auditoria_arbol')
