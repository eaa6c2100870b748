"""Technical evaluation by INDECOPI experts: Bases §4.1.2.1, Cartilla de Evaluación, Anexo 3."""
from __future__ import annotations

from decimal import Decimal

from states.context import Context
from states.definition import Field, Rule

NOTAS = ("presencia", "relevancia", "inventivo", "ventaja")


def notas_en_escala(ctx: Context) -> str | None:
    low, high = ctx.call.evaluacion.escala_minima, ctx.call.evaluacion.escala_maxima
    fuera = [f"{n} = {ctx.datos[n]}" for n in NOTAS
             if ctx.datos.get(n) is not None and not low <= ctx.datos[n] <= high]
    return f"notas fuera de la escala {low}–{high}: {', '.join(fuera)}" if fuera else None


def ventaja_solo_sin_nivel_inventivo(ctx: Context) -> str | None:
    if ctx.datos.get("ventaja") is not None and ctx.datos.get("inventivo"):
        return (f"la ventaja técnica solo se califica cuando el nivel inventivo es 0 "
                f"(nivel inventivo = {ctx.datos['inventivo']})")
    return None


def ventaja_solo_para_productos(ctx: Context) -> str | None:
    tipo = ctx.get("postulacion.tipo_concepto")
    if ctx.datos.get("producto") is not None:
        tipo = "producto" if ctx.datos["producto"] else f"{tipo} (según la ficha, no es un producto)"
    if ctx.datos.get("ventaja") is not None and tipo != "producto":
        return f"la ventaja técnica solo aplica a productos, no a {tipo}"
    return None


def calificar(ctx: Context) -> dict[str, object]:
    """Score = Σ weight × grade; presence 0 excludes the proposal (its final score is 0, whatever
    the sum); the disability bonus only for approved ones."""
    ev, sel = ctx.call.evaluacion, ctx.call.seleccion
    presencia, relevancia = ctx.datos["presencia"], ctx.datos["relevancia"]
    inventivo, ventaja = ctx.datos["inventivo"], ctx.datos.get("ventaja")
    novedad = ev.peso_presencia * presencia + ev.peso_relevancia * relevancia
    if inventivo:
        actividad, ruta = ev.peso_inventivo * inventivo, "invencion"
    else:
        actividad, ruta = ev.peso_ventaja * (ventaja or 0), "modelo_utilidad"
    puntaje = novedad + actividad
    aprobado = presencia > 0 and puntaje >= sel.puntaje_minimo
    bono = bool(ctx.datos.get("bono_discapacidad")) and aprobado
    final = Decimal(0) if presencia == 0 else puntaje * (1 + sel.bono_discapacidad) if bono else puntaje
    return {
        "novedad": str(novedad), "actividad_inventiva": str(actividad), "puntaje": str(puntaje),
        "puntaje_final": str(final), "ruta": ruta, "aprobado": aprobado, "bono_aplicado": bono,
        "excluyente": presencia == 0,
    }


REGLAS: tuple[Rule, ...] = (
    Rule("Bases §4.1.2.1", "notas de {evaluacion.escala_minima} a {evaluacion.escala_maxima} por subcriterio",
         notas_en_escala, sobre_datos=True),
    Rule("Bases §4.1.2.1; Anexo 3", "ventaja técnica solo sin nivel inventivo",
         ventaja_solo_sin_nivel_inventivo, sobre_datos=True),
    Rule("Bases §4.1.2.1; Cartilla-V", "ventaja técnica solo para productos",
         ventaja_solo_para_productos, sobre_datos=True),
)

FUENTE_BONO = "Ley 30863"
"""The law behind the disability bonus (its percentage is the call's `seleccion.bono_discapacidad`)."""
ESCALA = "{evaluacion.escala_minima}–{evaluacion.escala_maxima}"
"""The grading scale as a label: its ends come from the call file."""

CAMPOS: tuple[Field, ...] = (
    Field("presencia", "entero", f"I. presencia de elementos técnicos novedosos ({ESCALA}, excluyente)"),
    Field("relevancia", "entero", f"I. relevancia de los elementos novedosos ante una oficina PCT ({ESCALA})"),
    Field("inventivo", "entero", f"II. nivel inventivo ({ESCALA})"),
    Field("ventaja", "entero", f"II. ventaja técnica, solo si nivel inventivo = 0 y es producto ({ESCALA})",
          requerido=False),
    Field("producto", "booleano", "la ficha confirma que el concepto es un producto (objeto)", requerido=False),
    Field("bono_discapacidad", "booleano", f"{FUENTE_BONO}: coordinador con discapacidad o proyecto para ellas",
          requerido=False),
    Field("comentarios", "texto", "comentarios y recomendaciones de la ficha", requerido=False),
    Field("fortalezas", "texto", "fortalezas", requerido=False),
    Field("debilidades", "texto", "debilidades", requerido=False),
)


def sin_ficha_previa(ctx: Context) -> str | None:
    """One evaluation sheet per proposal: a second one, before the document check ends, would
    silently replace the first (a mistake in it is rectified, TUO art. 212)."""
    if ctx.get("evaluacion.puntaje") is not None:
        return (f"la propuesta ya tiene su ficha de evaluación (puntaje {ctx.get('evaluacion.puntaje')}); "
                "un error en ella se corrige con rectificar")
    return None


REGLAS_EN_PARALELO: tuple[Rule, ...] = (
    Rule("Bases §4.1.2.1", "una ficha de evaluación por propuesta", sin_ficha_previa),
    *REGLAS,
)

