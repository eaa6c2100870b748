"""The deadlines (plazos) P1–P12 of the rule book, as a table.

Each kind says who owes it, which event opens it, which closes it, which moves it, how its due
date is counted (the numbers are in the call file) and what happens when it is missed. The table
is checked on load: a kind without an opening event, a closing event or a consequence stops the
program, as does an event name the lifecycle does not know.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from states.context import Context
from states.definition import DefinitionError
from states.lifecycle import CICLO

EE, MONITOR, UES, DE = "EE", "monitor", "UES", "DE"
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


def _cal(ctx: Context, cal, start: date | None, days: int) -> tuple[date, date] | None:
    if start is None:
        return None
    return start, cal.add_calendar_days(start, days, ctx.call.calendario.prorrogar_dias_calendario)


def _hab(ctx: Context, cal, start: date | None, days: int) -> tuple[date, date] | None:
    return None if start is None else (start, cal.add_business_days(start, days))


def _hito(ctx: Context, hito: str | None, key: str) -> date | None:
    return ctx.date(f"hitos.{hito}.{key}") if hito else None


def _fecha_hito(ctx: Context, cal, hito: str | None) -> tuple[date, date] | None:
    due = _hito(ctx, hito, "fecha")
    if due is None:
        return None
    return ctx.date("po.aprobado") or ctx.fecha, cal.next_business_day(due) \
        if ctx.call.calendario.prorrogar_dias_calendario else due


def _p6(ctx: Context, cal, hito: str | None) -> tuple[date, date] | None:
    if hito is None or str(int(hito) + 1) not in (ctx.get("hitos") or {}):
        return None  # the final milestone admits no extension
    return _fecha_hito(ctx, cal, hito)


def _p7(ctx: Context, cal, hito: str | None) -> tuple[date, date] | None:
    fin = ctx.date("ejecucion.fin")
    return None if fin is None else (ctx.date("ejecucion.inicio"),
                                      fin - timedelta(days=ctx.call.seguimiento.dias_minimos_ampliacion))


def _p12(ctx: Context, cal, hito: str | None) -> tuple[date, date] | None:
    if ctx.get("entidad.regimen") == "publica" or ctx.date("fianza.vencimiento") is None:
        return None
    return ctx.date("fianza.emision"), ctx.date("fianza.vencimiento")


PLAZOS: tuple[DeadlineKind, ...] = (
    DeadlineKind("P1", "Asistencia al taller de inducción", "Guía §3.2.1", EE, "calendario",
                 ("firmar_contrato",), ("registrar_induccion",), "informar al monitor; el coordinador debe asistir",
                 lambda c, cal, h: _cal(c, cal, c.date("contrato.fecha"), c.call.plazos.induccion_dias),
                 cumple_si=lambda c: c.datos.get("asistio_coordinador") is True),
    DeadlineKind("P2", "Reunión de negociación", "Guía §3.2.2", MONITOR, "calendario",
                 ("desembolsar",), ("registrar_negociacion",), "el Plan Operativo no puede aprobarse",
                 lambda c, cal, h: _cal(c, cal, c.date("ejecucion.inicio"), c.call.plazos.negociacion_dias),
                 cumple_si=lambda c: c.datos.get("asistio_coordinador") is True),
    DeadlineKind("P3", "Presentación del ITF del hito", "Guía §3.3.2", EE, "fecha",
                 ("aprobar_po",), ("presentar_itf",), "aviso de vencimiento al coordinador y al monitor",
                 _fecha_hito, mueve=("ampliar_hito", "aprobar_ampliacion"), por_hito=True),
    DeadlineKind("P4", "Levantamiento de observaciones del ITF", "Guía §3.3.2", EE, "calendario",
                 ("observar_itf",), ("levantar_observaciones",),
                 "carta simple, luego carta notarial, luego propuesta de resolución del contrato",
                 lambda c, cal, h: _cal(c, cal, _hito(c, h, "notificado"), c.call.plazos.levantar_itf_dias),
                 por_hito=True, escalamiento=True),
    DeadlineKind("P5", "Entrega del ITF físico firmado", "Guía §3.3.2", EE, "habiles",
                 ("aprobar_itf",), ("recibir_itf_fisico",),
                 "carta simple, luego carta notarial, luego propuesta de resolución del contrato",
                 lambda c, cal, h: _hab(c, cal, _hito(c, h, "aprobado"), c.call.plazos.fisico_itf_dias_habiles),
                 por_hito=True, escalamiento=True),
    DeadlineKind("P6", "Solicitud de ampliación del hito", "Guía §3.4", EE, "fecha",
                 ("aprobar_po", "ampliar_hito"), ("ampliar_hito",), "caduca el derecho a ampliar el hito",
                 _p6, mueve=("aprobar_ampliacion",), anula=("presentar_itf",), por_hito=True, derecho=True),
    DeadlineKind("P7", "Solicitud de ampliación del proyecto", "Guía §3.6", EE, "fecha",
                 ("desembolsar", "aprobar_ampliacion"), ("solicitar_ampliacion",),
                 "caduca el derecho a solicitar la ampliación del proyecto", _p7, anula=("terminar_ejecucion",),
                 derecho=True),
    DeadlineKind("P8", "Presentación del IFR", "Guía §3.3.2", EE, "calendario",
                 ("terminar_ejecucion",), ("presentar_ifr",),
                 "recomendar la ejecución de la carta fianza (entidad privada) y el registro en RENOES",
                 lambda c, cal, h: _cal(c, cal, c.date("ejecucion.fin"), c.call.plazos.ifr_dias)),
    DeadlineKind("P9", "Levantamiento de observaciones del IFR", "Guía §3.3.2", EE, "calendario",
                 ("observar_ifr",), ("levantar_observaciones_ifr",), "aviso de vencimiento al coordinador y al monitor",
                 lambda c, cal, h: _cal(c, cal, c.date("ifr.notificado"), c.call.plazos.levantar_ifr_dias)),
    DeadlineKind("P10", "Entrega del IFR físico firmado", "Guía §3.3.2", EE, "habiles",
                 ("aprobar_ifr",), ("recibir_ifr_fisico",), "aviso de vencimiento al coordinador y al monitor",
                 lambda c, cal, h: _hab(c, cal, c.date("ifr.aprobado"), c.call.plazos.fisico_ifr_dias_habiles)),
    DeadlineKind("P11", "Fin del periodo de ejecución", "Bases §2.3.1", EE, "fecha",
                 ("desembolsar",), ("terminar_ejecucion",), "el monitor debe registrar el fin de la ejecución",
                 lambda c, cal, h: (c.date("ejecucion.inicio"), c.date("ejecucion.fin")), mueve=("aprobar_ampliacion",)),
    DeadlineKind("P12", "Vigencia de la carta fianza", "Contrato cl. 11", EE, "fecha",
                 ("desembolsar",), ("cerrar",), "ejecutar la carta fianza si no se renueva antes de vencer",
                 _p12, mueve=("registrar_fianza",)),
)

SALIDAS = {"resuelta", "descalificada", "desistida", "cerrada"}


def check(kinds: tuple[DeadlineKind, ...]) -> None:
    problems = []
    for k in kinds:
        if not k.abre:
            problems.append(f"{k.tipo}: sin evento que lo abra")
        if not k.cierra:
            problems.append(f"{k.tipo}: sin evento que lo cierre")
        if not k.consecuencia:
            problems.append(f"{k.tipo}: sin consecuencia al vencer")
        for name in (*k.abre, *k.cierra, *k.mueve, *k.anula):
            if CICLO.event(name) is None:
                problems.append(f"{k.tipo}: evento desconocido '{name}'")
    if problems:
        raise DefinitionError("plazos inválidos:\n  " + "\n  ".join(problems))


check(PLAZOS)
BY_TYPE = {k.tipo: k for k in PLAZOS}
