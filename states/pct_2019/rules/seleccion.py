"""Selection, waitlist and vacancies: Bases §4.1.2.1, §4.1.2.2, §4.2, §4.3."""
from __future__ import annotations

from decimal import Decimal

from states.context import Context
from states.definition import Field, Rule
from states.pct_2019.rules import money

SELECCIONADAS = {"aprobada", "contratada", "en_ejecucion", "hitos", "ifr", "cerrada"}


def resultado_acorde_al_puntaje(ctx: Context) -> str | None:
    resultado, aprobado = ctx.datos.get("resultado"), ctx.get("evaluacion.aprobado")
    if resultado in ("aprobada", "accesitaria") and not aprobado:
        return (f"no alcanzó el puntaje mínimo {ctx.call.seleccion.puntaje_minimo} "
                f"(puntaje = {Decimal(ctx.get('evaluacion.puntaje')):.2f}): no puede quedar {resultado}")
    if resultado == "desaprobada" and aprobado:
        return (f"alcanzó el puntaje mínimo (puntaje = {Decimal(ctx.get('evaluacion.puntaje')):.2f}): "
                "debe quedar aprobada o accesitaria")
    return None


def publicacion_despues_del_cierre(ctx: Context) -> str | None:
    cierre = ctx.call.convocatoria.cierre.date()
    if ctx.fecha < cierre:
        return (f"la publicación ({ctx.fecha.isoformat()}) no puede ser anterior al cierre de la convocatoria "
                f"({cierre.isoformat()})")
    return None


def no_antes_de_la_fecha_de_resultados(ctx: Context) -> str | None:
    fijada = ctx.call.convocatoria.publicacion_resultados
    if ctx.fecha < fijada:
        return (f"la convocatoria publica sus resultados desde el {fijada.isoformat()}; "
                f"fecha indicada: {ctx.fecha.isoformat()}")
    return None


POR_DECIDIR = {"postulada", "apta"}
"""A proposal whose eligibility or evaluation is still open: the call's one publication waits for it."""


def todas_las_propuestas_decididas(ctx: Context) -> str | None:
    if ctx.convocatoria is None or not ctx.convocatoria.count(POR_DECIDIR):  # the usual case, counted
        return None
    pendientes = sorted((c, e) for c, (e, _) in ctx.convocatoria.cases().items() if e in POR_DECIDIR)
    if pendientes:
        lista = ", ".join(f"{c} ({e})" for c, e in pendientes[:10])
        resto = f" y {len(pendientes) - 10} más" if len(pendientes) > 10 else ""
        return (f"los resultados se publican una sola vez, con todas las propuestas decididas; "
                f"pendientes ({len(pendientes)}): {lista}{resto}")
    return None


def una_sola_resolucion(ctx: Context) -> str | None:
    if ctx.convocatoria is None or not ctx.datos.get("resolucion"):
        return None
    otra = next((r for r in ctx.convocatoria.resolutions_besides(ctx.codigo) if r != ctx.datos["resolucion"]), None)
    if otra:
        return (f"los resultados de la convocatoria ya se publicaron con la resolución {otra}: "
                f"una sola resolución (indicada: {ctx.datos['resolucion']})")
    return None


DEJAN_PLAZA = {"desistida", "descalificada", "resuelta"}


def vacante_real_y_libre(ctx: Context) -> str | None:
    """The place named must have been left by a selected proposal, and not be filled already."""
    vacante = ctx.datos.get("vacante")
    if ctx.convocatoria is None or vacante is None:
        return None
    casos = ctx.convocatoria.cases()
    if vacante not in casos:
        return f"{vacante} no es una propuesta de esta convocatoria: no dejó ninguna plaza"
    estado, hechos = casos[vacante]
    seleccionada = (hechos.get("resultado") or {}).get("resultado") == "aprobada" or "promocion" in hechos
    if estado not in DEJAN_PLAZA or not seleccionada:
        return (f"{vacante} no dejó una plaza libre (estado = {estado}"
                f"{'' if seleccionada else ', nunca fue seleccionada'})")
    ocupante = next((c for c, (_, h) in casos.items()
                     if c != ctx.codigo and (h.get("promocion") or {}).get("vacante") == vacante), None)
    if ocupante:
        return f"la plaza que dejó {vacante} ya la ocupa {ocupante}"
    return None


