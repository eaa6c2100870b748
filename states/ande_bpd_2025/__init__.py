"""The rule book of ANDE (Uruguay) «Bienes Públicos Digitales» 2025 (the Bases, the Pautas de
evaluación, the Instructivo, the aval model, the budget workbook), in Uruguay's jurisdiction:
`reglamento = "ande-bpd-2025"`."""
from __future__ import annotations

from states.ande_bpd_2025.atajos import ATAJOS
from states.ande_bpd_2025.call import Call
from states.ande_bpd_2025.cartera import CARTERA
from states.ande_bpd_2025.ciclo import CICLO
from states.ande_bpd_2025.formulario import FORMULARIO
from states.ande_bpd_2025.mensajes import MENSAJES, REDACCION
from states.ande_bpd_2025.plazos import LIBRO
from states.ande_bpd_2025.reglas import REGLAS_POSTULACION
from states.ande_bpd_2025.vistas import ANIDADOS, VISTAS
from states.book import Book
from states.jurisdicciones import URUGUAY

BOOK = Book(nombre="ande-bpd-2025", titulo="ANDE «Bienes Públicos Digitales» 2025", jurisdiccion=URUGUAY,
            esquema=Call, ciclo=CICLO, informe=None, reglas_postular=REGLAS_POSTULACION, formulario=FORMULARIO,
            plazos=LIBRO, mensajes=MENSAJES, redaccion=REDACCION, cartera=CARTERA, vistas=VISTAS,
            anidados=ANIDADOS, atajos=ATAJOS)
