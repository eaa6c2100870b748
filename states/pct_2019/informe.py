"""The life of a report: each milestone's ITF and the final IFR (Guía §3.3.2, §3.4).

A second, small lifecycle with its own shared `transitions` machine. The case stays in `hitos`
(or `ifr`) while each of its reports moves here; case events such as `presentar_itf` address one
report (`--dato hito=2`) and fire the step of the same meaning below.
"""
from __future__ import annotations

from typing import Any

from states.definition import Event, Lifecycle, State, Transition
from states.pct_2019.rules import seguimiento

FUENTE_INFORMES = "Guía §3.3.2"
"""Where the steps of a report (present, observe, lift, approve, receive on paper) are set out."""


def clave_informe(tipo: str, datos: dict[str, Any]) -> str:
    """Where a case's facts keep the report an event addresses: a milestone's ITF (`--dato hito=2`) or the IFR."""
    return f"hitos.{datos.get('hito')}" if tipo == "itf" else "ifr"


def informe_ausente(tipo: str, datos: dict[str, Any], hechos: dict[str, Any]) -> str:
    """Why the addressed report is not there to move."""
    if tipo == "itf":
        hitos = ", ".join(sorted(hechos.get("hitos") or {}, key=int)) or "ninguno"
        return f"el hito {datos.get('hito')} no existe (hitos del PO aprobado: {hitos})"
    return "el IFR aún no está programado (terminar_ejecucion)"


def titulo_informe(clave: str) -> str:
    """A report as a refusal names it («el ITF del hito 2», «el IFR»)."""
    return clave.replace("hitos.", "el ITF del hito ").replace("ifr", "el IFR")

ESTADOS = (
    State("programado", "Programado"),
    State("ampliado", "Ampliado (nueva fecha aprobada)"),
    State("presentado", "Presentado en el SIG"),
    State("observado", "Observado por el monitor"),
    State("aprobado", "Aprobado (RITF / RIFR)"),
    State("fisico_recibido", "Físico firmado recibido en mesa de partes", final=True),
)

PASOS = (
    Event("presentar", "Presentar el informe en el SIG", (),
          (Transition(("programado", "ampliado"), "presentado", seguimiento.REGLAS_PRESENTAR),), registra="informe",
          deriva=seguimiento.presentado),
    Event("observar", "Notificar observaciones", (),
          (Transition(("presentado",), "observado"),), registra="informe",
          deriva=seguimiento.observado),
    Event("levantar_observaciones", "Levantar las observaciones", (),
          (Transition(("observado",), "presentado", seguimiento.REGLAS_PRESENTAR),), registra="informe",
          deriva=seguimiento.levantado),
    Event("aprobar", "Aprobar el informe", (),
          (Transition(("presentado",), "aprobado", seguimiento.REGLAS_APROBAR),), registra="informe",
          deriva=seguimiento.calificar),
    Event("recibir_fisico", "Recibir el informe físico firmado", (),
          (Transition(("aprobado",), "fisico_recibido"),), registra="informe", deriva=seguimiento.recibido),
    Event("ampliar", "Ampliar la fecha del hito", (),
          (Transition(("programado", "ampliado"), "ampliado", seguimiento.REGLAS_AMPLIAR_HITO),), registra="informe",
          deriva=seguimiento.ampliado),
)

INFORME = Lifecycle("informe", ESTADOS, "programado", PASOS)