def siguiente_en_orden_de_merito(ctx: Context) -> str | None:
    if ctx.convocatoria is None:
        return None
    mio = ctx.get("resultado.orden_merito")
    antes = sorted(
        (h["resultado"]["orden_merito"], c)
        for c, h in ctx.convocatoria.in_states({"accesitaria"})
        if c != ctx.codigo and h["resultado"]["orden_merito"] < mio
    )
    if antes:
        return f"antes corresponde a {antes[0][1]} (orden de mérito {antes[0][0]}; este caso: {mio})"
    return None


def presupuesto_disponible(ctx: Context) -> str | None:
    """Bases §4.3 «sujeto a disponibilidad presupuestal»: what bounds the selected, not a count."""
    if ctx.convocatoria is None or ctx.datos.get("resultado", "aprobada") != "aprobada":
        return None
    comprometido = sum(
        (Decimal(h["postulacion"]["monto_solicitado"]) for _, h in ctx.convocatoria.in_states(SELECCIONADAS)),
        Decimal(0),
    )
    pedido = ctx.decimal("postulacion.monto_solicitado") or Decimal(0)
    total = ctx.call.seleccion.presupuesto_total
    if comprometido + pedido > total:
        return (f"presupuesto insuficiente: comprometido {money(comprometido)} + {money(pedido)} "
                f"supera {money(total)}")
    return None


def vencio_plazo_de_firma(ctx: Context) -> str | None:
    """Read from the ledger (the signing period PF), as every deadline is."""
    if ctx.datos.get("causa") != "no_firmo_en_plazo":
        return None
    plazo = ctx.plazo("PF")
    if plazo is None:
        return "no firmó en plazo: el caso no tiene un plazo de firma abierto (PF)"
    if plazo["estado"] == "pendiente" and ctx.fecha <= plazo["vence"]:
        return (f"el plazo para firmar ({ctx.call.contrato.dias_habiles_para_firmar} días hábiles desde el "
                f"{plazo['desde'].isoformat()}) vence el {plazo['vence'].isoformat()}; aún no ha vencido al "
                f"{ctx.fecha.isoformat()}")
    return None


def desistimiento_en_estado_seleccionado(ctx: Context) -> str | None:
    if ctx.datos.get("causa") == "no_firmo_en_plazo" and ctx.estado != "aprobada":
        return f"'no firmó en plazo' solo aplica a una propuesta aprobada (estado = {ctx.estado})"
    return None


COMITE = "Bases §4.1.2.2"
"""The source of the Comité de Consistencia: it selects when more proposals pass than there are places."""
PROMOCION = "Bases §4.3"
"""The source of the waitlist: a place left is offered to the next accesitaria in merit order."""


DESEMPATES = {
    "novedad": ("mayor novedad", lambda h: -Decimal(h["evaluacion"]["novedad"])),
    "actividad_inventiva": ("mayor actividad inventiva", lambda h: -Decimal(h["evaluacion"]["actividad_inventiva"])),
    "fecha_postulacion": ("postulación más temprana", lambda h: h["postulacion"]["fecha"]),
}
"""What each tie-break the call may name (`seleccion.desempate`, [policy]) means, and the key that
orders by it from a case's facts: after the final score, the criteria in the call's order."""
PRIORIDAD_COMITE = "patentes de invención primero, luego puntaje final"
"""Bases §4.1.2.2: the committee prefers invention patents to utility models, then the merit order."""


def prioridad_del_comite(ruta: str, puesto: int) -> tuple[bool, int]:
    """The order of the committee's proposed preselection (PRIORIDAD_COMITE)."""
    return ruta != "invencion", puesto


