"""The rules of ANDE «Bienes Públicos Digitales» 2025, each with its source in the documents
(B = Bases, P = Pautas de evaluación, I = Instructivo): the application's money and its endorsing
firms, the formal check's clarification round, the committee's criteria, the Directorio's decision,
the convenio, the three tranches, the renditions and the suspension."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from states.calendar import add_months
from states.context import Context
from states.definition import Rule
from states.jurisdicciones import URUGUAY

money = URUGUAY.dinero
APOYO = "B «Apoyo que brinda el programa»"
TIPOS = "B «Tipos de proyectos»"
GASTOS = "B «Gastos financiables»"
AMBITOS = "B «Ámbitos de evaluación y aprobación»"
PAUTAS = "Pautas de evaluación I–XI"
RESOLUCION = "B «Resolución»"
IMPLEMENTACION = "B «Implementación» a"
DESEMBOLSOS = "B «Modalidad de desembolsos»"
CRONOGRAMA = "planilla «Cronograma» 3"


def d(value: Any) -> Decimal:
    """An amount as facts keep it (text) or as an act gives it; absent is zero."""
    return Decimal(0) if value in (None, "") else Decimal(str(value))


def pct(part: Decimal, whole: Decimal) -> str:
    """A share as a percentage, to a tenth («62 %», «76.2 %»)."""
    value = f"{(part * 100 / whole):.1f}" if whole else "0"
    return f"{value.removesuffix('.0')} %"


def _monto(ctx: Context) -> dict[str, Decimal]:
    p = ctx.get("postulacion") or {}
    efectivo, especie = d(p.get("contrapartida_efectivo")), d(p.get("contrapartida_especie"))
    ande = d(p.get("monto_ande"))
    return {"ande": ande, "efectivo": efectivo, "especie": especie, "contrapartida": efectivo + especie,
            "total": ande + efectivo + especie, "equipamiento": d(p.get("equipamiento")),
            "imprevistos": d(p.get("imprevistos")), "administracion_ande": d(p.get("administracion_ande")),
            "administracion": d(p.get("administracion_contrapartida"))}


# ── The application (checked at import and again when ANDE admits it) ────────────────────────────

def avales_suficientes(ctx: Context) -> str | None:
    avales = ctx.get("avales") or []
    if len(avales) < ctx.call.avales.minimo:
        return f"tiene {len(avales)} empresas que avalan; se exigen al menos {ctx.call.avales.minimo}"
    return None


def avales_con_chequeo_digital(ctx: Context) -> str | None:
    sin = [a["empresa"] for a in ctx.get("avales") or [] if not a.get("chequeo_digital")]
    return f"sin chequeo digital de Modo Digital: {', '.join(sin)}" if sin else None


def tope_porcentual(ctx: Context) -> str | None:
    m, tope = _monto(ctx), ctx.call.apoyo.tope_porcentaje
    if m["total"] and m["ande"] > m["total"] * tope:
        return f"ANDE aportaría {pct(m['ande'], m['total'])} del costo total ({money(m['ande'])} de {money(m['total'])})"
    return None


def tope_absoluto(ctx: Context) -> str | None:
    m = _monto(ctx)
    if m["ande"] > ctx.call.apoyo.tope_monto:
        return f"pide {money(m['ande'])} a ANDE"
    return None


def contrapartida_minima(ctx: Context) -> str | None:
    m = _monto(ctx)
    if m["total"] and m["contrapartida"] < m["total"] * ctx.call.apoyo.contrapartida_minima:
        return f"la contrapartida es {pct(m['contrapartida'], m['total'])} del costo total ({money(m['contrapartida'])})"
    return None


def efectivo_minimo(ctx: Context) -> str | None:
    m = _monto(ctx)
    if m["total"] and m["efectivo"] < m["total"] * ctx.call.apoyo.efectivo_minimo:
        return f"la contrapartida en efectivo es {pct(m['efectivo'], m['total'])} del costo total ({money(m['efectivo'])})"
    return None


def piso_efectivo_condicional(ctx: Context) -> str | None:
    """Only when ANDE's maximum is asked and the counterpart exceeds its minimum share."""
    m, a = _monto(ctx), ctx.call.apoyo
    pide_maximo = m["ande"] >= a.tope_monto
    supera = m["total"] and m["contrapartida"] > m["total"] * a.contrapartida_minima
    if pide_maximo and supera and m["efectivo"] < a.piso_efectivo_condicional:
        return (f"pide el máximo y su contrapartida ({pct(m['contrapartida'], m['total'])}) supera el mínimo: el efectivo "
                f"({money(m['efectivo'])}) no alcanza {money(a.piso_efectivo_condicional)}")
    return None


