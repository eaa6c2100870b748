"""The lifecycle as Mermaid, drawn by `transitions` itself (no graphviz needed)."""
from __future__ import annotations

from states.definition import Lifecycle


def mermaid(ciclo: Lifecycle, current: str | None = None) -> str:
    from transitions.extensions.diagrams import GraphMachine

    class _Drawing:
        """The single model the drawing needs; cases are never added to a machine."""

    model = _Drawing()
    transitions = [[ev.nombre, list(t.origen), t.destino] for ev in ciclo.eventos for t in ev.transiciones
                   if t.destino]
    GraphMachine(model=model, states=[s.nombre for s in ciclo.estados], transitions=transitions,
                 initial=ciclo.inicial, auto_transitions=False, graph_engine="mermaid",
                 model_attribute="estado", title=f"Ciclo de vida de la {ciclo.nombre}", show_conditions=False)
    if current:
        model.estado = current
    return model.get_graph(force_new=True).draw(None)
