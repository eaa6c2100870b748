"""The life of a report: each milestone's ITF and the final IFR (Guía §3.3.2, §3.4).

A second, small lifecycle with its own shared `transitions` machine. The case stays in `hitos`
(or `ifr`) while each of its reports moves here; case events such as `presentar_itf` address one
report (`--dato hito=2`) and fire the step of the same meaning below.
"""
from __future__ import annotations

from states.definition import Event, Lifecycle, State, Transition
from states.pct_2019.rules import seguimiento

FUENTE_INFORMES = "Guía §3.3.2"
"""Where the steps of a report (present, observe, lift, approve, receive on paper) are set out."""

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
