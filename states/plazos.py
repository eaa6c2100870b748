"""What every rule book's deadlines are made of: a kind of deadline, a step of an escalation chain,
the book of deadlines a rule book declares, and the life of one row of the ledger (its states, and
what each operation does to it).

Each book declares its kinds (who owes them, which events open, close or move them, how their due
date is counted, what happens when one is missed) in its own folder; the engine applies operations
to the rows by this table alone (workflow/engine/ledger.py).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from states.context import Context

Due = Callable[[Context, "object", str | None], tuple[date, date] | None]
"""(ctx after the event, calendar, milestone) → (start, due), or None when it does not apply."""


@dataclass(frozen=True)
class DeadlineKind:
    tipo: str
    titulo: str
    fuente: str
    responsable: str
    cuenta: str  # calendario | habiles | fecha
    abre: tuple[str, ...]
    cierra: tuple[str, ...]
    consecuencia: str
    vence: Due
    mueve: tuple[str, ...] = ()
    anula: tuple[str, ...] = ()
    """Events after which the deadline no longer applies (voided, not fulfilled)."""
    cumple_si: Callable[[Context], bool] | None = None
    """When a closing event fulfils the deadline only under a condition (the coordinator attended)."""
    por_hito: bool = False
    escalamiento: bool = False
    derecho: bool = False
    """A right that lapses (to ask for an extension) rather than an obligation: no overdue notice."""
    que_hacer: str = ""
    """What the deadline asks of whoever owes it, as the notices say it."""
    recomendacion: Callable[[dict], str] | None = None
    """What the monitor recommends when it is missed, from the case's facts (P8)."""
    avisar: tuple[str, ...] = ("coordinador",)
    """Who its reminders and notices (AVISOS) go to: whoever must act, and whoever must attend."""
    notificacion: str | None = None
    """The notification (states/mensajes.py) the period runs from: it opens when that notification
    takes effect (`registrar_notificacion`), counted from the business day after (TUO art. 20.4,
    144.1); [policy] `calendario.plazos_desde = "acto"` counts it from the act that sends it."""
    tarea: bool = False
    """FONDECYT's own task (a notification still owed): shown by `plazos` and `vigilar`, never a
    reminder or an overdue notice to the entity."""


@dataclass(frozen=True)
class Paso:
    """A step of a book's escalation chain: the letter the service sends when a deadline that escalates is
    missed, and the reply period it gives."""

    mensaje: str
    detalle: str
    """What the log says; `{responder}` is the reply date when the step has a reply period."""
    dias_habiles: str | None
    """The call key (in [plazos]) with the reply period; None: the chain waits for the DE."""


# The life of one row of the ledger. An event of the case, a pass of `vigilar` or a change of the
# calendar never writes a row directly: it states operations, and one function (the engine's
# ledger.advance) applies them, by this table, to the case's rows in memory, in the database and
# in the replay of the log alone.
ESTADOS_PLAZO = ("pendiente", "vencido", "cumplido", "cumplido_tarde", "anulado")
ABIERTOS = ("pendiente", "vencido")
CADUCADO = "caducado"
"""How the agenda shows a right (to ask for an extension, `derecho`) past its date and not used: it
lapsed; nobody missed anything, so it is never «vencido» nor counted as «incumplido»."""
"""The rows still running: the agenda, the reminders and the rules that read the ledger see these."""


@dataclass(frozen=True)
class Operacion:
    """What one operation does to a row: from which row states, to which, and which columns it sets
    from the operation's own values (`abrir` makes the row)."""

    accion: str
    desde: tuple[str, ...]
    hacia: str | None
    """The row's new state; None: the operation's own `estado` (cerrar: cumplido or cumplido_tarde)."""
    escribe: tuple[str, ...]
    por: str
    """Who states it: an accepted event, the deadline service's pass, or a change of the calendar."""


