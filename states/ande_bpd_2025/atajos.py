"""ANDE's stage commands (states/atajos.py): the committee's evaluation, with the Pautas' eleven
criteria as options."""
from __future__ import annotations

from typing import Any

from states.atajos import Atajo


def puntaje(codigo: str, evento: str, pedido: dict[str, Any], registrado: dict[str, Any]) -> str:
    """The weighted score and the committee's (non-binding) recommendation to the Directorio."""
    ev = registrado["evaluacion"]
    corte = {True: ", supera el mínimo", False: ", no alcanza el mínimo"}.get(ev.get("supera_minimo"), "")
    return (f"{codigo}: puntaje ponderado {ev['puntaje']}{corte}; recomendación al Directorio: "
            f"{ev['recomendacion'].replace('_', ' ')} (no vinculante).")


ATAJOS = (
    Atajo("evaluar", "Registra la evaluación del Comité: los once criterios de las Pautas, ponderados, y su "
                     "recomendación al Directorio.",
          ("evaluar",), opciones=True,
          archivo="evaluaciones (.xlsx, .ods, CSV o JSON): una fila por postulación, una columna por criterio",
          dice=puntaje),
)
