"""país del calendario: cada feriado guardado y cada día no laborable agregado es de un país (el de
la jurisdicción de la convocatoria), y una base puede tener convocatorias de varios

Revision ID: 0016
Revises: 0015

The rows already there are Peru's, the only jurisdiction until now. On PostgreSQL the guard of the
holidays asks, besides the date and the name, the country the act that stores them names.
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

FERIADO = """
  IF NOT EXISTS (SELECT 1 FROM auditoria a WHERE xmin = pg_current_xact_id()::xid AND a.aceptado
                 AND a.evento = 'guardar_feriados' AND coalesce(a.datos::jsonb ->> 'pais', 'PE') = NEW.pais
                 AND a.datos::jsonb -> 'feriados' @> jsonb_build_array(jsonb_build_array(NEW.fecha, NEW.nombre)))
  THEN RAISE EXCEPTION 'convoca: el feriado % solo se guarda con su acto auditado', NEW.fecha; END IF;"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.add_column('feriado', sa.Column('pais', sa.String(), nullable=False, server_default='PE'))
        op.execute("ALTER TABLE feriado ALTER COLUMN pais DROP DEFAULT")
        op.execute("ALTER TABLE feriado DROP CONSTRAINT feriado_pkey")
        op.execute("ALTER TABLE feriado ADD PRIMARY KEY (pais, fecha)")
        op.add_column('dia_no_laborable', sa.Column('pais', sa.String(), nullable=False, server_default='PE'))
        op.execute("ALTER TABLE dia_no_laborable ALTER COLUMN pais DROP DEFAULT")
        op.execute(f"""CREATE OR REPLACE FUNCTION feriado_auditado() RETURNS trigger LANGUAGE plpgsql
                       SET search_path = public, pg_temp AS $$ BEGIN {FERIADO}
                       RETURN NEW; END $$""")
        return
    op.execute("CREATE TABLE feriado_nuevo (pais VARCHAR NOT NULL, fecha DATE NOT NULL, nombre VARCHAR NOT NULL, "
               "fuente VARCHAR NOT NULL, PRIMARY KEY (pais, fecha))")
    op.execute("INSERT INTO feriado_nuevo (pais, fecha, nombre, fuente) SELECT 'PE', fecha, nombre, fuente FROM feriado")
    op.execute("DROP TABLE feriado")
    op.execute("ALTER TABLE feriado_nuevo RENAME TO feriado")
    with op.batch_alter_table('dia_no_laborable', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pais', sa.String(), nullable=False, server_default='PE'))
    with op.batch_alter_table('dia_no_laborable', schema=None) as batch_op:
        batch_op.alter_column('pais', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('dia_no_laborable', schema=None) as batch_op:
        batch_op.drop_column('pais')
    if op.get_bind().dialect.name == "postgresql":
        import importlib.util
        from pathlib import Path

        spec = importlib.util.spec_from_file_location("proyecciones", Path(__file__).with_name("0011_proyecciones.py"))
        previous = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(previous)
        op.execute(f"""CREATE OR REPLACE FUNCTION feriado_auditado() RETURNS trigger LANGUAGE plpgsql
                       SET search_path = public, pg_temp AS $$ BEGIN {previous.GUARDAS['feriado'][1]}
                       RETURN NEW; END $$""")
        op.execute("DELETE FROM feriado WHERE pais <> 'PE'")
        op.execute("ALTER TABLE feriado DROP CONSTRAINT feriado_pkey")
        op.execute("ALTER TABLE feriado ADD PRIMARY KEY (fecha)")
        op.drop_column('feriado', 'pais')
        return
    op.execute("CREATE TABLE feriado_viejo (fecha DATE NOT NULL, nombre VARCHAR NOT NULL, fuente VARCHAR NOT NULL, "
               "PRIMARY KEY (fecha))")
    op.execute("INSERT INTO feriado_viejo SELECT fecha, nombre, fuente FROM feriado WHERE pais = 'PE'")
    op.execute("DROP TABLE feriado")
    op.execute("ALTER TABLE feriado_viejo RENAME TO feriado")
