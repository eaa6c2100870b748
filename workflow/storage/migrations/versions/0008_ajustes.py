"""ajustes: los ajustes de la instalación (servicio, correo, límites de entrada), fuera del archivo de la convocatoria

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ajuste',
    sa.Column('clave', sa.String(), nullable=False),
    sa.Column('valor', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('clave')
    )


def downgrade() -> None:
    op.drop_table('ajuste')
