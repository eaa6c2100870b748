"""indices para escala

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('caso', schema=None) as batch_op:
        batch_op.create_index('ix_caso_estado_codigo', ['estado', 'codigo'], unique=False)

    with op.batch_alter_table('plazo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plazo_codigo'), ['codigo'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('plazo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plazo_codigo'))

    with op.batch_alter_table('caso', schema=None) as batch_op:
        batch_op.drop_index('ix_caso_estado_codigo')

