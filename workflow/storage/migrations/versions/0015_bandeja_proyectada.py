"""bandeja proyectada: en PostgreSQL un mensaje se encola solo como lo declara su fila (clave,
destinatarios, tipo, huella, primer estado y adjunto) y su estado cambia solo por una fila de la
misma transacción que declara el nuevo

Revision ID: 0015
Revises: 0014

Until now the outbox's guard (migration 0011) asked an audited row for a message's text and for its
delivery, but a plain `UPDATE mensaje SET estado = 'retirado'` or `proximo_intento = '2099-01-01'`
silently suppressed a legal notice, and the row that queued a message said nothing of its kind or
its attachment. Every change of a message's state is now a row of the log that states it
(notifications/outbox.py `change_states`); the guard refuses any other, except a sender's lease
(`enviando` for at most the ten minutes of notifications/outbox.py `LEASE`, taken on a message that is
due, and given back). The rows that may change a message are the rule book's (states/servicios.py
`CAMBIAN_MENSAJES`), written into the function at this migration.

The log is also indexed by event: `auditoria verificar --desde-sello` reads the few rows of the acts
every later one depends on (users, calls, calendar, settings, the outbox) without reading the log.
"""
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def guard(eventos: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION mensaje_auditado() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
DECLARE
  adjunto jsonb := CASE WHEN NEW.contexto::jsonb ? 'adjunto' THEN jsonb_build_object(
    'nombre', NEW.contexto::jsonb -> 'adjunto' ->> 'nombre', 'tipo', NEW.contexto::jsonb -> 'adjunto' ->> 'tipo',
    'sha256', encode(sha256(decode(NEW.contexto::jsonb -> 'adjunto' ->> 'contenido', 'base64')), 'hex')) END;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (
         SELECT 1 FROM auditoria a, jsonb_array_elements(a.datos::jsonb -> 'mensajes') e
         WHERE a.xmin = pg_current_xact_id()::xid AND a.aceptado AND a.id = NEW.auditoria_id
           AND a.evento = 'encolar_mensajes' AND e ->> 'clave' = NEW.clave
           AND e -> 'destinatarios' = NEW.destinatarios::jsonb AND e ->> 'tipo' = NEW.tipo
           AND e ->> 'sha256' = convoca_huella(NEW.asunto, NEW.texto, NEW.html)
           AND e ->> 'estado' = NEW.estado AND (e ->> 'advertencia') IS NOT DISTINCT FROM NEW.advertencia
           AND (e -> 'adjunto') IS NOT DISTINCT FROM adjunto)
       OR NEW.intentos <> 0 OR NEW.proximo_intento IS NOT NULL
    THEN RAISE EXCEPTION 'convoca: un mensaje solo se encola con su fila de auditoría'; END IF;
    RETURN NEW;
  END IF;
  IF (to_jsonb(NEW) - ARRAY['estado', 'advertencia', 'intentos', 'proximo_intento', 'respuesta', 'enviado_en'])
     IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['estado', 'advertencia', 'intentos', 'proximo_intento', 'respuesta',
                                              'enviado_en'])
  THEN RAISE EXCEPTION 'convoca: el texto y los destinatarios de un mensaje no cambian'; END IF;
  IF NEW.estado = 'enviado' AND OLD.estado <> 'enviado' AND NOT EXISTS (
       SELECT 1 FROM convoca_auditado(ARRAY['entregar_mensaje'], 'mensaje:' || NEW.id))
  THEN RAISE EXCEPTION 'convoca: un mensaje solo se marca enviado con su entrega auditada'; END IF;
  IF (NEW.estado, NEW.intentos, NEW.proximo_intento, NEW.advertencia)
     IS NOT DISTINCT FROM (OLD.estado, OLD.intentos, OLD.proximo_intento, OLD.advertencia) THEN
    RETURN NEW;
  END IF;
  IF NEW.intentos = OLD.intentos AND NEW.advertencia IS NOT DISTINCT FROM OLD.advertencia AND (
       (NEW.estado = 'enviando' AND NEW.proximo_intento <= clock_timestamp() + interval '10 minutes'
        AND (OLD.estado = 'enviando' OR (OLD.estado = 'pendiente'
                                         AND coalesce(OLD.proximo_intento <= clock_timestamp(), true))))
    OR (NEW.estado = 'pendiente' AND OLD.estado = 'enviando' AND NEW.proximo_intento IS NULL)) THEN
    RETURN NEW;  -- a sender's lease, taken on a message that is due and given back: not a state of the notice
  END IF;
  IF NOT EXISTS (
       SELECT 1 FROM auditoria a, jsonb_array_elements(a.datos::jsonb -> 'estados') e
       WHERE a.xmin = pg_current_xact_id()::xid AND a.aceptado AND a.evento = ANY(ARRAY[{eventos}])
         AND (e ->> 'id')::integer = NEW.id AND e ->> 'estado' = NEW.estado
         AND (e ->> 'intentos')::integer = NEW.intentos
         AND (e ->> 'proximo_intento')::timestamptz IS NOT DISTINCT FROM NEW.proximo_intento
         AND (e ->> 'advertencia') IS NOT DISTINCT FROM NEW.advertencia)
  THEN RAISE EXCEPTION 'convoca: el estado de un mensaje solo cambia por un acto auditado que lo declara (% → %)',
                       OLD.estado, NEW.estado; END IF;
  RETURN NEW;
END $$"""


def upgrade() -> None:
    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auditoria_evento'), ['evento'], unique=False)
    if op.get_bind().dialect.name != "postgresql":
        return
    from states.servicios import CAMBIAN_MENSAJES

    op.execute(guard(", ".join("'" + e.replace("'", "''") + "'" for e in CAMBIAN_MENSAJES)))


def downgrade() -> None:
    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditoria_evento'))
    if op.get_bind().dialect.name != "postgresql":
        return
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("proyecciones", Path(__file__).with_name("0011_proyecciones.py"))
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    op.execute(f"""CREATE OR REPLACE FUNCTION mensaje_auditado() RETURNS trigger LANGUAGE plpgsql
                   SET search_path = public, pg_temp AS $$ BEGIN {previous.GUARDAS['mensaje'][1]}
                   RETURN NEW; END $$""")
