"""proyecciones: lo que un acto escribe fuera de su caso queda en su fila; en PostgreSQL, la cabeza de
la cadena, la hora y cada tabla de reglas, usuarios, calendario, registro y bandeja solo cambian por
un acto auditado en la misma transacción

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

CABEZA = """
CREATE FUNCTION convoca_cabeza() RETURNS TABLE (ultimo_id integer, ultimo_hash varchar, login name,
                                                  instante timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM 1 FROM auditoria_cabeza c WHERE c.id = 1 FOR UPDATE;
  RETURN QUERY SELECT c.ultimo_id, c.ultimo_hash, session_user, clock_timestamp()
               FROM auditoria_cabeza c WHERE c.id = 1;
END $$"""
"""The head, locked for this transaction, with the server's login and clock: what the client hashes."""

ENCADENAR = """
CREATE OR REPLACE FUNCTION auditoria_quien_cuando() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  h auditoria_cabeza%ROWTYPE;
  anterior timestamptz;
  quien usuario%ROWTYPE;
BEGIN
  SELECT * INTO h FROM auditoria_cabeza WHERE id = 1 FOR UPDATE;
  IF NEW.id IS DISTINCT FROM h.ultimo_id + 1 OR NEW.hash_previo IS DISTINCT FROM h.ultimo_hash THEN
    RAISE EXCEPTION 'convoca: la fila % no sigue a la cabeza de la cadena (fila %)', NEW.id, h.ultimo_id;
  END IF;
  SELECT registrado_en INTO anterior FROM auditoria WHERE id = h.ultimo_id;
  IF NEW.registrado_en IS NULL OR NEW.registrado_en > clock_timestamp()
     OR NEW.registrado_en < transaction_timestamp() OR NEW.registrado_en < anterior THEN
    RAISE EXCEPTION 'convoca: el instante de registro % no es la hora del servidor', NEW.registrado_en;
  END IF;
  NEW.login := session_user;
  IF NOT (SELECT ensayo FROM instalacion WHERE id = 1) AND EXISTS (SELECT 1 FROM usuario) THEN
    SELECT * INTO quien FROM usuario WHERE usuario.login = session_user;
    IF NEW.rol = 'sistema' THEN
      IF quien.nombre IS NULL OR quien.rol = 'auditor' OR NOT quien.activo THEN
        RAISE EXCEPTION 'convoca: el login % no es de ningún usuario activo que actúe', session_user;
      END IF;
    ELSIF NEW.aceptado AND (quien.nombre IS DISTINCT FROM NEW.usuario OR quien.rol IS DISTINCT FROM NEW.rol
                            OR NOT quien.activo) THEN
      RAISE EXCEPTION 'convoca: el login % no actúa como % con el rol %', session_user, NEW.usuario, NEW.rol;
    END IF;
  END IF;
  UPDATE auditoria_cabeza SET ultimo_id = NEW.id, ultimo_hash = NEW.hash, filas = filas + 1 WHERE id = 1;
  RETURN NEW;
END $$"""
"""Every row chains onto the head, at the server's clock, from the login of the user it names with
that user's role (a production database); the head moves here, never by a client."""

AUDITADO = """
CREATE FUNCTION convoca_auditado(eventos text[], cod text) RETURNS SETOF auditoria
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT * FROM auditoria WHERE xmin = pg_current_xact_id()::xid AND aceptado AND evento = ANY(eventos)
                                AND codigo = cod
$$"""
"""The accepted rows of these events this very transaction wrote for this object."""

GUARDAS = {
    "usuario": ("INSERT OR UPDATE", """
  IF NOT EXISTS (SELECT 1 FROM convoca_auditado(ARRAY['agregar_usuario', 'cambiar_rol', 'cambiar_correo',
                                                      'desactivar_usuario', 'reactivar_usuario'],
                                                'usuario:' || NEW.nombre) a
                 WHERE (TG_OP = 'INSERT' AND a.datos::jsonb -> 'usuario' <@ to_jsonb(NEW))
                    OR (TG_OP = 'UPDATE' AND to_jsonb(NEW) = to_jsonb(OLD) || (a.datos::jsonb -> 'usuario' -> 'despues')))
  THEN RAISE EXCEPTION 'convoca: el usuario % solo cambia por un acto auditado', NEW.nombre; END IF;"""),
    "convocatoria": ("INSERT OR UPDATE", """
  IF NOT EXISTS (SELECT 1 FROM convoca_auditado(ARRAY['cargar_convocatoria'], 'convocatoria:' || NEW.codigo) a
                 WHERE a.datos::jsonb ->> 'sha256' = encode(sha256(convert_to(NEW.definicion, 'UTF8')), 'hex'))
  THEN RAISE EXCEPTION 'convoca: la convocatoria % solo cambia al cargar su archivo', NEW.codigo; END IF;"""),
    "feriado": ("INSERT OR UPDATE", """
  IF NOT EXISTS (SELECT 1 FROM auditoria a WHERE xmin = pg_current_xact_id()::xid AND a.aceptado
                 AND a.evento = 'guardar_feriados'
                 AND a.datos::jsonb -> 'feriados' @> jsonb_build_array(jsonb_build_array(NEW.fecha, NEW.nombre)))
  THEN RAISE EXCEPTION 'convoca: el feriado % solo se guarda con su acto auditado', NEW.fecha; END IF;"""),
    "dia_no_laborable": ("INSERT OR UPDATE", """
  IF NOT EXISTS (SELECT 1 FROM convoca_auditado(ARRAY['agregar_dia_no_laborable'], 'calendario') a
                 WHERE a.datos::jsonb -> 'calendario' <@ to_jsonb(NEW) AND a.usuario = NEW.agregado_por)
  THEN RAISE EXCEPTION 'convoca: el calendario solo cambia por un acto auditado'; END IF;"""),
    "registro": ("INSERT OR UPDATE", """
  IF NOT EXISTS (SELECT 1 FROM auditoria a WHERE xmin = pg_current_xact_id()::xid AND a.aceptado
                 AND ((TG_OP = 'INSERT' AND a.id = NEW.auditoria_id) OR (TG_OP = 'UPDATE' AND a.evento = 'anular'
                      AND a.refiere = NEW.auditoria_id AND NEW.hasta = NEW.desde
                      AND to_jsonb(NEW) - 'hasta' = to_jsonb(OLD) - 'hasta')))
  THEN RAISE EXCEPTION 'convoca: el registro solo cambia por el acto que lo motiva'; END IF;"""),
    "ajuste": ("INSERT OR UPDATE OR DELETE", """
  IF NOT EXISTS (SELECT 1 FROM convoca_auditado(ARRAY['fijar_ajuste'], 'ajuste:' || COALESCE(NEW.clave, OLD.clave)) a
                 WHERE TG_OP = 'DELETE' OR a.datos::jsonb -> 'ajuste' -> 'despues' = NEW.valor::jsonb)
  THEN RAISE EXCEPTION 'convoca: los ajustes solo cambian con convoca ajustes fijar'; END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;"""),
    "mensaje": ("INSERT OR UPDATE", """
  IF TG_OP = 'INSERT' AND NOT EXISTS (
       SELECT 1 FROM auditoria a WHERE xmin = pg_current_xact_id()::xid AND a.aceptado AND a.id = NEW.auditoria_id
       AND a.evento = 'encolar_mensajes' AND a.datos::jsonb -> 'mensajes' @> jsonb_build_array(jsonb_build_object(
         'clave', NEW.clave, 'destinatarios', NEW.destinatarios::jsonb, 'sha256', convoca_huella(NEW.asunto, NEW.texto,
                                                                                               NEW.html))))
  THEN RAISE EXCEPTION 'convoca: un mensaje solo se encola con su fila de auditoría'; END IF;
  IF TG_OP = 'UPDATE' THEN
    IF (to_jsonb(NEW) - ARRAY['estado', 'advertencia', 'intentos', 'proximo_intento', 'respuesta', 'enviado_en'])
       IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['estado', 'advertencia', 'intentos', 'proximo_intento', 'respuesta',
                                                'enviado_en'])
    THEN RAISE EXCEPTION 'convoca: el texto y los destinatarios de un mensaje no cambian'; END IF;
    IF NEW.estado = 'enviado' AND OLD.estado <> 'enviado' AND NOT EXISTS (
         SELECT 1 FROM convoca_auditado(ARRAY['entregar_mensaje'], 'mensaje:' || NEW.id))
    THEN RAISE EXCEPTION 'convoca: un mensaje solo se marca enviado con su entrega auditada'; END IF;
  END IF;"""),
}
"""What each table's guard asks of the transaction that writes it: an accepted act of its own, with
the values written (the log is what the table projects)."""

HUELLA = """
CREATE FUNCTION convoca_huella(asunto text, texto text, html text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(encode(sha256(convert_to(asunto, 'UTF8')), 'hex')
                                  || encode(sha256(convert_to(texto, 'UTF8')), 'hex')
                                  || encode(sha256(convert_to(html, 'UTF8')), 'hex'), 'UTF8')), 'hex')
$$"""
"""A message's fingerprint, the same as notifications/outbox.py `fingerprint` computes."""


def upgrade() -> None:
    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('efectos', sa.JSON(), nullable=True))
    with op.batch_alter_table('mensaje', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auditoria_id', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(CABEZA)
    op.execute(ENCADENAR)
    op.execute(AUDITADO)
    op.execute(HUELLA)
    for table, (when, body) in GUARDAS.items():
        op.execute(f"""CREATE FUNCTION {table}_auditado() RETURNS trigger LANGUAGE plpgsql
                       SET search_path = public, pg_temp AS $$ BEGIN {body}
                       RETURN NEW; END $$""")
        op.execute(f"CREATE TRIGGER {table}_auditado BEFORE {when} ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {table}_auditado()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in GUARDAS:
            op.execute(f"DROP TRIGGER {table}_auditado ON {table}")
            op.execute(f"DROP FUNCTION {table}_auditado()")
        op.execute("DROP FUNCTION convoca_huella(text, text, text)")
        op.execute("DROP FUNCTION convoca_auditado(text[], text)")
        op.execute("DROP FUNCTION convoca_cabeza()")
        op.execute("""CREATE OR REPLACE FUNCTION auditoria_quien_cuando() RETURNS trigger LANGUAGE plpgsql AS $$
                      BEGIN NEW.login := session_user; NEW.registrado_en := transaction_timestamp();
                      RETURN NEW; END $$""")
    with op.batch_alter_table('mensaje', schema=None) as batch_op:
        batch_op.drop_column('auditoria_id')
    with op.batch_alter_table('auditoria', schema=None) as batch_op:
        batch_op.drop_column('efectos')
