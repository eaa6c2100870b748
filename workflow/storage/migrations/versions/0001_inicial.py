"""tablas iniciales: convocatoria, caso, auditoria

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('convocatoria',
    sa.Column('codigo', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('nombre', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('definicion', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('cargada_en', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('codigo')
    )
    op.create_table('caso',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('codigo', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('convocatoria', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('estado', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('hechos', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['convocatoria'], ['convocatoria.codigo'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('caso', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_caso_codigo'), ['codigo'], unique=True)
        batch_op.create_index(batch_op.f('ix_caso_convocatoria'), ['convocatoria'], unique=False)
        batch_op.create_index(batch_op.f('ix_caso_estado'), ['estado'], unique=False)

    op.create_table('auditoria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('caso_id', sa.Integer(), nullable=False),
    sa.Column('codigo', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('evento', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('estado_origen', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('estado_destino', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('usuario', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('registrado_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fecha_efectiva', sa.Date(), nullable=False),
    sa.Column('nota', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('datos', sa.JSON(), nullable=False),
    sa.Column('reglas', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['caso_id'], ['caso.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auditoria_caso_id'), ['caso_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditoria_caso_id'))

    op.drop_table('auditoria')
    with op.batch_alter_table('caso', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_caso_estado'))
        batch_op.drop_index(batch_op.f('ix_caso_convocatoria'))
        batch_op.drop_index(batch_op.f('ix_caso_codigo'))

    op.drop_table('caso')
    op.drop_table('convocatoria')
