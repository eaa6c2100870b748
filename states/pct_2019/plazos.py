"""The deadlines (plazos) of the rule book, as a table: the signing period (PF) and P1–P12.

Each kind says who owes it, which event opens it, which closes it, which moves it, how its due
date is counted (the numbers are in the call file) and what happens when it is missed. The table
is checked on load: a kind without an opening event, a closing event or a consequence stops the
program, as does an event name the lifecycle does not know.
"""
from __future__ import annotations

from datetime import date, timedelta

from states import roles
from states.context import Context
from states.pct_2019.lifecycle import CICLO
from states.plazos import DeadlineKind, Due, LibroDePlazos, Paso

EE, MONITOR, UES, DE = "EE", "monitor", "UES", "DE"
RESPONSABLES = (EE, MONITOR, UES, DE)
"""Who owes a deadline: the executing entity, FONDECYT's monitor, the UES or the Dirección Ejecutiva."""
DEL_ROL = {roles.UES: UES, roles.DIRECCION: DE}
"""The deadlines a unit's officer owes (`plazos --mios`); a monitor's are those of the cases assigned."""


NOTIFICAR = "registrar_notificacion"
"""The act by which a notification takes effect: the acknowledgment, or the delivery at the domicile."""


def desde_notificacion(ctx: Context) -> bool:
    return ctx.call.calendario.plazos_desde == "notificacion"


def _notificada(ctx: Context, tipo: str, hito: str | None, acto: date | None) -> date | None:
    """Where a period that runs from a notification starts: the day the notification took effect, or
    ([policy] "acto") the day of the act that sent it."""
    from states.pct_2019.notificaciones import efectiva

    return efectiva(ctx, tipo, hito) if desde_notificacion(ctx) else acto


def cuenta_desde(kind: DeadlineKind, abierto_por: str | None, desde: date | None) -> str:
    """What a deadline counts from, as the agenda says it: the notification and the day it took
    effect, or the act that opened it."""
    cuando = desde.isoformat() if desde else "—"
    if abierto_por == NOTIFICAR and kind.notificacion:
        return f"notificación {kind.notificacion} efectiva el {cuando}"
    event = CICLO.event(abierto_por or "")
    return f"{event.nombre} del {cuando}" if event else cuando


def abre(kind: DeadlineKind, evento: str, ctx: Context) -> bool:
    """Whether an accepted event opens the deadline: one of its acts, or, for a period that runs
    from a notification, that notification taking effect."""
    if evento in kind.abre:
        return True
    return (evento == NOTIFICAR and kind.notificacion is not None and desde_notificacion(ctx)
            and ctx.datos.get("notificacion") == kind.notificacion)


def _por_confirmar(tipo: str) -> Due:
    """A notification not yet effective: by e-mail, the business days of the law to confirm it from the
    day after sending; without the addressee's authorisation, due the day it is sent (it must go to the
    domicile at once)."""
    def vence(ctx: Context, cal, hito: str | None) -> tuple[date, date] | None:
        from states.pct_2019.notificaciones import clave

        n = (ctx.get("notificaciones") or {}).get(clave(tipo, hito))
        if n is None or n.get("efectiva") or not desde_notificacion(ctx):
            return None
        enviada = date.fromisoformat(n["enviada"])
        if not n.get("correo_autorizado"):
            return enviada, enviada
        return enviada, cal.add_business_days(enviada, ctx.call.plazos.confirmacion_correo_dias_habiles)
    return vence


def _tarea(tipo_plazo: str, notificacion: str, titulo: str, responsable: str, actos: tuple[str, ...],
           conocida: str, por_hito: bool = False) -> DeadlineKind:
    """The notification task of `notificacion`; `conocida` is the addressee's act that shows they knew
    it (signing, lifting the observations), which makes the notification valid (TUO art. 27.2) and the
    task void."""
    return DeadlineKind(
        tipo_plazo, f"Notificación: {titulo}", "TUO Ley 27444 art. 20.4, 20.1.1", responsable, "habiles", actos,
        (NOTIFICAR,), "notificarla en el domicilio con cargo: sin acuse de recibo el plazo que corre desde ella no "
        "empieza", _por_confirmar(notificacion),
        cumple_si=lambda c: c.datos.get("notificacion") == notificacion, por_hito=por_hito, tarea=True, anula=(conocida,),
        que_hacer="obtener el acuse de recibo del correo o entregar la notificación en el domicilio, y registrarlo "
                  f"(registrar_notificacion, notificacion={notificacion}).", avisar=(MONITOR,))


