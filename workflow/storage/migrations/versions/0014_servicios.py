"""servicios: en PostgreSQL una fila con el rol sistema solo se acepta con el nombre de un servicio y un
acto suyo (states/servicios.py), sin rectificar ni anular otra, y las del servicio de plazos solo
desde el login de un usuario con el rol servicio

Revision ID: 0014
Revises: 0013

Until now the chaining trigger asked of a `sistema` row only that its login be an active user's who
is not an auditor: an officer with psql could write any event under «vigilar», «calendario» or
«bandeja» and the log took it. The trigger now holds each such row to its service's declaration,
written into the function from the rule book at this migration (a later change of the declaration
comes with a migration of its own, as any change of what the database enforces does).
"""
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def _declared() -> tuple[str, str]:
    """The (service, event) pairs and the services whose rows are the service login's alone, as SQL."""
    from states.servicios import SERVICIOS

    def quoted(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    pairs = ", ".join(f"({quoted(s.nombre)}, {quoted(e)})" for s in SERVICIOS for e in s.eventos)
    solo = ", ".join(quoted(s.nombre) for s in SERVICIOS if s.solo_servicio) or "''"
    return pairs, solo


def encadenar(pairs: str, solo: str) -> str:
    return f"""
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
  IF NEW.rol = 'sistema' THEN
    IF (NEW.usuario, NEW.evento) NOT IN ({pairs}) THEN
      RAISE EXCEPTION 'convoca: % no registra % (las filas de cada servicio están declaradas)', NEW.usuario, NEW.evento;
    END IF;
    IF NEW.refiere IS NOT NULL OR coalesce(NEW.efectos::text, 'null') <> 'null'
       OR NEW.estado_origen IS DISTINCT FROM NEW.estado_destino THEN
      RAISE EXCEPTION 'convoca: una fila de % no mueve un caso, no rectifica ni anula otra', NEW.usuario;
    END IF;
  END IF;
  IF NOT (SELECT ensayo FROM instalacion WHERE id = 1) AND EXISTS (SELECT 1 FROM usuario) THEN
    SELECT * INTO quien FROM usuario WHERE usuario.login = session_user;
    IF NEW.rol = 'sistema' THEN
      IF quien.nombre IS NULL OR quien.rol = 'auditor' OR NOT quien.activo THEN
        RAISE EXCEPTION 'convoca: el login % no es de ningún usuario activo que actúe', session_user;
      END IF;
      IF NEW.usuario IN ({solo}) AND quien.rol IS DISTINCT FROM 'servicio' THEN
        RAISE EXCEPTION 'convoca: las filas de % son solo del servicio y el login % es de % (%)', NEW.usuario,
          session_user, quien.nombre, quien.rol;
      END IF;
    ELSIF NEW.aceptado AND (quien.nombre IS DISTINCT FROM NEW.usuario OR quien.rol IS DISTINCT FROM NEW.rol
                            OR NOT quien.activo) THEN
      RAISE EXCEPTION 'convoca: el login % no actúa como % con el rol %', session_user, NEW.usuario, NEW.rol;
    END IF;
  END IF;
  PERFORM set_config('convoca.cola', NEW.id || ' ' || NEW.hash, true);
  RETURN NEW;
END $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(encadenar(*_declared()))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("cabeza", Path(__file__).with_name("0012_cabeza_al_confirmar.py"))
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    op.execute(previous.ENCADENAR)
