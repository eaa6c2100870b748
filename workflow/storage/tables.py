"""The tables in SQLAlchemy Core, for the read commands. GENERATED from workflow/storage/models.py by
`make tablas`: do not edit; the suite checks that it matches the models."""
from sqlalchemy import JSON, Boolean, Column, Date, Integer, MetaData, String, Table

from workflow.storage.coltypes import AwareDateTime

metadata = MetaData()

AJUSTE = Table(
    'ajuste', metadata,
    Column('clave', String(), primary_key=True, nullable=False),
    Column('valor', JSON(), nullable=False),
)
AUDITORIA_ARBOL = Table(
    'auditoria_arbol', metadata,
    Column('nivel', Integer(), primary_key=True, nullable=False),
    Column('indice', Integer(), primary_key=True, nullable=False),
    Column('hash', String(), nullable=False),
)
AUDITORIA_CABEZA = Table(
    'auditoria_cabeza', metadata,
    Column('id', Integer(), primary_key=True, nullable=False),
    Column('ultimo_id', Integer(), nullable=False),
    Column('ultimo_hash', String(), nullable=False),
    Column('filas', Integer(), nullable=False),
)
CONVOCATORIA = Table(
    'convocatoria', metadata,
    Column('codigo', String(), primary_key=True, nullable=False),
    Column('nombre', String(), nullable=False),
    Column('definicion', String(), nullable=False),
    Column('cargada_en', AwareDateTime(), nullable=False),
)
DIA_NO_LABORABLE = Table(
    'dia_no_laborable', metadata,
    Column('id', Integer(), primary_key=True, nullable=False),
    Column('pais', String(), nullable=False),
    Column('desde', Date(), nullable=False),
    Column('hasta', Date(), nullable=False),
    Column('tipo', String(), nullable=False),
    Column('alcance', String(), nullable=False),
    Column('norma', String(), nullable=False),
    Column('agregado_por', String(), nullable=False),
    Column('agregado_en', AwareDateTime(), nullable=False),
)
FERIADO = Table(
    'feriado', metadata,
    Column('pais', String(), primary_key=True, nullable=False),
    Column('fecha', Date(), primary_key=True, nullable=False),
    Column('nombre', String(), nullable=False),
    Column('fuente', String(), nullable=False),
)
INSTALACION = Table(
    'instalacion', metadata,
    Column('id', Integer(), primary_key=True, nullable=False),
    Column('ensayo', Boolean(), nullable=False),
    Column('creada_en', AwareDateTime(), nullable=False),
)
USUARIO = Table(
    'usuario', metadata,
    Column('nombre', String(), primary_key=True, nullable=False),
    Column('rol', String(), nullable=False),
    Column('email', String()),
    Column('activo', Boolean(), nullable=False),
    Column('login', String()),
)
CASO = Table(
    'caso', metadata,
    Column('id', Integer(), primary_key=True, nullable=False),
    Column('codigo', String(), nullable=False),
    Column('convocatoria', String(), nullable=False),
    Column('estado', String(), nullable=False),
    Column('version', Integer(), nullable=False),
    Column('hechos', JSON(), nullable=False),
    Column('monitor', String()),
)
AUDITORIA = Table(
    'auditoria', metadata,
    Column('id', Integer(), primary_key=True, nullable=False),
    Column('caso_id', Integer()),
    Column('codigo', String(), nullable=False),
    Column('evento', String(), nullable=False),
    Column('estado_origen', String()),
    Column('estado_destino', String()),
    Column('usuario', String(), nullable=False),
    Column('rol', String()),
    Column('login', String()),
    Column('registrado_en', AwareDateTime(), nullable=False),
    Column('fecha_efectiva', Date(), nullable=False),
    Column('nota', String()),
    Column('datos', JSON(), nullable=False),
    Column('reglas', JSON(), nullable=False),
    Column('plazos', JSON(), nullable=False),
    Column('aceptado', Boolean(), nullable=False),
    Column('motivos', JSON(), nullable=False),
    Column('entrada', JSON()),
    Column('refiere', Integer()),
    Column('efectos', JSON()),
    Column('hash_previo', String(), nullable=False),
    Column('hash', String(), nullable=False),
)
PLAZO = Table(
    'plazo', metadata,
    Column('id', Integer(), primary_key=True, nullable=False),
    Column('caso_id', Integer(), nullable=False),
    Column('codigo', String(), nullable=False),
    Column('tipo', String(), nullable=False),
    Column('hito', String()),
    Column('responsable', String(), nullable=False),
    Column('cuenta', String(), nullable=False),
    Column('desde', Date()),
    Column('vence', Date(), nullable=False),
    Column('estado', String(), nullable=False),
    Column('abierto_por', String(), nullable=False),
    Column('cerrado_por', String()),
    Column('cerrado_el', Date()),
    Column('motivo', String()),
    Column('escalamiento', Integer(), nullable=False),
    Column('escalamiento_vence', Date()),
)
MENSAJE = Table(
    'mensaje', metadata,
    Column('id', Integer(), primary_key=True, nullable=False),
    Column('clave', String(), nullable=False),
    Column('caso_id', Integer()),
    Column('codigo', String()),
    Column('tipo', String(), nullable=False),
    Column('plazo_id', Integer()),
    Column('destinatarios', JSON(), nullable=False),
    Column('asunto', String(), nullable=False),
    Column('texto', String(), nullable=False),
    Column('html', String(), nullable=False),
    Column('estado', String(), nullable=False),
    Column('advertencia', String()),
    Column('intentos', Integer(), nullable=False),
    Column('proximo_intento', AwareDateTime()),
    Column('respuesta', String()),
    Column('message_id', String(), nullable=False),
    Column('contexto', JSON()),
    Column('creado_en', AwareDateTime(), nullable=False),
    Column('auditoria_id', Integer()),
    Column('enviado_en', AwareDateTime()),
)
REGISTRO = Table(
    'registro', metadata,
    Column('id', Integer(), primary_key=True, nullable=False),
    Column('tipo', String(), nullable=False),
    Column('documento', String(), nullable=False),
    Column('nombre', String()),
    Column('desde', Date(), nullable=False),
    Column('hasta', Date()),
    Column('motivo', String(), nullable=False),
    Column('fuente', String(), nullable=False),
    Column('caso', String(), nullable=False),
    Column('auditoria_id', Integer()),
)
