"""registro de impedimentos

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('registro',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tipo', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('documento', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('nombre', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('desde', sa.Date(), nullable=False),
    sa.Column('hasta', sa.Date(), nullable=True),
    sa.Column('motivo', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('fuente', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('caso', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('auditoria_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['auditoria_id'], ['auditoria.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('registro', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registro_documento'), ['documento'], unique=False)
        batch_op.create_index(batch_op.f('ix_registro_tipo'), ['tipo'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('registro', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registro_tipo'))
        batch_op.drop_index(batch_op.f('ix_registro_documento'))

    op.drop_table('registro')