def _cal(ctx: Context, cal, start: date | None, days: int) -> tuple[date, date] | None:
    """N calendar days counted from the business day after the act or the notification (TUO art.
    144.1): day one is that business day. [policy] `calendario.inicio_dias_calendario` = "dia_siguiente"
    keeps the old reading (day one is the next calendar day)."""
    if start is None:
        return None
    base = start
    if ctx.call.calendario.inicio_dias_calendario == "dia_habil_siguiente":
        base = cal.next_business_day(start + timedelta(days=1)) - timedelta(days=1)
    return start, cal.add_calendar_days(base, days, ctx.call.calendario.prorrogar_dias_calendario)


def _hab(ctx: Context, cal, start: date | None, days: int) -> tuple[date, date] | None:
    return None if start is None else (start, cal.add_business_days(start, days))


def _hito(ctx: Context, hito: str | None, key: str) -> date | None:
    return ctx.date(f"hitos.{hito}.{key}") if hito else None


def _fecha_hito(ctx: Context, cal, hito: str | None) -> tuple[date, date] | None:
    """Only a milestone still to be presented has a date to keep (an extension programs new ones)."""
    due = _hito(ctx, hito, "fecha")
    if due is None or ctx.get(f"hitos.{hito}.estado") not in ("programado", "ampliado"):
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


def _recomendacion_p8(hechos: dict) -> str:
    """Guía §3.3.2: the fianza is executed only where there is one (private entities)."""
    privada = (hechos.get("entidad") or {}).get("regimen") != "publica"
    return ("recomendación: " + ("ejecutar la carta fianza y " if privada else "")
            + "registrar a la entidad en RENOES (Guía §3.3.2)")


def _firma(ctx: Context, cal, hito: str | None) -> tuple[date, date] | None:
    """Bases §4.3: the selected entity (or the promoted accesitaria) signs within the period of
    FONDECYT's communication, in business days from it."""
    comunicado = ctx.date("promocion.fecha") or (ctx.date("resultado.fecha")
                                                 if ctx.get("resultado.resultado") == "aprobada" else None)
    return _hab(ctx, cal, _notificada(ctx, "invitacion_firma", None, comunicado), ctx.call.contrato.dias_habiles_para_firmar)


def _recomendacion_firma(hechos: dict) -> str:
    return ("recomendación: la Dirección puede registrar el desistimiento (desistir, causa no_firmo_en_plazo) "
            "y promover a la siguiente accesitaria en orden de mérito (Bases §4.3)")


def _p12(ctx: Context, cal, hito: str | None) -> tuple[date, date] | None:
    if ctx.get("entidad.regimen") == "publica" or ctx.date("fianza.vencimiento") is None:
        return None
    return ctx.date("fianza.emision"), ctx.date("fianza.vencimiento")


