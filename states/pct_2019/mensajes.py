"""The messages convoca sends, as a table: who receives each kind, and why it is sent.

An event of the lifecycle names the kinds it queues (`Event.mensajes`); a deadline's notices and
the escalation chain of the Guía §3.3.2 name theirs in `states/plazos.py`. The engine, the preview
and the outbox read these declarations; each kind has a Jinja2 pair in `templates/` (checked when
the templates load), and a kind nobody declares cannot be sent.
"""
from __future__ import annotations

from states.mensajes import MONITOR, Mensaje, check

COORDINADOR, REPRESENTANTE = "coordinador", "representante"
PARTES = (COORDINADOR, REPRESENTANTE)
"""The parties of a case a message may go to: the groups of its facts with an e-mail."""


MENSAJES: tuple[Mensaje, ...] = (
    Mensaje("resultado", "Resultado de la convocatoria", (COORDINADOR,), "Bases §4.1.2.2, §4.2",
            citas=(("umbral", "Bases §4.1.2.1"), ("notificacion", "TUO Ley 27444 art. 20.4")), notifica=COORDINADOR),
    Mensaje("invitacion_firma", "Invitación a firmar el contrato", (REPRESENTANTE, COORDINADOR), "Bases §4.3",
            si_estado=("aprobada",), notifica=REPRESENTANTE, citas=(("notificacion", "TUO Ley 27444 art. 20.4, 144.1"),)),
    Mensaje("promocion", "Promoción de una accesitaria", (COORDINADOR, REPRESENTANTE), "Bases §4.3",
            notifica=REPRESENTANTE, citas=(("notificacion", "TUO Ley 27444 art. 20.4, 144.1"),)),
    Mensaje("observaciones_itf", "Observaciones al ITF del hito", (COORDINADOR, MONITOR), "Guía §3.3.2",
            notifica=COORDINADOR, citas=(("notificacion", "TUO Ley 27444 art. 20.4, 144.1"),)),
    Mensaje("observaciones_ifr", "Observaciones al IFR", (COORDINADOR, MONITOR), "Guía §3.3.2",
            notifica=COORDINADOR, citas=(("notificacion", "TUO Ley 27444 art. 20.4, 144.1"),)),
    Mensaje("induccion", "Convocatoria al taller de inducción", (COORDINADOR,), "Guía §3.2.1"),
    Mensaje("recordatorio", "Recordatorio de un plazo", (COORDINADOR,), "[policy] plazos.recordatorios_dias"),
    Mensaje("vencido", "Aviso de plazo vencido", (COORDINADOR, MONITOR), "[policy] aviso al vencer"),
    Mensaje("carta_simple", "Carta simple", (COORDINADOR, MONITOR), "Guía §3.3.2", carta="USM", notifica=COORDINADOR),
    Mensaje("carta_notarial", "Carta notarial", (REPRESENTANTE, COORDINADOR, MONITOR), "Guía §3.3.2; Contrato cl. 9, 12",
            carta="DE", notifica=REPRESENTANTE),
    Mensaje("propuesta_resolucion", "Propuesta de resolución del contrato", (MONITOR,), "Guía §3.3.2; Contrato cl. 9",
            carta="USM"),
    Mensaje("prorroga", "Prórroga de un plazo", (COORDINADOR, MONITOR),
            "TUO Ley 27444 art. 145; la norma que declara el día o la suspensión"),
    Mensaje("rectificacion", "Rectificación de un aviso ya enviado", (COORDINADOR,), "TUO Ley 27444 art. 212"),
)


check(MENSAJES, PARTES)
BY_KIND = {m.tipo: m for m in MENSAJES}
CARTAS = tuple(m.tipo for m in MENSAJES if m.carta)
NOTIFICACIONES = tuple(m.tipo for m in MENSAJES if m.notifica)
"""The messages with legal effect (the rule book's §10): each is a notification whose life (sent,
effective, or due by another channel) is recorded in the case (states/notificaciones.py)."""
FUENTE_DOMICILIO = "Contrato cl. 12"
"""Where the contract says its communications go: the domicile stated in it, or the one the entity
gave in writing since."""
"""The letters: printed, signed and delivered at the domicile of the contract (Contrato cl. 12)."""
