"""The bounds of time every act obeys, as rules with their reasons.

An act has two times: when it happened (its effective date, which the officer states) and when
convoca learnt it (its registration, the server's clock). These rules keep the first honest
against the second: nothing is dated in the future, nothing before the call existed, a committee
does not decide after the results it decided were published, and the deadline service may catch
up with a past day but never act on one still to come.
"""
from __future__ import annotations

from datetime import date, datetime

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
