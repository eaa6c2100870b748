"""The bounds of time every act obeys, as rules with their reasons.

An act has two times: when it happened (its effective date, which the officer states) and when
convoca learnt it (its registration, the server's clock). These rules keep the first honest
against the second: nothing is dated in the future, nothing before the call existed, a committee
does not decide after the results it decided were published, and the deadline service may catch
up with a past day but never act on one still to come.
"""
from __future__ import annotations

from datetime import date, datetime, tzinfo

FUENTE = "[policy] el expediente: ningún acto con fecha posterior a su registro ni anterior a la convocatoria"


def fecha_efectiva(fecha: date, hoy: date, lanzamiento: date) -> str | None:
    """An effective date lies between the call's launch and today. An act dated before later facts
    of its case is judged by the case's history (engine/history.py), not refused for its date."""
    if fecha > hoy:
        return f"la fecha efectiva {fecha.isoformat()} es posterior a hoy ({hoy.isoformat()})"
    if fecha < lanzamiento:
        return (f"la fecha efectiva {fecha.isoformat()} es anterior al lanzamiento de la convocatoria "
                f"({lanzamiento.isoformat()})")
    return None


def enviada(texto: str, zona: tzinfo) -> datetime:
    """The instant an application form gives («Enviar», «Finalizar»), in the call's zone when it says none."""
    value = datetime.fromisoformat(texto)
    return value if value.tzinfo else value.replace(tzinfo=zona)


def envio_ilegible(texto: str, zona: tzinfo, hoy: date, lanzamiento: date) -> str | None:
    """Why a form's submission instant makes its row unreadable: not AAAA-MM-DDTHH:MM, or dated outside
    the bounds of every act (`fecha_efectiva`). One sent after the close is read: the book keeps it as
    the defect it is."""
    try:
        fecha = enviada(texto, zona).astimezone(zona).date()
    except ValueError:
        return f"fecha_postulacion inválida: {texto!r} (AAAA-MM-DDTHH:MM)"
    fuera = fecha_efectiva(fecha, hoy, lanzamiento)
    return f"fecha_postulacion {texto}: {fuera}" if fuera else None


def pasada_de_vigilancia(instante: datetime, ahora: datetime) -> str | None:
    """`vigilar` may act on a past instant (catching up after a machine was off), never a future one."""
    if instante > ahora:
        return (f"--ahora {instante.isoformat(timespec='minutes')} es posterior a este momento "
                f"({ahora.isoformat(timespec='minutes')}): vigilar puede ponerse al día con un día pasado, "
                "nunca actuar en el futuro.")
    return None


def acta_antes_de_publicar(numero: str, fecha: date, publicacion: date) -> str | None:
    """The committee decides before the results are published, never after (Bases §4.1.2.2)."""
    if fecha > publicacion:
        return (f"Acta {numero}: está fechada el {fecha.isoformat()}, después de la publicación "
                f"({publicacion.isoformat()}); el comité decide antes de que se publiquen los resultados.")
    return None
