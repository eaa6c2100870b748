"""plazos mensajes calendario usuarios

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dia_no_laborable',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('desde', sa.Date(), nullable=False),
    sa.Column('hasta', sa.Date(), nullable=False),
    sa.Column('tipo', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('alcance', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('norma', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('agregado_por', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('agregado_en', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('usuario',
    sa.Column('nombre', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('rol', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('activo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('nombre')
    )
    op.create_table('plazo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('caso_id', sa.Integer(), nullable=False),
    sa.Column('codigo', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('tipo', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('hito', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('responsable', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('cuenta', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('desde', sa.Date(), nullable=True),
    sa.Column('vence', sa.Date(), nullable=False),
    sa.Column('estado', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('abierto_por', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('cerrado_por', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('cerrado_el', sa.Date(), nullable=True),
    sa.Column('motivo', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('escalamiento', sa.Integer(), nullable=False),
    sa.Column('escalamiento_vence', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['caso_id'], ['caso.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('plazo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plazo_caso_id'), ['caso_id'], unique=False)
        batch_op.create_index('ix_plazo_estado_vence', ['estado', 'vence'], unique=False)

    op.create_table('mensaje',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clave', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('caso_id', sa.Integer(), nullable=True),
    sa.Column('codigo', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('tipo', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('plazo_id', sa.Integer(), nullable=True),
    sa.Column('destinatarios', sa.JSON(), nullable=False),
    sa.Column('asunto', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('texto', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('html', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('estado', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('advertencia', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('intentos', sa.Integer(), nullable=False),
    sa.Column('proximo_intento', sa.DateTime(timezone=True), nullable=True),
    sa.Column('respuesta', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('creado_en', sa.DateTime(timezone=True), nullable=False),
    sa.Column('enviado_en', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['caso_id'], ['caso.id'], ),
    sa.ForeignKeyConstraint(['plazo_id'], ['plazo.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('clave')
    )
    with op.batch_alter_table('mensaje', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mensaje_caso_id'), ['caso_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mensaje_estado'), ['estado'], unique=False)

    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plazos', sa.JSON(), server_default='[]', nullable=False))

    with op.batch_alter_table('caso', schema=None) as batch_op:
        batch_op.add_column(sa.Column('monitor', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_index(batch_op.f('ix_caso_monitor'), ['monitor'], unique=False)
        batch_op.create_foreign_key('fk_caso_monitor_usuario', 'usuario', ['monitor'], ['nombre'])



def downgrade() -> None:
    with op.batch_alter_table('caso', schema=None) as batch_op:
        batch_op.drop_constraint('fk_caso_monitor_usuario', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_caso_monitor'))
        batch_op.drop_column('monitor')

    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.drop_column('plazos')

    with op.batch_alter_table('mensaje', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mensaje_estado'))
        batch_op.drop_index(batch_op.f('ix_mensaje_caso_id'))

    op.drop_table('mensaje')
    with op.batch_alter_table('plazo', schema=None) as batch_op:
        batch_op.drop_index('ix_plazo_estado_vence')
        batch_op.drop_index(batch_op.f('ix_plazo_caso_id'))

    op.drop_table('plazo')
    op.drop_table('usuario')
    op.drop_table('dia_no_laborable')
