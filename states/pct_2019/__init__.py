"""The rule book of FONDECYT's call E062-2019-01 «Registro de Patentes PCT» (the bases, the Guía de
Seguimiento y Monitoreo, the contract), in Peru's jurisdiction: `reglamento = "pct-2019"`."""
from __future__ import annotations

from states.book import Book
from states.jurisdicciones import PERU
from states.pct_2019.atajos import ATAJOS, EJEMPLOS
from states.pct_2019.call import Call
from states.pct_2019.cartera import CARTERA
from states.pct_2019.convocatoria import DECISIVOS
from states.pct_2019.formulario import FORMULARIO
from states.pct_2019.informe import FUENTE_INFORMES, INFORME, clave_informe, informe_ausente, titulo_informe
from states.pct_2019.lifecycle import CICLO
from states.pct_2019.mensajes import MENSAJES
from states.pct_2019.notificaciones import sent
from states.pct_2019.plazos import LIBRO
from states.pct_2019.rectificacion import altera_lo_sustancial
from states.pct_2019.redaccion import REDACCION
from states.pct_2019.rules.postulacion import REGLAS_POSTULAR
from states.pct_2019.seleccion import SELECCION
from states.pct_2019.vistas import ANIDADOS, VISTAS

BOOK = Book(nombre="pct-2019", titulo="FONDECYT E062-2019-01, Registro de Patentes PCT", jurisdiccion=PERU,
            esquema=Call, ciclo=CICLO, informe=INFORME, reglas_postular=REGLAS_POSTULAR, fuente_informes=FUENTE_INFORMES,
            enviado=sent, plazos=LIBRO, mensajes=MENSAJES, sustancia=altera_lo_sustancial,
            redaccion=REDACCION, decisivos=DECISIVOS, formulario=FORMULARIO, seleccion=SELECCION,
            cartera=CARTERA, clave_informe=clave_informe, informe_ausente=informe_ausente,
            titulo_informe=titulo_informe, vistas=VISTAS, anidados=ANIDADOS, atajos=ATAJOS,
            ejemplos=EJEMPLOS)
