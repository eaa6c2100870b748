"""auditoria encadenada: hash de cada fila, cabeza de la cadena, solo agregar

Revision ID: 0004
Revises: 0003
"""
import hashlib
import json
from datetime import date, datetime, timezone

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('auditoria_cabeza',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ultimo_id', sa.Integer(), nullable=False),
    sa.Column('ultimo_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('filas', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rol', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('aceptado', sa.Boolean(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('motivos', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('hash_previo', sqlmodel.sql.sqltypes.AutoString(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(), server_default='', nullable=False))
        batch_op.alter_column('caso_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('estado_destino',
               existing_type=sa.VARCHAR(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_auditoria_codigo'), ['codigo'], unique=False)

    _chain_existing_rows()
    _append_only_triggers()


NO_CAMBIAR = "la auditoría es de solo agregar: no se modifican ni se borran filas"
GENESIS = "0" * 64
FIELDS = ("id", "caso_id", "codigo", "evento", "estado_origen", "estado_destino", "usuario", "rol", "registrado_en",
          "fecha_efectiva", "nota", "datos", "reglas", "plazos", "aceptado", "motivos")


def _plain(value):
    if isinstance(value, datetime):  # stored in UTC; SQLite gives it back without its zone
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def chain_hash(previous: str, row) -> str:
    """The chain's hash as `workflow.storage.audit` computed it at this revision, frozen here so that this
    migration means the same whatever the live code becomes."""
    content = json.dumps({f: _plain(row.get(f)) for f in FIELDS}, sort_keys=True, ensure_ascii=False,
                         separators=(",", ":"), default=str)
    return hashlib.sha256((previous + content).encode()).hexdigest()


def _chain_existing_rows() -> None:
    """Rows written before the chain existed are chained in id order, once."""
    conn = op.get_bind()
    table = sa.Table("auditoria", sa.MetaData(), autoload_with=conn)  # the table as it is at this revision
    previous, count = GENESIS, 0
    for row in conn.execute(sa.select(table).order_by(table.c.id)).mappings().all():
        full = {**row, "rol": None, "aceptado": True, "motivos": []}
        digest = chain_hash(previous, full)
        conn.execute(table.update().where(table.c.id == row["id"]).values(hash_previo=previous, hash=digest))
        previous, count = digest, row["id"]
    conn.execute(sa.text("INSERT INTO auditoria_cabeza (id, ultimo_id, ultimo_hash, filas) VALUES (1, :n, :h, :n)"),
                 {"n": count, "h": previous})


def _append_only_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for accion in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER auditoria_solo_agregar_{accion.lower()} BEFORE {accion} ON auditoria "
                       f"BEGIN SELECT RAISE(ABORT, '{NO_CAMBIAR}'); END")
    elif op.get_bind().dialect.name == "postgresql":
        op.execute(f"""CREATE FUNCTION auditoria_solo_agregar() RETURNS trigger LANGUAGE plpgsql AS $$
                       BEGIN RAISE EXCEPTION '{NO_CAMBIAR}'; END $$""")
        op.execute("CREATE TRIGGER auditoria_solo_agregar BEFORE UPDATE OR DELETE ON auditoria "
                   "FOR EACH ROW EXECUTE FUNCTION auditoria_solo_agregar()")



def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER auditoria_solo_agregar_update")
        op.execute("DROP TRIGGER auditoria_solo_agregar_delete")
    elif op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER auditoria_solo_agregar ON auditoria")
        op.execute("DROP FUNCTION auditoria_solo_agregar()")
    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditoria_codigo'))
        batch_op.alter_column('estado_destino',
               existing_type=sa.VARCHAR(),
               nullable=False)
        batch_op.alter_column('caso_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('hash')
        batch_op.drop_column('hash_previo')
        batch_op.drop_column('motivos')
        batch_op.drop_column('aceptado')
        batch_op.drop_column('rol')

    op.drop_table('auditoria_cabeza')
