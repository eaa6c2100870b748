"""cartas: lo que recibieron las plantillas de cada carta, para imprimirla

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mensaje', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contexto', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mensaje', schema=None) as batch_op:
        batch_op.drop_column('contexto')
