"""identidad: login de cada usuario y de cada fila de auditoría; base de ensayo o de producción

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

NO_CAMBIAR = "el tipo de base (ensayo o producción) se fija al crearla y no cambia"


def upgrade() -> None:
    op.create_table('instalacion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ensayo', sa.Boolean(), nullable=False),
    sa.Column('creada_en', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('usuario', schema=None) as batch_op:
        batch_op.add_column(sa.Column('login', sa.String(), nullable=True))
        batch_op.create_unique_constraint('uq_usuario_login', ['login'])
    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('login', sa.String(), nullable=True))

    conn = op.get_bind()
    # A database that already holds a log was in real use: it is a production database.
    if conn.execute(sa.text("SELECT count(*) FROM auditoria")).scalar():
        conn.execute(sa.text("INSERT INTO instalacion (id, ensayo, creada_en) VALUES (1, :f, CURRENT_TIMESTAMP)"),
                     {"f": False})
    if conn.dialect.name == "sqlite":
        for accion in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER instalacion_fija_{accion.lower()} BEFORE {accion} ON instalacion "
                       f"BEGIN SELECT RAISE(ABORT, '{NO_CAMBIAR}'); END")
    elif conn.dialect.name == "postgresql":
        op.execute(f"""CREATE FUNCTION instalacion_fija() RETURNS trigger LANGUAGE plpgsql AS $$
                       BEGIN RAISE EXCEPTION '{NO_CAMBIAR}'; END $$""")
        op.execute("CREATE TRIGGER instalacion_fija BEFORE UPDATE OR DELETE ON instalacion "
                   "FOR EACH ROW EXECUTE FUNCTION instalacion_fija()")
        # Who and when are the server's: whatever the client sends, the row keeps the role the
        # server authenticated and the server's clock (the client hashes the same values, read
        # in the same transaction, so a client that lies breaks its own row's hash).
        op.execute("ALTER TABLE auditoria ALTER COLUMN login SET DEFAULT session_user")
        op.execute("""CREATE FUNCTION auditoria_quien_cuando() RETURNS trigger LANGUAGE plpgsql AS $$
                      BEGIN NEW.login := session_user; NEW.registrado_en := transaction_timestamp();
                      RETURN NEW; END $$""")
        op.execute("CREATE TRIGGER auditoria_quien_cuando BEFORE INSERT ON auditoria "
                   "FOR EACH ROW EXECUTE FUNCTION auditoria_quien_cuando()")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        op.execute("DROP TRIGGER instalacion_fija_update")
        op.execute("DROP TRIGGER instalacion_fija_delete")
    elif conn.dialect.name == "postgresql":
        op.execute("DROP TRIGGER auditoria_quien_cuando ON auditoria")
        op.execute("DROP FUNCTION auditoria_quien_cuando()")
        op.execute("DROP TRIGGER instalacion_fija ON instalacion")
        op.execute("DROP FUNCTION instalacion_fija()")
    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.drop_column('login')
    with op.batch_alter_table('usuario', schema=None) as batch_op:
        batch_op.drop_constraint('uq_usuario_login', type_='unique')
        batch_op.drop_column('login')
    op.drop_table('instalacion')