def acta_problems(acta: dict, aprobadas: dict[str, dict], call) -> list[str]:
    """What makes a committee's acta unable to decide: fewer selected than the floor of places, more
    money than the call's budget (28 is a floor, not a ceiling), a committee not made as the bases
    say, utility models chosen over a waitlisted invention patent, lists that do not cover exactly
    the approved proposals. `aprobadas`: code → the case's facts."""
    sel, acc = list(acta["seleccionadas"]), list(acta["accesitarias"])
    s = call.seleccion
    problems = []
    if len(sel) < min(s.plazas, len(aprobadas)):
        problems.append(f"el acta selecciona {len(sel)} propuestas: las bases fijan al menos {s.plazas}")
    monto = sum((Decimal(aprobadas[c]["postulacion"]["monto_solicitado"]) for c in sel if c in aprobadas), Decimal(0))
    if monto > s.presupuesto_total:
        problems.append(f"las {len(sel)} seleccionadas suman {money(monto)}, más que el presupuesto de la "
                        f"convocatoria ({money(s.presupuesto_total)})")
    miembros = [m if isinstance(m, dict) else {"nombre": m} for m in acta["miembros"]]
    if len(miembros) != s.comite_miembros_con_voto:
        problems.append(f"el comité tiene {s.comite_miembros_con_voto} miembros con voto (acta: {len(miembros)})")
    sectores = sorted(str(m.get("sector")) for m in miembros)
    if sectores != sorted(s.comite_sectores):
        problems.append(f"los miembros con voto vienen uno de cada sector: {', '.join(s.comite_sectores)} "
                        f"(acta: {', '.join(sectores)})")
    if not str(acta.get("secretario") or "").strip():
        problems.append("falta el secretario de la UES (con voz y sin voto)")
    ruta = {c: (h.get("evaluacion") or {}).get("ruta") for c, h in aprobadas.items()}
    invencion_fuera = [c for c in acc if ruta.get(c) == "invencion"]
    modelo_dentro = [c for c in sel if ruta.get(c) != "invencion"]
    if invencion_fuera and modelo_dentro:
        problems.append(f"las patentes de invención van antes que los modelos de utilidad: selecciona "
                        f"{', '.join(modelo_dentro)} y deja accesitaria(s) {', '.join(invencion_fuera)}")
    if sorted(sel + acc) != sorted(aprobadas):
        extra = sorted(set(sel + acc) - set(aprobadas))
        falta = sorted(set(aprobadas) - set(sel + acc))
        problems.append(f"las listas del acta deben cubrir exactamente las aprobadas "
                        f"(sobran: {', '.join(extra) or '—'}; faltan: {', '.join(falta) or '—'})")
    return problems


REGLAS_PUBLICAR: tuple[Rule, ...] = (
    Rule("Bases §3.4", "los resultados se publican después del cierre", publicacion_despues_del_cierre),
    Rule("Bases §3.4", "desde la fecha de resultados de la convocatoria", no_antes_de_la_fecha_de_resultados),
    Rule("Bases §4.1.2, §4.2", "con todas las propuestas decididas", todas_las_propuestas_decididas),
    Rule("Bases §4.2", "una sola resolución de resultados", una_sola_resolucion, sobre_datos=True),
    Rule("Bases §4.1.2.1", "el resultado corresponde al puntaje", resultado_acorde_al_puntaje, sobre_datos=True),
    Rule("Bases §2.3.1; §4.3", "las seleccionadas caben en el presupuesto de la convocatoria", presupuesto_disponible),
)

REGLAS_PROMOVER: tuple[Rule, ...] = (
    Rule("Bases §4.3", "la vacante es la plaza que dejó una seleccionada, aún libre", vacante_real_y_libre,
         sobre_datos=True),
    Rule("Bases §4.3", "se promueve a la siguiente accesitaria en orden de mérito", siguiente_en_orden_de_merito),
    Rule("Bases §4.3", "sujeto a disponibilidad presupuestal", presupuesto_disponible),
)

REGLAS_DESISTIR: tuple[Rule, ...] = (
    Rule("Bases §4.3", "no firmar en plazo requiere el plazo vencido", vencio_plazo_de_firma, sobre_datos=True),
    Rule("Bases §4.3", "no firmar en plazo solo para aprobadas", desistimiento_en_estado_seleccionado,
         sobre_datos=True),
)

CAMPOS_PUBLICAR: tuple[Field, ...] = (
    Field("resultado", "opcion", "resultado publicado", opciones=("aprobada", "accesitaria", "desaprobada")),
    Field("resolucion", "texto", "número de la Resolución de Dirección Ejecutiva"),
    Field("orden_merito", "entero", "puesto en el orden de mérito", requerido=False),
    Field("acta", "texto", "acta del Comité de Consistencia, cuando seleccionó", requerido=False),
)

CAMPOS_PROMOVER: tuple[Field, ...] = (
    Field("vacante", "texto", "código de la propuesta cuya plaza quedó libre"),
)

CAMPOS_DESISTIR: tuple[Field, ...] = (
    Field("causa", "opcion", "causa", opciones=("renuncia", "no_firmo_en_plazo")),
    Field("justificada", "booleano", "renuncia justificada a tiempo (si no, puede impedir postular)",
          requerido=False),
    Field("motivo", "texto", "detalle", requerido=False),
)
