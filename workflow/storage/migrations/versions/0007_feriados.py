"""feriados: los feriados nacionales de los años de cada convocatoria, guardados en la base

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feriado',
    sa.Column('fecha', sa.Date(), nullable=False),
    sa.Column('nombre', sa.String(), nullable=False),
    sa.Column('fuente', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('fecha')
    )


def downgrade() -> None:
    op.drop_table('feriado')