PLAZOS: tuple[DeadlineKind, ...] = (
    DeadlineKind("PF", "Firma del contrato", "Bases §4.3", EE, "habiles",
                 ("publicar", "promover"), ("firmar_contrato",),
                 "la Dirección puede dar por desistida la propuesta y promover a la siguiente accesitaria",
                 _firma, que_hacer="el representante legal y el coordinador firman el contrato con FONDECYT.",
                 recomendacion=_recomendacion_firma, avisar=("representante", "coordinador"),
                 notificacion="invitacion_firma"),
    _tarea("NF", "invitacion_firma", "invitación a firmar el contrato", UES, ("publicar", "promover"), "firmar_contrato"),
    DeadlineKind("P1", "Taller de inducción (lo convoca FONDECYT con INDECOPI)", "Guía §3.2.1", MONITOR, "calendario",
                 ("firmar_contrato",), ("registrar_induccion",),
                 "FONDECYT debe convocar el taller; el coordinador debe asistir",
                 lambda c, cal, h: _cal(c, cal, c.date("contrato.fecha"), c.call.plazos.induccion_dias),
                 cumple_si=lambda c: c.datos.get("asistio_coordinador") is True,
                 que_hacer="FONDECYT convoca el taller con INDECOPI; el coordinador asiste y el monitor registra "
                           "su asistencia.", avisar=("monitor", "coordinador")),
    DeadlineKind("P2", "Reunión de negociación", "Guía §3.2.2", MONITOR, "calendario",
                 ("desembolsar",), ("registrar_negociacion",), "el Plan Operativo no puede aprobarse",
                 lambda c, cal, h: _cal(c, cal, c.date("ejecucion.inicio"), c.call.plazos.negociacion_dias),
                 cumple_si=lambda c: c.datos.get("asistio_coordinador") is True,
                 que_hacer="el monitor convoca la reunión de negociación del Plan Operativo; el coordinador asiste.",
                 avisar=("monitor", "coordinador")),
    DeadlineKind("P3", "Presentación del ITF del hito", "Guía §3.3.2", EE, "fecha",
                 ("aprobar_po", "aprobar_ampliacion"), ("presentar_itf",),
                 "aviso de vencimiento al coordinador y al monitor",
                 _fecha_hito, mueve=("ampliar_hito", "aprobar_ampliacion"), por_hito=True,
                 que_hacer="presentar el ITF del hito en el SIG."),
    DeadlineKind("P4", "Levantamiento de observaciones del ITF", "Guía §3.3.2", EE, "calendario",
                 ("observar_itf",), ("levantar_observaciones",),
                 "carta simple, luego carta notarial, luego propuesta de resolución del contrato",
                 lambda c, cal, h: _cal(c, cal, _notificada(c, "observaciones_itf", h, _hito(c, h, "observado")),
                                        c.call.plazos.levantar_itf_dias),
                 por_hito=True, escalamiento=True, notificacion="observaciones_itf",
                 que_hacer="levantar en el SIG las observaciones notificadas al ITF."),
    _tarea("N4", "observaciones_itf", "observaciones al ITF", MONITOR, ("observar_itf",), "levantar_observaciones",
           por_hito=True),
    DeadlineKind("P5", "Entrega del ITF físico firmado", "Guía §3.3.2", EE, "habiles",
                 ("aprobar_itf",), ("recibir_itf_fisico",),
                 "carta simple, luego carta notarial, luego propuesta de resolución del contrato",
                 lambda c, cal, h: _hab(c, cal, _hito(c, h, "aprobado"), c.call.plazos.fisico_itf_dias_habiles),
                 por_hito=True, escalamiento=True,
                 que_hacer="entregar el ITF impreso y firmado en la mesa de partes de FONDECYT."),
    DeadlineKind("P6", "Solicitud de ampliación del hito", "Guía §3.4", EE, "fecha",
                 ("aprobar_po", "ampliar_hito", "aprobar_ampliacion"), ("ampliar_hito",),
                 "caduca el derecho a ampliar el hito",
                 _p6, mueve=("aprobar_ampliacion",), anula=("presentar_itf",), por_hito=True, derecho=True,
                 que_hacer="si necesita más tiempo para el hito, solicitar su ampliación antes de esa fecha."),
    DeadlineKind("P7", "Solicitud de ampliación del proyecto", "Guía §3.6", EE, "fecha",
                 ("desembolsar", "aprobar_ampliacion"), ("solicitar_ampliacion",),
                 "caduca el derecho a solicitar la ampliación del proyecto", _p7, anula=("terminar_ejecucion",),
                 derecho=True,
                 que_hacer="si el proyecto necesita ampliación, solicitarla con justificación a más tardar en esa fecha."),
    DeadlineKind("P8", "Presentación del IFR", "Guía §3.3.2", EE, "calendario",
                 ("terminar_ejecucion",), ("presentar_ifr",),
                 "recomendar la ejecución de la carta fianza (entidad privada) y el registro en RENOES",
                 lambda c, cal, h: _cal(c, cal, c.date("ejecucion.fin"), c.call.plazos.ifr_dias),
                 que_hacer="presentar el Informe Final de Resultados en el SIG.", recomendacion=_recomendacion_p8),
    DeadlineKind("P9", "Levantamiento de observaciones del IFR", "Guía §3.3.2", EE, "calendario",
                 ("observar_ifr",), ("levantar_observaciones_ifr",), "aviso de vencimiento al coordinador y al monitor",
                 lambda c, cal, h: _cal(c, cal, _notificada(c, "observaciones_ifr", None, c.date("ifr.observado")),
                                        c.call.plazos.levantar_ifr_dias),
                 que_hacer="levantar en el SIG las observaciones notificadas al IFR.", notificacion="observaciones_ifr"),
    _tarea("N9", "observaciones_ifr", "observaciones al IFR", MONITOR, ("observar_ifr",), "levantar_observaciones_ifr"),
    DeadlineKind("P10", "Entrega del IFR físico firmado", "Guía §3.3.2", EE, "habiles",
                 ("aprobar_ifr",), ("recibir_ifr_fisico",), "aviso de vencimiento al coordinador y al monitor",
                 lambda c, cal, h: _hab(c, cal, c.date("ifr.aprobado"), c.call.plazos.fisico_ifr_dias_habiles),
                 que_hacer="entregar el IFR impreso y firmado en la mesa de partes de FONDECYT."),
    DeadlineKind("P11", "Fin del periodo de ejecución", "Bases §2.3.1", EE, "fecha",
                 ("desembolsar",), ("terminar_ejecucion",), "el monitor debe registrar el fin de la ejecución",
                 lambda c, cal, h: (c.date("ejecucion.inicio"), c.date("ejecucion.fin")), mueve=("aprobar_ampliacion",),
                 que_hacer="el monitor debe registrar el fin de la ejecución (terminar_ejecucion).",
                 avisar=("monitor",)),
    DeadlineKind("P12", "Vigencia de la carta fianza", "Contrato cl. 11", EE, "fecha",
                 ("desembolsar",), ("cerrar",), "ejecutar la carta fianza si no se renueva antes de vencer",
                 _p12, mueve=("registrar_fianza",),
                 que_hacer="renovar la carta fianza antes de su vencimiento y registrarla.",
                 avisar=("representante", "coordinador")),
)

