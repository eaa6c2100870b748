"""historia: lo que recibió cada evento (para volver a juzgarlo) y la fila que rectifica o anula cada acto

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entrada', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('refiere', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.drop_column('refiere')
        batch_op.drop_column('entrada')
