"""E062's stage commands (states/atajos.py): the UES's eligibility checklist, INDECOPI's evaluation
sheet and a milestone's ITF steps, and their examples on the demo's database."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from states.atajos import Atajo
from states.pct_2019.rules.elegibilidad import REQUISITOS
from states.pct_2019.rules.evaluacion import FUENTE_BONO


def veredicto(codigo: str, evento: str, pedido: dict[str, Any], registrado: dict[str, Any]) -> str:
    """The score the sheet gave, its route and the verdict (presence 0 excludes whatever the sum)."""
    ev = registrado["evaluacion"]
    if ev["excluyente"]:
        return (f"{codigo}: excluida (presencia de elementos novedosos = 0 es excluyente): puntaje final "
                f"{Decimal(ev['puntaje_final']):.2f}: desaprobada.")
    bono = f" con bono ({FUENTE_BONO})" if ev["bono_aplicado"] else ""
    return (f"{codigo}: puntaje {Decimal(ev['puntaje']):.2f} (ruta {ev['ruta'].replace('_', ' ')}), "
            f"final {Decimal(ev['puntaje_final']):.2f}{bono}: {'aprobada' if ev['aprobado'] else 'desaprobada'}.")


def paso_de_hito(codigo: str, evento: str, pedido: dict[str, Any], registrado: dict[str, Any]) -> str:
    """Where the milestone's ITF stands after the step, with its grade once it has one."""
    numero = pedido["hito"]
    informe = registrado.get("hitos", {}).get(str(numero), {})
    grado = f", calificación {informe['calificacion']} ({informe['motivo_calificacion']})" \
        if "calificacion" in informe else ""
    return f"{codigo}: hito {numero} → {informe.get('estado', 'sin informe')} ({evento}){grado}."


ATAJOS = (
    Atajo("elegibilidad", "Registra la verificación de elegibilidad de la UES y muestra la lista de requisitos.",
          ("registrar_elegibilidad",), documentos=True,
          archivo="lista de verificación (.xlsx, .ods, CSV o JSON): una fila por caso",
          requisitos=REQUISITOS, habilita="declarar_apta", sin_datos_muestra=True),
    Atajo("evaluar", "Registra la ficha de evaluación de INDECOPI y calcula el puntaje según las bases. La escala "
                     "de cada criterio, con los números de la convocatoria: `convoca eventos evaluar`.",
          ("evaluar",), opciones=True,
          archivo="fichas (.xlsx, .ods, CSV o JSON): una fila por caso, una columna por criterio", dice=veredicto),
    Atajo("hito", "Un evento sobre el ITF de un hito (equivale a `avanzar CODIGO EVENTO --dato hito=N`).",
          ("presentar_itf", "observar_itf", "levantar_observaciones", "aprobar_itf", "recibir_itf_fisico",
           "ampliar_hito"), numero=("hito", "número del hito"), dice=paso_de_hito),
)

EJEMPLOS: dict[str, tuple[str, ...]] = {
    "elegibilidad": ("convoca elegibilidad --archivo verificacion.csv --usuario ues.ana",
                     "convoca elegibilidad E062-0043"),
    "evaluar": ("convoca evaluar --archivo fichas.csv --usuario indecopi.eval",),
    "seleccionar": ("convoca seleccionar --publicado --convocatoria E062-2019-01",),
    "promover": ("convoca promover --vacante E062-0014 --convocatoria E062-2019-01 --fecha 2020-02-03 "
                 "--usuario de.director",),
    "hito": ("convoca hito E062-0010 2 presentar_itf --fecha 2020-04-15 --dato indicadores_cumplidos=3 "
             "--usuario usm.luis",),
}
"""The examples of the commands this book's declarations give (its stage commands and its selection's),
on the demo's database: they end each command's help, and the suite runs them."""
