"""The portfolio report written out: one self-contained HTML page (its charts inline as SVG, no
request leaves it), the same content as an .xlsx with a sheet per section, and as a PDF through
WeasyPrint, the library of the letters."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from states.books import book
from states.cartera import CONCEPTOS
from states.jurisdicciones import Jurisdiccion
from states.plural import cuantos
from workflow.files import graficos
from workflow.files import pdf as pdf_file
from workflow.files.atomic import write_whole


def _fecha(d: date | str) -> str:
    d = date.fromisoformat(d) if isinstance(d, str) else d
    return d.strftime("%d/%m/%Y")


def _jurisdiction(r: dict[str, Any]) -> Jurisdiccion:
    return book(r["reglamento"]).jurisdiccion


def charts(r: dict[str, Any]) -> dict[str, str]:
    money = _jurisdiction(r).dinero
    return {"embudo": graficos.embudo(r["embudo"]), "dinero_mes": graficos.dinero_por_mes(r["dinero_mes"], money),
            "plazos_mes": graficos.plazos_por_mes(r["plazos_mes"]),
            "monitores": graficos.carga_por_monitor(r["monitores"])}


def html(r: dict[str, Any], ensayo: bool) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from notifications.render import TEMPLATES

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    j = _jurisdiction(r)
    env.filters.update(fecha=_fecha, instante=lambda t: t.astimezone(j.tz).strftime(f"%d/%m/%Y %H:%M ({j.hora})"),
                       dinero=j.dinero, cuantos=cuantos, palabras=lambda s: str(s).replace("_", " "))
    return env.get_template("informe.html.j2").render(r=r, ensayo=ensayo, graficos=charts(r), conceptos=CONCEPTOS,
                                                      monedas=j.monedas)


def write_html(r: dict[str, Any], ensayo: bool, path: Path) -> None:
    text = html(r, ensayo)
    write_whole(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def write_pdf(r: dict[str, Any], ensayo: bool, path: Path) -> None:
    pdf_file.write(path, html(r, ensayo))


def pdf(r: dict[str, Any], ensayo: bool) -> bytes:
    return pdf_file.render(html(r, ensayo))


def sheets(r: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The report's sections as the sheets of a workbook, in the page's order."""
    return [
        ("Propuestas por estado", [{"estado": e["titulo"], "propuestas": e["casos"]} for e in r["embudo"]]),
        ("Dinero", [{"concepto": nombre, "monto": r["dinero"][clave]} for clave, nombre in CONCEPTOS]),
        ("Partidas", r["partidas"]),
        ("Dinero por mes", r["dinero_mes"]),
        ("Plazos por mes", r["plazos_mes"]),
        ("Plazos por tipo", r["plazos_tipo"]),
        ("Escalamiento", r["escalamiento"]),
        ("Monitores", r["monitores"]),
        ("Regiones", r["regiones"]),
        ("Hechos notables", r["notables"]),
    ]
