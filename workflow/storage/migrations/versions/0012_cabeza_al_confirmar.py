"""cabeza al confirmar: en PostgreSQL la cabeza de la cadena se mueve una vez por transacción, al
confirmarla, y no una vez por fila

Revision ID: 0012
Revises: 0011

Until now the insert trigger of every audit row locked and updated the one head row. Updated
thousands of times in one transaction (a publication of a whole call), that row grew a chain of
versions which every later access walked: publishing took quadratic time. The head now stays as the
last commit left it; within a transaction the chain's tail is the last row after the head, which
can only be one of the transaction's own (the head's lock keeps every other writer out), and a
deferred trigger moves the head to the last row when the transaction commits. What a row must be to
be accepted (the next id, the previous hash, the server's clock, the login of the user it names) is
unchanged.
"""
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

COLA = """
CREATE FUNCTION convoca_cola() RETURNS TABLE (ultimo_id integer, ultimo_hash varchar, registrado_en timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  h auditoria_cabeza%ROWTYPE;
BEGIN
  SELECT * INTO h FROM auditoria_cabeza c WHERE c.id = 1 FOR UPDATE;
  IF EXISTS (SELECT 1 FROM auditoria a WHERE a.id = h.ultimo_id + 1 AND NOT a.xmin = pg_current_xact_id()::xid) THEN
    RAISE EXCEPTION 'convoca: la cabeza de la cadena (fila %) no coincide con su última fila', h.ultimo_id;
  END IF;
  RETURN QUERY SELECT a.id, a.hash, a.registrado_en FROM auditoria a WHERE a.id > h.ultimo_id
               ORDER BY a.id DESC LIMIT 1;
  IF NOT FOUND THEN
    RETURN QUERY SELECT h.ultimo_id, h.ultimo_hash, (SELECT a.registrado_en FROM auditoria a WHERE a.id = h.ultimo_id);
  END IF;
END $$"""
"""The chain's tail as this transaction sees it, with the head locked until it ends: the last row
this transaction appended, or the head when it appended none. A row after the head that is not the
transaction's own means the head was kept from moving: nothing more chains until an owner looks.
Each lookup is one probe of the primary key (the first row after the head, the last row), so the
thousandth row of a transaction costs what the first did."""

CABEZA = """
CREATE OR REPLACE FUNCTION convoca_cabeza() RETURNS TABLE (ultimo_id integer, ultimo_hash varchar, login name,
                                                             instante timestamptz)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.ultimo_id, t.ultimo_hash, session_user, clock_timestamp() FROM convoca_cola() t
$$"""
"""What the client hashes onto: the tail, with the server's login and clock."""

ENCADENAR = """
CREATE OR REPLACE FUNCTION auditoria_quien_cuando() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  t record;
  quien usuario%ROWTYPE;
BEGIN
  SELECT * INTO t FROM convoca_cola();
  IF NEW.id IS DISTINCT FROM t.ultimo_id + 1 OR NEW.hash_previo IS DISTINCT FROM t.ultimo_hash THEN
    RAISE EXCEPTION 'convoca: la fila % no sigue a la cabeza de la cadena (fila %)', NEW.id, t.ultimo_id;
  END IF;
  IF NEW.registrado_en IS NULL OR NEW.registrado_en > clock_timestamp()
     OR NEW.registrado_en < transaction_timestamp() OR NEW.registrado_en < t.registrado_en THEN
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
  PERFORM set_config('convoca.cola', NEW.id || ' ' || NEW.hash, true);
  RETURN NEW;
END $$"""
"""Every row chains onto the tail, at the server's clock, from the login of the user it names with
that user's role (a production database), exactly as before. It no longer moves the head: it notes,
for this transaction, the last row it let through."""

MOVER = """
CREATE FUNCTION auditoria_mueve_cabeza() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NEW.id = (SELECT max(a.id) FROM auditoria a) THEN  -- max(): one probe of the key, never a scan
    IF current_setting('convoca.cola', true) IS DISTINCT FROM NEW.id || ' ' || NEW.hash THEN
      RAISE EXCEPTION 'convoca: la fila % no pasó por la cadena de auditoría: no se guarda', NEW.id;
    END IF;
    UPDATE auditoria_cabeza SET filas = filas + (NEW.id - ultimo_id), ultimo_id = NEW.id, ultimo_hash = NEW.hash
     WHERE id = 1;
  END IF;
  RETURN NULL;
END $$"""
"""At commit, once per transaction: the head moves to the transaction's last row (the others pass),
if that row is the last one the chaining trigger let through. A row appended with the chaining
trigger dropped, or a note changed by hand, fails the whole transaction instead."""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(COLA)
    op.execute(CABEZA)
    op.execute(ENCADENAR)
    op.execute(MOVER)
    op.execute("CREATE CONSTRAINT TRIGGER auditoria_mueve_cabeza AFTER INSERT ON auditoria "
               "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION auditoria_mueve_cabeza()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("proyecciones", Path(__file__).with_name("0011_proyecciones.py"))
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    op.execute("DROP TRIGGER auditoria_mueve_cabeza ON auditoria")
    op.execute("DROP FUNCTION auditoria_mueve_cabeza()")
    op.execute(previous.ENCADENAR)
    op.execute("DROP FUNCTION convoca_cabeza()")
    op.execute(previous.CABEZA)
    op.execute("DROP FUNCTION convoca_cola()")
