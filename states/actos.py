"""The acts outside a case's lifecycle, as a table: who may load a call, add to the calendar,
import proposals, manage users or change a setting of the installation, and on what authority.

Each act is logged in the same chain as the cases' events, under its name here; a refusal too.
Checked on load: every role is one of the lifecycle's, every name unique.
"""
from __future__ import annotations

from dataclasses import dataclass

from states.definition import DefinitionError
from states.roles import ACTUAN, ADMIN, DIRECCION, MONITOR, ROLES, UES


@dataclass(frozen=True)
class Acto:
    nombre: str
    titulo: str
    roles: tuple[str, ...]
    fuente: str
    filas: tuple[str, ...] = ()
    """Other rows of the log the act writes under names of their own (the holidays of a call)."""


ACTOS: tuple[Acto, ...] = (
    Acto("cargar_convocatoria", "Cargar o recargar el archivo de la convocatoria", (ADMIN, DIRECCION),
         "[policy] las bases las aprueba la Dirección Ejecutiva (RDE); el admin las carga",
         filas=("guardar_feriados",)),
    Acto("agregar_dia_no_laborable", "Agregar un día no laborable o una suspensión de plazos", (ADMIN, DIRECCION),
         "TUO Ley 27444 art. 145; el decreto que lo declara"),
    Acto("postular", "Registrar las postulaciones recibidas (convoca importar)", (UES, ADMIN),
         "[policy] cada postulación se registra como llegó; el libro de reglas de su convocatoria dice sus defectos "
         "(`reglas_postular`)"),
    Acto("agregar_usuario", "Agregar un usuario", (ADMIN,), "[policy] la administración de usuarios"),
    Acto("desactivar_usuario", "Desactivar un usuario", (ADMIN,), "[policy] la administración de usuarios"),
    Acto("reactivar_usuario", "Reactivar un usuario", (ADMIN,), "[policy] la administración de usuarios"),
    Acto("cambiar_rol", "Cambiar el rol de un usuario", (ADMIN,), "[policy] la administración de usuarios"),
    Acto("cambiar_correo", "Cambiar el correo de un usuario", (ADMIN,), "[policy] la administración de usuarios"),
    Acto("anular", "Anular un acto de oficio: deja de tener efecto", (DIRECCION,), "TUO Ley 27444 art. 213"),
    Acto("fijar_ajuste", "Cambiar un ajuste de la instalación", (ADMIN,), "[policy] los ajustes de la instalación"),
    Acto("retirar_mensaje", "Retirar de la bandeja un mensaje aún no enviado, con su motivo", (MONITOR, UES, DIRECCION, ADMIN),
         "[policy] la bandeja de salida: un aviso que ya no corresponde no sale, y queda por qué"),
    Acto("reintentar_mensaje", "Devolver a la bandeja un mensaje fallido, para el próximo envío",
         (MONITOR, UES, DIRECCION, ADMIN),
         "[policy] la bandeja de salida: un aviso que no llegó se intenta de nuevo, y queda quién lo pidió"),
    Acto("corregir_reloj", "Reconocer que el reloj de la máquina estuvo adelantado: el registro sigue desde la hora real",
         (ADMIN,), "[policy] el registro no retrocede en el tiempo; solo un admin, con su nombre, reconoce en él un "
         "reloj que estuvo adelantado (SQLite, donde la hora es la de la máquina)"),
    Acto("guardar_cofirma", "Guardar el punto de control que un testigo (auditor) cofirmó", (ADMIN, DIRECCION),
         "[policy] la instalación guarda las cofirmas de sus testigos, y las entrega con el registro exportado"),
    Acto("aplicar_lote", "Aplicar un archivo de eventos (convoca lote)", ACTUAN,
         "[policy] un archivo se aplica entero o nada; cada fila se juzga por su propio evento"),
)


ADMINISTRA = ADMIN
"""The role that manages users: the first user of a database holds it, and the last active one
keeps it (nobody could add an admin again)."""
ASIGNADO = MONITOR
"""The role a case is assigned to (`asignar_monitor`): its MP, who alone moves the case."""
ASIGNAR = "asignar_monitor"
"""The event by which a case gets its monitor: every book declares it (with its own rules)."""


def check(actos: tuple[Acto, ...]) -> None:
    problems = [f"{a.nombre}: rol desconocido '{r}'" for a in actos for r in a.roles if r not in ROLES]
    problems += [f"{a.nombre}: sin roles" for a in actos if not a.roles]
    problems += [f"{a.nombre}: sin fuente" for a in actos if not a.fuente]
    nombres = [a.nombre for a in actos]
    problems += [f"{n}: declarado dos veces" for n in set(nombres) if nombres.count(n) > 1]
    if problems:
        raise DefinitionError("actos inválidos:\n  " + "\n  ".join(problems))


check(ACTOS)
ACTO = {a.nombre: a for a in ACTOS}
POR_FILA = {**{f: a for a in ACTOS for f in a.filas}, **ACTO}
"""The act each row name of the log belongs to."""
