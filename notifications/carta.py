"""Letters on paper: the carta simple, the carta notarial and the proposal of resolution, printed
as PDF from the same Jinja2 templates as their e-mails, inside FONDECYT's letterhead
(`templates/_carta.html.j2`), with a correlative number per call and year, the institution and the unit
that signs it as the book's wording names them, and the domicile of the contract. The engine hands the
page to WeasyPrint; nothing writes PDF by hand."""
from __future__ import annotations

from typing import Any

from notifications.render import render
from states.book import Redaccion
from states.mensajes import Mensaje


def number(declared: Mensaje, redaccion: Redaccion, correlativo: int, anio: int) -> str:
    return f"{declared.titulo} N.° {correlativo:04d}-{anio}-{redaccion.institucion}-{declared.carta}"


def letter_html(declared: Mensaje, redaccion: Redaccion, contexto: dict[str, Any], numero: str, domicilio: str,
                ensayo: bool) -> str:
    caso = {**contexto["caso"], "domicilio": domicilio}
    carta = {"numero": numero, "firma": redaccion.firmas[declared.carta], "ensayo": ensayo}
    return render(declared, {**contexto, "caso": caso, "carta": carta}, base="_carta.html.j2")[2]
