"""Start-up, Plan Operativo and monitoring visits: Guía §3.2.1–§3.2.3, §4.4.15."""
from __future__ import annotations

from typing import Any

from states.context import Context
from states.definition import Field, Rule


def negociacion_realizada(ctx: Context) -> str | None:
    if ctx.get("negociacion.asistio_coordinador") is not True:
        return "falta la reunión de negociación con asistencia del coordinador"
    return None


def po_registrado(ctx: Context) -> str | None:
    return None if ctx.get("po.version") else "no hay un Plan Operativo registrado (registrar_po)"


def hitos_dentro_del_periodo(ctx: Context) -> str | None:
    hitos = ctx.dates("po.hitos")
    inicio, fin = ctx.date("ejecucion.inicio"), ctx.date("ejecucion.fin")
    if not hitos or inicio is None:
        return None
    fuera = [h.isoformat() for h in hitos if not inicio < h <= fin]
    if fuera:  # the last milestone need not fall on the last day (Guía §3.3.1)
        return f"hitos fuera del periodo de ejecución ({inicio} a {fin}): {', '.join(fuera)}"
    return None


def version_siguiente(ctx: Context) -> str | None:
    version, vigente = ctx.datos.get("version"), len(ctx.get("po.versiones") or {})
    if version is not None and version != vigente + 1:
        return f"la nueva versión del PO debe ser la {vigente + 1} (recibida: {version})"
    return None


def indicadores_por_hito(ctx: Context) -> str | None:
    hitos, indicadores = ctx.datos.get("hitos"), ctx.datos.get("indicadores")
    if hitos is None or indicadores is None:
        return None
    partes = [p for p in str(indicadores).split(";") if p.strip()]
    if len(partes) != len(hitos) or not all(p.strip().isdigit() and int(p) > 0 for p in partes):
        return f"indique un número de indicadores (> 0) por hito: {len(hitos)} hitos, recibido {indicadores!r}"
    return None


def po_version(ctx: Context) -> dict[str, Any]:
    """Every signed version is kept (Guía §4.4.15); the top-level keys are the current one."""
    d = ctx.datos
    return {"versiones": {str(d["version"]): {"hitos": d["hitos"], "indicadores": d["indicadores"],
                                              "firmado_por": d["firmado_por"], "fecha": ctx.fecha.isoformat()}}}


def indicadores_del_po(ctx: Context) -> list[int]:
    return [int(p) for p in str(ctx.get("po.indicadores")).split(";") if p.strip()]


def hitos_del_po(ctx: Context) -> dict[str, Any]:
    indicadores = indicadores_del_po(ctx)
    return {"hitos": {str(i + 1): {"fecha": f, "indicadores": indicadores[i], "estado": "programado"}
                      for i, f in enumerate(ctx.get("po.hitos"))}}


def hito_en_curso(hitos: dict[str, Any]) -> str | None:
    abiertos = [int(n) for n, h in hitos.items() if h["estado"] in ("programado", "ampliado", "presentado", "observado")]
    return str(min(abiertos)) if abiertos else None


def visita(ctx: Context) -> dict[str, Any]:
    """Refusing access is a serious fault and fails the milestone under way."""
    n = str(len(ctx.get("visitas") or {}) + 1)
    patch: dict[str, Any] = {"visitas": {n: {**ctx.datos, "fecha": ctx.fecha.isoformat()}}}
    actual = hito_en_curso(ctx.get("hitos") or {})
    if ctx.datos.get("acceso_negado") and actual:
        patch["hitos"] = {actual: {"falta_grave": True, "falta_grave_fecha": ctx.fecha.isoformat()}}
    return patch


REGLAS_REGISTRAR_PO = (
    Rule("Guía §4.4.15", "versiones del PO en orden", version_siguiente, sobre_datos=True),
    Rule("Guía §3.2.2", "indicadores programados por hito", indicadores_por_hito, sobre_datos=True),
)


REGLAS_PO = (
    Rule("Guía §3.2.2", "reunión de negociación realizada con el coordinador", negociacion_realizada),
    Rule("Guía §3.2.2", "Plan Operativo registrado", po_registrado),
    Rule("Guía §3.2.2, §3.3.1", "hitos dentro del periodo de ejecución", hitos_dentro_del_periodo),
)


CAMPOS_INDUCCION = (Field("asistio_coordinador", "booleano", "el coordinador asistió al taller de inducción"),)


CAMPOS_NEGOCIACION = (
    Field("asistio_coordinador", "booleano", "el coordinador asistió a la reunión de negociación"),
    Field("observaciones_po", "texto", "observaciones al PO y a la Ficha Técnica", requerido=False),
)


CAMPOS_PO = (
    Field("version", "entero", "versión del Plan Operativo"),
    Field("hitos", "fechas", "fechas de los hitos (AAAA-MM-DD;…)"),
    Field("indicadores", "texto", "indicadores programados por hito (p. ej. 3;4;3)"),
    Field("firmado_por", "texto", "coordinador que firmó los formatos impresos"),
)


CAMPOS_VISITA = (
    Field("anunciada", "booleano", "visita anunciada"),
    Field("acta", "texto", "número del acta firmada por monitor y coordinador"),
    Field("observaciones", "texto", "observaciones", requerido=False),
    Field("recomendaciones", "texto", "recomendaciones de cumplimiento obligatorio", requerido=False),
    Field("acceso_negado", "booleano", "se negó el acceso (falta grave)", requerido=False),
)