def tope_equipamiento(ctx: Context) -> str | None:
    m = _monto(ctx)
    if m["equipamiento"] > m["ande"] * ctx.call.apoyo.tope_equipamiento:
        return f"equipamiento {money(m['equipamiento'])}: {pct(m['equipamiento'], m['ande'])} del monto de ANDE"
    return None


def tope_imprevistos(ctx: Context) -> str | None:
    m = _monto(ctx)
    if m["total"] and m["imprevistos"] > m["total"] * ctx.call.apoyo.tope_imprevistos:
        return f"imprevistos {money(m['imprevistos'])}: {pct(m['imprevistos'], m['total'])} del costo total"
    return None


def administracion_solo_contrapartida(ctx: Context) -> str | None:
    m = _monto(ctx)
    if m["administracion_ande"]:
        return f"pide {money(m['administracion_ande'])} de ANDE para administración"
    if m["administracion"] > ctx.call.apoyo.tope_administracion:
        return f"administración {money(m['administracion'])}"
    return None


REGLAS_POSTULACION: tuple[Rule, ...] = (
    Rule(TIPOS, "al menos {avales.minimo} empresas avalan el proyecto", avales_suficientes),
    Rule(TIPOS, "cada empresa que avala hizo el chequeo digital de Modo Digital", avales_con_chequeo_digital),
    Rule(APOYO, "ANDE aporta hasta el {apoyo.tope_porcentaje} del costo total", tope_porcentual),
    Rule(APOYO, "ANDE aporta hasta {apoyo.tope_monto} pesos uruguayos", tope_absoluto),
    Rule(APOYO, "contrapartida de al menos el {apoyo.contrapartida_minima} del costo total", contrapartida_minima),
    Rule(APOYO, "contrapartida en efectivo de al menos el {apoyo.efectivo_minimo} del costo total", efectivo_minimo),
    Rule(APOYO, "con el máximo pedido y más contrapartida que el mínimo, efectivo de al menos "
                "{apoyo.piso_efectivo_condicional}", piso_efectivo_condicional),
    Rule(f"{GASTOS} nota 3", "equipamiento hasta el {apoyo.tope_equipamiento} del monto de ANDE", tope_equipamiento),
    Rule(f"{GASTOS} nota 5", "imprevistos hasta el {apoyo.tope_imprevistos} del costo total", tope_imprevistos),
    Rule(f"{GASTOS} nota 4", "administración solo como contrapartida, hasta {apoyo.tope_administracion}",
         administracion_solo_contrapartida),
)


# ── The formal check's clarification round ──────────────────────────────────────────────────────

def respuesta_en_plazo(ctx: Context) -> str | None:
    row = ctx.plazo("PA")
    if row and ctx.fecha > row["vence"]:
        return f"la respuesta llega el {ctx.fecha.isoformat()}; el plazo venció el {row['vence'].isoformat()}"
    return None


def plazo_de_aclaracion_vencido(ctx: Context) -> str | None:
    row = ctx.plazo("PA")
    if row is None:
        return "no hay un pedido de aclaración abierto"
    if ctx.fecha <= row["vence"]:
        return f"el plazo para responder vence el {row['vence'].isoformat()}: aún corre"
    return None


# ── The committee (P I–XI) ───────────────────────────────────────────────────────────────────────

def notas_en_escala(ctx: Context) -> str | None:
    top = ctx.call.evaluacion.escala_maxima
    fuera = [f"{c}={ctx.datos[c.lower()]}" for c in ctx.call.evaluacion.pesos
             if c.lower() in ctx.datos and not 0 <= int(ctx.datos[c.lower()]) <= top]
    return f"fuera de la escala 0–{top}: {', '.join(fuera)}" if fuera else None


