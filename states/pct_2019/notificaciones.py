"""Notifications with legal effect (the rule book's §10): their life, recorded in the case.

Sent: an event that queues a notification (states/mensajes.py `notifica`) records it under
`notificaciones.<clave>` with its day, the addressee it notifies and whether that addressee had
expressly authorised e-mail by then. The fold does it, so the replay of the log recomputes it.
Effective: `registrar_notificacion` records the day and the evidence — the acknowledgment of the
e-mail (valid only when authorised), or the delivery record at the domicile. The periods that run
from a notification (states/plazos.py `notificacion`) open then, counted from the business day after;
until then the notification task (N…) of the ledger says it is owed, and by which channel.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from states.context import Context
from states.definition import Event, Field, Rule
from states.pct_2019.mensajes import BY_KIND, CARTAS, COORDINADOR, NOTIFICACIONES, REPRESENTANTE

FUENTE = "TUO Ley 27444 art. 20.4"
FUENTE_OTRO_MEDIO = "TUO Ley 27444 art. 20.1.1"
CORREO, DOMICILIO = "correo", "domicilio"
MEDIOS = (CORREO, DOMICILIO)
REGISTRADAS = tuple(t for t in NOTIFICACIONES if t not in CARTAS)
"""The notifications `registrar_notificacion` takes; a letter's delivery is its cargo (registrar_cargo)."""
NOTIFICADOS = (COORDINADOR, REPRESENTANTE)
DESDE_PUBLICACION = ("aprobada", "accesitaria", "desaprobada", "contratada", "en_ejecucion", "hitos", "ifr", "cerrada",
                     "resuelta")
"""Where a notification can be owed: from the result on, the end of a project included (the result of
a proposal not selected is notified too); a proposal withdrawn or disqualified is owed none."""


def clave(tipo: str, hito: object = None) -> str:
    """The notification's name in the case: `observaciones_itf/2` for milestone 2."""
    return f"{tipo}/{hito}" if hito not in (None, "") else tipo


def autorizado(ctx: Context, quien: str) -> bool:
    """The addressee had expressly authorised e-mail on or before the day of the act."""
    desde = ctx.date(f"{quien}.correo_autorizado")
    return desde is not None and desde <= ctx.fecha


def sent(event: Event, estado: str, ctx: Context) -> dict[str, Any]:
    """The notifications an accepted event sends, as facts: a new one replaces an earlier round of the
    same notification (the ITF observed again), which starts unconfirmed."""
    out = {}
    for tipo in event.mensajes:
        m = BY_KIND[tipo]
        if m.notifica and (not m.si_estado or estado in m.si_estado):
            hito = ctx.datos.get("hito")
            out[clave(tipo, hito)] = {"tipo": tipo, "hito": None if hito is None else str(hito),
                                      "enviada": ctx.fecha.isoformat(), "para": m.notifica,
                                      "correo_autorizado": autorizado(ctx, m.notifica),
                                      "efectiva": None, "medio": None, "evidencia": None}
    return {"notificaciones": out} if out else {}


def de(ctx: Context) -> dict[str, Any] | None:
    """The notification an act names (`--dato notificacion=… [--dato hito=N]`), as the case holds it."""
    return (ctx.get("notificaciones") or {}).get(clave(ctx.datos.get("notificacion"), ctx.datos.get("hito")))


def efectiva(ctx: Context, tipo: str, hito: object = None) -> date | None:
    """The day a notification took effect, if it has."""
    return ctx.date(f"notificaciones.{clave(tipo, hito)}.efectiva")


def _enviada(ctx: Context) -> str | None:
    if de(ctx) is not None:
        return None
    enviadas = ", ".join(sorted(ctx.get("notificaciones") or {})) or "ninguna"
    return (f"el caso no tiene la notificación {clave(ctx.datos.get('notificacion'), ctx.datos.get('hito'))} "
            f"(notificaciones enviadas: {enviadas}; vea `convoca notificaciones --caso {ctx.codigo}`)")


def _sin_efecto_previo(ctx: Context) -> str | None:
    n = de(ctx)
    if n and n.get("efectiva"):
        return f"la notificación ya surtió efecto el {n['efectiva']} ({n['medio']}: {n['evidencia']})"
    return None


def _correo_autorizado(ctx: Context) -> str | None:
    n = de(ctx)
    if n and ctx.datos.get("medio") == CORREO and not n.get("correo_autorizado"):
        return (f"el {n['para']} no había autorizado expresamente la notificación por correo electrónico cuando se "
                f"envió ({n['enviada']}): ese correo no notifica; notifique en el domicilio ({FUENTE_OTRO_MEDIO}) y "
                "registre su cargo con --dato medio=domicilio")
    return None


def _no_antes_del_envio(ctx: Context) -> str | None:
    n = de(ctx)
    if n and ctx.fecha < date.fromisoformat(n["enviada"]):
        return f"fecha {ctx.fecha.isoformat()} anterior al envío de la notificación ({n['enviada']})"
    return None


CAMPOS: tuple[Field, ...] = (
    Field("notificacion", "opcion", "la notificación (vea `convoca notificaciones`)", opciones=REGISTRADAS),
    Field("hito", "entero", "número del hito (observaciones_itf)", requerido=False),
    Field("medio", "opcion", "correo: acuse de recibo del destinatario o de la plataforma; domicilio: entrega "
          "en el domicilio con cargo", opciones=MEDIOS),
    Field("evidencia", "texto", "el acuse (su Message-ID o su referencia) o el número del cargo de entrega"),
)
REGLAS: tuple[Rule, ...] = (
    Rule(FUENTE, "la notificación fue enviada en el caso", _enviada, sobre_datos=True),
    Rule(FUENTE, "una notificación surte efecto una sola vez", _sin_efecto_previo, sobre_datos=True),
    Rule(FUENTE, "el correo notifica solo a quien autorizó expresamente ese medio", _correo_autorizado,
         sobre_datos=True),
    Rule(FUENTE, "la recepción no es anterior al envío", _no_antes_del_envio, sobre_datos=True),
)


def registrada(ctx: Context) -> dict[str, Any]:
    """The notification takes effect on the act's date, with its channel and evidence."""
    return {"notificaciones": {clave(ctx.datos["notificacion"], ctx.datos.get("hito")): {
        "efectiva": ctx.fecha.isoformat(), "medio": ctx.datos["medio"], "evidencia": ctx.datos["evidencia"]}}}


CAMPOS_AUTORIZAR: tuple[Field, ...] = (
    Field("destinatario", "opcion", "quien autoriza ser notificado por correo electrónico", opciones=NOTIFICADOS),
    Field("documento", "texto", "escrito o formulario en que lo autorizó", requerido=False),
)


def autorizacion(ctx: Context) -> dict[str, Any]:
    """The addressee's express authorisation, with its day: e-mails sent from then on notify."""
    return {ctx.datos["destinatario"]: {"correo_autorizado": ctx.fecha.isoformat(),
                                        "autorizacion": ctx.datos.get("documento") or ""}}