PLAZO_VENCIDO, RECORDATORIO, MOVER_RESPUESTA = "plazo_vencido", "recordatorio", "mover_respuesta"
"""The deadline service's own operations: a deadline marked missed, a reminder recorded, a letter's
reply period moved (by a decree, or by the letter's delivery)."""
OPERACIONES: tuple[Operacion, ...] = (
    Operacion("abrir", (), "pendiente",
              ("tipo", "hito", "responsable", "cuenta", "desde", "vence", "abierto_por"), "evento"),
    Operacion("cerrar", ABIERTOS, None, ("cerrado_por", "cerrado_el"), "evento"),
    Operacion("anular", ABIERTOS, "anulado", ("motivo",), "evento"),
    Operacion("mover", ("pendiente",), "pendiente", ("vence",), "evento o calendario"),
    Operacion(PLAZO_VENCIDO, ("pendiente",), "vencido", ("motivo",), "vigilar"),
    Operacion(MOVER_RESPUESTA, ("vencido",), "vencido", ("escalamiento_vence",),
              "calendario, o el cargo de entrega de la carta"),
    Operacion(RECORDATORIO, ("pendiente",), "pendiente", (), "vigilar"),
    Operacion("corregir", ESTADOS_PLAZO, None, ("vence", "desde", "cerrado_por", "cerrado_el", "motivo", "escalamiento",
                                                "escalamiento_vence"), "un acto registrado tarde, rectificado o anulado"),
)
POR_ACCION = {o.accion: o for o in OPERACIONES}


def escalon(accion: str) -> Operacion:
    """The operation of a step of a book's escalation chain (`Paso.mensaje`): the deadline service
    sends the step's letter on a missed deadline, and counts its reply period."""
    return Operacion(accion, ("vencido",), "vencido", ("escalamiento", "escalamiento_vence"), "vigilar")


@dataclass(frozen=True)
class LibroDePlazos:
    """A rule book's deadlines, and how its law counts and escalates them."""

    tipos: tuple[DeadlineKind, ...]
    escalamiento: tuple[Paso, ...] = ()
    """The letters sent, in order, on a missed deadline that escalates."""
    hitos: str | None = None
    """The group of a case's facts whose keys are its milestones: a per-milestone deadline (`por_hito`)
    opens one row for each."""
    entrega: str | None = None
    """The event that records a letter's delivery at the domicile: its reply period counts from then."""
    notificar: str | None = None
    """The event by which a notification takes effect, when periods run from notifications."""
    salidas: frozenset[str] = frozenset()
    """The states that end a case: entering one voids what still runs."""
    responsables: tuple[str, ...] = ()
    del_rol: dict[str, str] = field(default_factory=dict)
    """The deadlines a unit's officer owes, by the officer's role (`plazos --mios`)."""
    recordatorio: str | None = None
    """The message kind that reminds whoever owes a deadline that it is due soon."""
    vencido: str | None = None
    """The message kind that says a deadline was missed."""
    prorroga: str | None = None
    """The message kind that says a decree (a suspension, a day declared non-working) moved a deadline."""
    abre: Callable[[DeadlineKind, str, Context], bool] = lambda kind, evento, ctx: evento in kind.abre
    """Whether an accepted event opens the deadline."""
    cuenta_desde: Callable[[DeadlineKind, str | None, date | None], str] = \
        lambda kind, abierto_por, desde: f"{abierto_por or '—'} del {desde.isoformat() if desde else '—'}"
    """What a deadline counts from, as the agenda says it."""
    desde_notificacion: Callable[[Context], bool] = lambda ctx: False
    """Whether the call counts periods from the notification's effect (rather than from the act)."""
    para: Callable[[DeadlineKind, str], tuple[str, ...]] | None = None
    """Who a message about a deadline goes to."""
    plazo_del_cargo: Callable[[Context], dict[str, Any] | None] | None = None
    """The deadline a letter's delivery (the `entrega` event) answers."""
    entregas: Callable[[dict[str, Any], str, str | None], list[date]] = lambda hechos, tipo, hito: []
    """The days the letters about a deadline were delivered at the domicile, from the case's facts."""

    @property
    def avisos(self) -> tuple[str, ...]:
        """The message kinds about a deadline (its context is the deadline's)."""
        return tuple(k for k in (self.recordatorio, self.vencido, self.prorroga) if k)

    def tipo(self, tipo: str) -> DeadlineKind:
        return next(k for k in self.tipos if k.tipo == tipo)

    @property
    def relevantes(self) -> frozenset[str]:
        """The events that open, close, move or void a deadline, deliver a letter or make a notification take effect."""
        return frozenset(name for k in self.tipos for name in (*k.abre, *k.cierra, *k.mueve, *k.anula)) | \
            {e for e in (self.entrega, self.notificar) if e}