def puntaje(ctx: Context) -> dict[str, Any]:
    """The weighted score (P I–XI), on the scale of the criteria; the recommendation is the committee's."""
    ev = ctx.call.evaluacion
    total = sum((Decimal(int(ctx.datos[c.lower()])) * w for c, w in ev.pesos.items()), Decimal(0))
    return {"puntaje": str(total.quantize(Decimal("0.01"))), "fecha": ctx.fecha.isoformat(),
            "supera_minimo": None if ev.puntaje_minimo is None else total >= ev.puntaje_minimo}


# ── The convenio (B «Implementación» a) ──────────────────────────────────────────────────────────

def _aprobado(ctx: Context) -> date | None:
    return ctx.date("decision.fecha")


def _inicio(ctx: Context) -> date | None:
    value = ctx.datos.get("fecha_inicio")
    return None if value in (None, "") else date.fromisoformat(str(value))


def convenio_en_plazo(ctx: Context) -> str | None:
    aprobado = _aprobado(ctx)
    limite = aprobado + timedelta(days=ctx.call.plazos.dias_convenio) if aprobado else None
    if limite and ctx.fecha > limite and not ctx.datos.get("aprobacion_expresa"):
        return (f"se firma el {ctx.fecha.isoformat()}, más de {ctx.call.plazos.dias_convenio} días después de la "
                f"aprobación ({aprobado.isoformat()}), sin aprobación expresa de ANDE")
    return None


def inicio_a_tiempo(ctx: Context) -> str | None:
    inicio = _inicio(ctx)
    if inicio and inicio > ctx.call.plazos.inicio_a_mas_tardar:
        return f"inicio el {inicio.isoformat()}, después del {ctx.call.plazos.inicio_a_mas_tardar.isoformat()}"
    return None


def duracion_maxima(ctx: Context) -> str | None:
    meses = ctx.datos.get("meses")
    return f"el convenio dice {meses} meses" if meses is not None and int(meses) > ctx.call.plazos.meses_maximos \
        else None


def metas_acordadas(ctx: Context) -> str | None:
    return None if str(ctx.datos.get("metas") or "").strip() else "el convenio no dice los hitos y metas acordados"


def convenio(ctx: Context) -> dict[str, Any]:
    inicio = _inicio(ctx)
    return {"fecha": ctx.fecha.isoformat(), "fin": add_months(inicio, int(ctx.datos["meses"])).isoformat()}


def periodos(ctx: Context) -> dict[str, Any]:
    """The periods of rendition the project's execution spans (planilla «Cronograma» 3), numbered."""
    inicio = _inicio(ctx)
    return {"periodos": {str(i + 1): {"nombre": p.nombre, "hasta": p.hasta.isoformat()}
                         for i, p in enumerate(ctx.call.rendiciones) if p.hasta >= inicio}}


def desistida_por_plazo(ctx: Context) -> str | None:
    aprobado = _aprobado(ctx)
    if aprobado and ctx.fecha <= aprobado + timedelta(days=ctx.call.plazos.dias_convenio):
        return (f"los {ctx.call.plazos.dias_convenio} días para firmar el convenio corren hasta el "
                f"{(aprobado + timedelta(days=ctx.call.plazos.dias_convenio)).isoformat()}")
    return None


# ── Tranches, renditions, contingencies (B «Modalidad de desembolsos», «Gastos financiables») ───

TRAMOS = ("anticipo", "segundo", "final")


def ande(ctx: Context) -> Decimal:
    return d(ctx.get("postulacion.monto_ande"))


def desembolsado(hechos_desembolsos: dict[str, Any] | None) -> Decimal:
    return sum((d(x["monto"]) for x in (hechos_desembolsos or {}).values()), Decimal(0))


def aprobado_de_ande(ctx: Context) -> Decimal:
    return sum((d(r.get("aprobado_ande")) for r in (ctx.get("rendiciones") or {}).values()), Decimal(0))


def tramo_no_repetido(ctx: Context) -> str | None:
    tramo = ctx.datos.get("tramo")
    return f"el tramo {tramo} ya se desembolsó" if tramo in (ctx.get("desembolsos") or {}) else None


def tramo_en_orden(ctx: Context) -> str | None:
    tramo, hechos = ctx.datos.get("tramo"), ctx.get("desembolsos") or {}
    previos = TRAMOS[:TRAMOS.index(tramo)] if tramo in TRAMOS else ()
    faltan = [t for t in previos if t not in hechos]
    return f"falta antes el desembolso {', '.join(faltan)}" if faltan else None


