"""What a message of any rule book is: its kind, whom it goes to, its source, whether it is a letter
on paper or a notification with legal effect, and the file it carries. Each book declares its
messages (the templates of each kind are in `templates/`).

Whom a message goes to is a party of the case (a group of its facts with an `email`: the coordinator,
the legal representative…) or one of the installation's roles (the case's monitor, the auditors, the
executive direction).
"""
from __future__ import annotations

from dataclasses import dataclass

from states.definition import DefinitionError

MONITOR, AUDITOR, DIRECCION = "monitor", "auditor", "direccion"
RECTIFICACION = "rectificacion"
"""The notice to the recipients of a message already sent that a rectified act makes wrong: every
book declares it (with its law's source)."""
ROLES_DESTINO = (MONITOR, AUDITOR, DIRECCION)
"""The recipients that are users of the installation, not parties of a case."""


@dataclass(frozen=True)
class Mensaje:
    tipo: str
    titulo: str
    para: tuple[str, ...]
    """Whose address the message goes to: the case's coordinator or legal representative, its monitor."""
    fuente: str
    si_estado: tuple[str, ...] = ()
    """When an event sends it only if the case ends in one of these states (empty: always)."""
    citas: tuple[tuple[str, str], ...] = ()
    """Further sources the message cites by name (`{{ citas.umbral }}` in its templates): the
    templates take every citation from here, never write one."""
    carta: str | None = None
    """A letter that also exists on paper: the unit that signs it (its number says so)."""
    notifica: str | None = None
    """A notification with legal effect (TUO Ley 27444 art. 20): the addressee it notifies, whose
    express authorisation makes the e-mail valid. Reminders, notices and digests have none: they
    inform, they start nothing."""
    adjunto: str | None = None
    """The type of the file it carries (a report in PDF), if it carries one: no other kind does."""
    plantillas: str = ""
    """The folder of `templates/` its pair of templates lives in («ande_bpd_2025/»: a book's own
    wording); empty: `templates/` itself."""


def check(mensajes: tuple[Mensaje, ...], partes: tuple[str, ...]) -> None:
    problems = [f"{m.tipo}: destinatario desconocido '{p}'" for m in mensajes for p in m.para
                if p not in (*partes, *ROLES_DESTINO)]
    problems += [f"{m.tipo}: sin destinatarios" for m in mensajes if not m.para]
    problems += [f"{m.tipo}: notifica a '{m.notifica}', que no es uno de sus destinatarios" for m in mensajes
                 if m.notifica and m.notifica not in m.para]
    tipos = [m.tipo for m in mensajes]
    problems += [f"{t}: declarado dos veces" for t in set(tipos) if tipos.count(t) > 1]
    if problems:
        raise DefinitionError("mensajes inválidos:\n  " + "\n  ".join(problems))


RESUMEN, SELLO, CARTERA = "resumen", "sello", "cartera"
INSTALACION: tuple[Mensaje, ...] = (
    Mensaje(RESUMEN, "Resumen diario del monitor", (MONITOR,), "ajuste de la instalación hora_resumen"),
    Mensaje(SELLO, "Sello mensual del registro de auditoría", (AUDITOR,),
            "[policy] cada mes, a los usuarios con rol auditor, con la hora del resumen"),
    Mensaje(CARTERA, "Informe mensual de cartera", (DIRECCION, AUDITOR),
            "ajuste de la instalación dia_informe: el informe al último día del mes anterior, en PDF adjunto",
            adjunto="application/pdf"),
)
"""The installation's own messages, of no call's book: the monitor's digest, the auditors' monthly
seal, the monthly portfolio report."""
check(INSTALACION, ())