SALIDAS = {"resuelta", "descalificada", "desistida", "cerrada"}

ESCALAMIENTO: tuple[Paso, ...] = (
    Paso("carta_simple", "carta simple: responder hasta el {responder}", "carta_simple_dias_habiles"),
    Paso("carta_notarial", "carta notarial al representante legal: responder hasta el {responder}",
         "carta_notarial_dias_habiles"),
    Paso("propuesta_resolucion", "propuesta de resolución del contrato: espera la decisión de la Dirección Ejecutiva",
         None),
)
"""Guía §3.3.2: carta simple → carta notarial → the DE resolves the contract. The system never
resolves a contract itself: the last step proposes it and waits."""
ENTREGA = "registrar_cargo"
"""The event that records a letter's delivery at the domicile: its reply period counts from that day
(Contrato cl. 12; TUO art. 144.1), not from the sending."""


AVISOS = ("recordatorio", "vencido", "prorroga")
"""The notices about a deadline: reminders before it is due, a notice when it is missed, and one
when a decree (a suspension, a day declared non-working) moves it."""


def para(kind: DeadlineKind, mensaje: str) -> tuple[str, ...]:
    """Who a message about a deadline goes to: its declared recipients and, for the notices, also
    whoever the deadline itself names (the monitor who must convene P1, say)."""
    from states.pct_2019.mensajes import BY_KIND

    declarados = BY_KIND[mensaje].para
    return tuple(dict.fromkeys((*kind.avisar, *declarados))) if mensaje in AVISOS else declarados


def _plazo_del_cargo(ctx: Context):
    from states.pct_2019.rules.contrato import plazo_del_cargo

    return plazo_del_cargo(ctx)


def _entregas(hechos: dict, tipo: str, hito: str | None) -> list[date]:
    """The deliveries of the letters about a deadline (registrar_cargo), as the case recorded them."""
    clave = f"{tipo}{'/' + hito if hito else ''}"
    return [date.fromisoformat(c["fecha"]) for c in (hechos.get("cargos") or {}).values() if c.get("plazo") == clave]


LIBRO = LibroDePlazos(
    tipos=PLAZOS, escalamiento=ESCALAMIENTO, hitos="hitos", entrega=ENTREGA, notificar=NOTIFICAR, salidas=frozenset(SALIDAS),
    responsables=RESPONSABLES, del_rol=DEL_ROL, recordatorio="recordatorio", vencido="vencido", prorroga="prorroga",
    abre=abre, cuenta_desde=cuenta_desde,
    desde_notificacion=desde_notificacion, para=para, plazo_del_cargo=_plazo_del_cargo, entregas=_entregas)
"""The book of deadlines of E062-2019-01, as the engine reads it (states/plazos.py)."""
BY_TYPE = {k.tipo: k for k in PLAZOS}