def segundo_tramo_rendido(ctx: Context) -> str | None:
    """60 % once ≥ 80 % of what was disbursed is rendered and approved, and the agreed milestones met."""
    if ctx.datos.get("tramo") != "segundo":
        return None
    pagado = desembolsado(ctx.get("desembolsos"))
    aprobado = aprobado_de_ande(ctx)
    exigido = ctx.call.desembolsos.rendido_minimo
    problems = []
    if not pagado or aprobado < pagado * exigido:
        problems.append(f"rendido y aprobado {pct(aprobado, pagado)} del anticipo; se exige {pct(exigido, Decimal(1))}")
    if not ctx.get("metas.cumplidas"):
        problems.append("los hitos y metas intermedias acordados no están registrados como cumplidos (cumplir_metas)")
    return "; ".join(problems) or None


def monto_del_tramo(ctx: Context) -> dict[str, Any]:
    tramo = ctx.datos["tramo"]
    share = getattr(ctx.call.desembolsos, tramo)
    return {"desembolsos": {tramo: {"monto": str((ande(ctx) * share).quantize(Decimal("0.01"))),
                                    "fecha": ctx.fecha.isoformat()}}}


def periodo_conocido(ctx: Context) -> str | None:
    n = str(ctx.datos.get("hito"))
    return None if n in (ctx.get("periodos") or {}) else \
        f"el período {n} no es de este proyecto (períodos: {', '.join(ctx.get('periodos') or {}) or 'ninguno'})"


def imprevistos_autorizados(ctx: Context) -> str | None:
    if d(ctx.datos.get("imprevistos")) and not ctx.get("imprevistos.autorizado"):
        return f"rinde {money(d(ctx.datos['imprevistos']))} de imprevistos sin autorización previa de ANDE"
    return None


def rendicion(ctx: Context) -> dict[str, Any]:
    n = str(len(ctx.get("rendiciones") or {}) + 1)
    datos = {k: str(v) for k, v in ctx.datos.items()}
    return {"rendiciones": {n: {**datos, "registrada": ctx.fecha.isoformat()}}}


def rendicion_existe(ctx: Context) -> str | None:
    n = str(ctx.datos.get("numero"))
    r = (ctx.get("rendiciones") or {}).get(n)
    if r is None:
        return f"no hay rendición número {n}"
    if d(ctx.datos.get("aprobado_ande")) > d(r.get("monto_ande")):
        return f"aprueba {money(d(ctx.datos['aprobado_ande']))} de ANDE y se rindieron {money(d(r.get('monto_ande')))}"
    return None


def aprobacion(ctx: Context) -> dict[str, Any]:
    n = str(ctx.datos["numero"])
    return {"rendiciones": {n: {"aprobado_ande": str(ctx.datos["aprobado_ande"]),
                                "aprobado_contrapartida": str(ctx.datos.get("aprobado_contrapartida") or 0),
                                "aprobada": ctx.fecha.isoformat()}}}


def cierre_rendido(ctx: Context) -> str | None:
    """The 10 % reimbursement: every earlier disbursement and the whole committed counterpart rendered
    and approved (the activities done are the act's own required datum)."""
    problems = []
    pagado, aprobado = desembolsado(ctx.get("desembolsos")), aprobado_de_ande(ctx)
    if "segundo" not in (ctx.get("desembolsos") or {}):
        problems.append("falta el segundo desembolso")
    if aprobado < pagado:
        problems.append(f"rendido y aprobado {money(aprobado)} de {money(pagado)} desembolsados por ANDE")
    comprometida = d(ctx.get("postulacion.contrapartida_efectivo")) + d(ctx.get("postulacion.contrapartida_especie"))
    rendida = sum((d(r.get("aprobado_contrapartida")) for r in (ctx.get("rendiciones") or {}).values()), Decimal(0))
    if rendida < comprometida:
        problems.append(f"contrapartida rendida y aprobada {money(rendida)} de {money(comprometida)} comprometidos")
    return "; ".join(problems) or None


def reembolso_final(ctx: Context) -> dict[str, Any]:
    monto = (ande(ctx) * ctx.call.desembolsos.final).quantize(Decimal("0.01"))
    return {"desembolsos": {"final": {"monto": str(monto), "fecha": ctx.fecha.isoformat(), "reembolso": True}}}
