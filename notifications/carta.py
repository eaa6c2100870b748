"""Letters on paper: the carta simple, the carta notarial and the proposal of resolution, printed
as PDF from the same Jinja2 templates as their e-mails, inside FONDECYT's letterhead
(`templates/_carta.html.j2`), with a correlative number per call and year and the domicile of the
contract (states/mensajes.py FUENTE_DOMICILIO). The engine hands the page to WeasyPrint; nothing writes PDF by hand."""
from __future__ import annotations

from typing import Any

from notifications.render import render
from states.pct_2019.mensajes import BY_KIND

FIRMA = {"USM": "Unidad de Seguimiento y Monitoreo", "DE": "Dirección Ejecutiva"}
"""Who signs each letter, by the unit its declaration names (states/mensajes.py)."""


def number(tipo: str, correlativo: int, anio: int) -> str:
    m = BY_KIND[tipo]
    return f"{m.titulo} N.° {correlativo:04d}-{anio}-FONDECYT-{m.carta}"


def letter_html(tipo: str, contexto: dict[str, Any], numero: str, domicilio: str, ensayo: bool) -> str:
    caso = {**contexto["caso"], "domicilio": domicilio}
    carta = {"numero": numero, "firma": FIRMA[BY_KIND[tipo].carta], "ensayo": ensayo}
    return render(tipo, {**contexto, "caso": caso, "carta": carta}, base="_carta.html.j2")[2]
