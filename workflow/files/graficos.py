"""The portfolio report's pictures, drawn by matplotlib as SVG to embed in the page.

Text is drawn as paths (no font to fetch or to lack), the file carries no date and its ids come
from a fixed salt, so the same report gives the same bytes: the report of a date reproduces. Labels
are Spanish, amounts as the call's jurisdiction writes them.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

COLORES = {"a_tiempo": "#2e7d32", "tarde": "#f9a825", "incumplido": "#c62828", "desembolsado": "#1565c0",
           "ejecutado": "#2e7d32", "devuelto": "#6a1b9a", "casos": "#1565c0", "plazos_abiertos": "#f9a825",
           "vencidos": "#c62828", "final": "#9e9e9e"}


def _figure(height: float):
    import matplotlib

    matplotlib.use("Agg")  # no screen: the pictures go into a file
    from matplotlib import pyplot

    matplotlib.rcParams.update({"svg.fonttype": "path", "svg.hashsalt": "convoca", "font.size": 9,
                                "axes.spines.top": False, "axes.spines.right": False})
    return pyplot.subplots(figsize=(7.0, height))


def _svg(fig, name: str) -> str:
    """The figure as an `<svg>` element to sit inside the page, its ids prefixed with the chart's
    name: four charts in one document must not share a glyph's or a clip's id."""
    from matplotlib import pyplot

    buffer = io.StringIO()
    fig.tight_layout()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    pyplot.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    for before, after in (('id="', f'id="{name}-'), ('href="#', f'href="#{name}-'), ("url(#", f"url(#{name}-")):
        text = text.replace(before, after)
    return text.replace("<svg ", f'<svg role="img" aria-label="{name}" ', 1)


def embudo(filas: list[dict[str, Any]]) -> str:
    """Proposals per state, in the lifecycle's order; the ways out in grey."""
    fig, ax = _figure(0.32 * len(filas) + 0.8)
    nombres = [f["titulo"] for f in filas][::-1]
    casos = [f["casos"] for f in filas][::-1]
    colores = [COLORES["final"] if f["final"] else COLORES["casos"] for f in filas][::-1]
    barras = ax.barh(nombres, casos, color=colores)
    ax.bar_label(barras, padding=3)
    ax.set_xlabel("propuestas")
    ax.set_title("Propuestas por estado")
    return _svg(fig, "embudo")


def dinero_por_mes(filas: list[dict[str, Any]], money: Callable[[Any], str]) -> str:
    """Disbursed, executed and returned per month, written as the call's jurisdiction writes money."""
    from matplotlib.ticker import FuncFormatter

    fig, ax = _figure(3.2)
    meses = [f["mes"] for f in filas]
    ancho = 0.27
    for i, clave in enumerate(("desembolsado", "ejecutado", "devuelto")):
        ax.bar([x + (i - 1) * ancho for x in range(len(meses))], [float(f[clave]) for f in filas], ancho,
               label=clave, color=COLORES[clave])
    ax.set_xticks(range(len(meses)), meses, rotation=60, ha="right")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v)))
    ax.set_title("Dinero por mes")
    ax.legend(frameon=False)
    return _svg(fig, "dinero")


def plazos_por_mes(filas: list[dict[str, Any]]) -> str:
    """Deadlines falling due each month: met on time, met late, missed."""
    fig, ax = _figure(3.2)
    meses = [f["mes"] for f in filas]
    base = [0] * len(meses)
    for clave, nombre in (("a_tiempo", "cumplidos a tiempo"), ("tarde", "cumplidos tarde"),
                          ("incumplido", "incumplidos")):
        valores = [f[clave] for f in filas]
        ax.bar(range(len(meses)), valores, bottom=base, label=nombre, color=COLORES[clave])
        base = [b + v for b, v in zip(base, valores)]
    ax.set_xticks(range(len(meses)), meses, rotation=60, ha="right")
    ax.set_ylabel("plazos que vencen")
    ax.set_title("Plazos cumplidos e incumplidos por mes")
    ax.legend(frameon=False)
    return _svg(fig, "plazos")


def carga_por_monitor(filas: list[dict[str, Any]]) -> str:
    """Open cases, open deadlines and overdue ones per monitor."""
    fig, ax = _figure(0.5 * len(filas) + 1.2)
    nombres = [f["monitor"] for f in filas][::-1]
    alto = 0.27
    for i, (clave, nombre) in enumerate((("casos", "casos"), ("plazos_abiertos", "plazos abiertos"),
                                         ("vencidos", "vencidos"))):
        barras = ax.barh([y + (1 - i) * alto for y in range(len(nombres))], [f[clave] for f in filas][::-1], alto,
                         label=nombre, color=COLORES[clave])
        ax.bar_label(barras, padding=2, fontsize=7)
    ax.set_yticks(range(len(nombres)), nombres)
    ax.set_title("Carga por monitor")
    ax.legend(frameon=False)
    return _svg(fig, "monitores")
