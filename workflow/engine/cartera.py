"""The portfolio of a call as of a date: what the Dirección and the heads of UES and USM decide from.

Every number is read off the fold of each case's record as it stood at the end of `al`
(`replay.as_of`, the fold of `ver --al`), so the report of the 31st of March reads the same when
it is produced again in December, acts recorded late for March included. Nothing here writes.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from states.books import book_of
from states.pct_2019.plazos import BY_TYPE, ESCALAMIENTO, PLAZOS
from states.pct_2019.rules.contrato import PARTIDAS
from workflow.engine.cases import monitor_of
from workflow.engine.ledger import OPEN
from workflow.engine.replay import LOG_COLUMNS, as_of
from workflow.storage.tables import AUDITORIA, CASO

NOTABLES = ("promover", "aprobar_ampliacion", "ampliar_hito", "resolver_contrato", "descalificar", "desistir",
            "cerrar")
"""The acts the report lists as the period's notable events: promotions, extensions, resolutions and
the ways out."""
SIN_MONITOR = "(sin monitor)"
SIN_REGION = "(sin región)"
CERO = Decimal("0.00")


@dataclass
class Cartera:
    convocatoria: str
    titulo: str
    al: date
    desde: date
    generado: datetime
    casos: int = 0
    embudo: list[dict[str, Any]] = field(default_factory=list)
    dinero: dict[str, Decimal] = field(default_factory=dict)
    partidas: list[dict[str, Any]] = field(default_factory=list)
    dinero_mes: list[dict[str, Any]] = field(default_factory=list)
    plazos_mes: list[dict[str, Any]] = field(default_factory=list)
    plazos_tipo: list[dict[str, Any]] = field(default_factory=list)
    escalamiento: list[dict[str, Any]] = field(default_factory=list)
    monitores: list[dict[str, Any]] = field(default_factory=list)
    regiones: list[dict[str, Any]] = field(default_factory=list)
    notables: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def soles(value: Any) -> Decimal:
    """A stored amount (text, as facts keep money) in soles with two decimals; absent is zero."""
    return CERO if value in (None, "") else Decimal(str(value)).quantize(CERO)


def _month(d: date | str) -> str:
    return (d if isinstance(d, str) else d.isoformat())[:7]


def _months(first: date, last: date) -> list[str]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _logs(conn, convocatoria: str) -> dict[int, list[dict[str, Any]]]:
    """Every accepted row of the call's cases, by case, in registration order: one read."""
    a = AUDITORIA
    query = (select(a.c.codigo, *(a.c[k] for k in LOG_COLUMNS if k != "registrado_en"))
             .join(CASO, CASO.c.id == a.c.caso_id)
             .where(CASO.c.convocatoria == convocatoria, a.c.aceptado.is_(True), a.c.caso_id.is_not(None))
             .order_by(a.c.id))
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in conn.execute(query):
        out[row.caso_id].append(dict(row._mapping))
    return out


def _deadline_outcome(p: dict[str, Any], al: date) -> str | None:
    """a_tiempo, tarde, incumplido (open and past its date) or pendiente; None for a voided one."""
    if p["estado"] == "cumplido":
        return "a_tiempo"
    if p["estado"] == "cumplido_tarde":
        return "tarde"
    if p["estado"] in OPEN:
        return "incumplido" if p["vence"] < al else "pendiente"
    return None


COUNTS = ("vencen", "a_tiempo", "tarde", "incumplido", "pendiente")


def portfolio(conn, call, al: date, desde: date | None, generado: datetime) -> Cartera:
    """The report of `call` as of the end of `al`; the notable events from `desde` (by default the
    first day of `al`'s month)."""
    desde = desde or al.replace(day=1)
    report = Cartera(call.codigo, call.convocatoria.nombre, al, desde, generado)
    estados: Counter[str] = Counter()
    money = {k: CERO for k in ("solicitado", "aprobado", "comprometido", "desembolsado", "ejecutado", "devuelto",
                               "por_devolver")}
    lines = {p: {"partida": p, "aprobado": CERO, "ejecutado": CERO} for p in PARTIDAS}
    por_mes: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"desembolsado": CERO, "ejecutado": CERO,
                                                                 "devuelto": CERO})
    plazos_mes: dict[str, Counter[str]] = defaultdict(Counter)
    plazos_tipo: dict[str, Counter[str]] = defaultdict(Counter)
    monitores: dict[str, Counter[str]] = defaultdict(Counter)
    regiones: dict[str, dict[str, Any]] = defaultdict(lambda: {"casos": 0, "solicitado": CERO, "comprometido": CERO,
                                                              "desembolsado": CERO})
    first: date | None = None
    ciclo = book_of(call).ciclo
    finales = {s.nombre for s in ciclo.estados if s.final}
    for rows in _logs(conn, call.codigo).values():
        acts, estado, hechos, plazos = as_of(rows, al)
        if not acts:
            continue  # the proposal had not arrived by then
        first = min(first or acts[0]["fecha_efectiva"], acts[0]["fecha_efectiva"])
        codigo = rows[0]["codigo"]
        estados[estado] += 1
        solicitado = soles(hechos.get("postulacion", {}).get("monto_solicitado"))
        money["solicitado"] += solicitado
        if hechos.get("resultado", {}).get("resultado") == "aprobada" or "promocion" in hechos:
            money["aprobado"] += solicitado
        comprometido = CERO
        if "contrato" in hechos:
            for p in PARTIDAS:
                lines[p]["aprobado"] += soles(hechos.get("presupuesto", {}).get(p))
                comprometido += soles(hechos.get("presupuesto", {}).get(p))
        money["comprometido"] += comprometido
        desembolsado = soles(hechos.get("ejecucion", {}).get("monto_desembolsado"))
        money["desembolsado"] += desembolsado
        for act in acts:
            if act["evento"] == "desembolsar":
                por_mes[_month(act["fecha_efectiva"])]["desembolsado"] += desembolsado
        ejecutado = CERO
        for gasto in (hechos.get("gastos") or {}).values():
            monto = soles(gasto.get("monto"))
            ejecutado += monto
            lines[gasto["partida"]]["ejecutado"] += monto
            por_mes[_month(gasto["registrado"])]["ejecutado"] += monto
        money["ejecutado"] += ejecutado
        devuelto = soles(hechos.get("devolucion", {}).get("monto"))
        money["devuelto"] += devuelto
        if devuelto:
            por_mes[_month(hechos["devolucion"].get("fecha") or al)]["devuelto"] += devuelto
        salida = hechos.get("resolucion") or hechos.get("descalificacion") or {}
        if salida.get("total_a_devolver"):
            money["por_devolver"] += max(soles(salida["total_a_devolver"]) - devuelto, CERO)
        elif estado == "ifr":
            money["por_devolver"] += max(desembolsado - ejecutado - devuelto, CERO)
        region = hechos.get("entidad", {}).get("region") or SIN_REGION
        regiones[region]["casos"] += 1
        regiones[region]["solicitado"] += solicitado
        regiones[region]["comprometido"] += comprometido
        regiones[region]["desembolsado"] += desembolsado
        abiertos = [p for p in plazos.values() if p["estado"] in OPEN and not BY_TYPE[p["tipo"]].tarea]
        if estado not in finales:
            quien = monitor_of(hechos) or SIN_MONITOR
            monitores[quien]["casos"] += 1
            monitores[quien]["plazos_abiertos"] += len(abiertos)
            monitores[quien]["vencidos"] += sum(p["vence"] < al for p in abiertos)
        for p in plazos.values():
            if BY_TYPE[p["tipo"]].tarea or (outcome := _deadline_outcome(p, al)) is None:
                continue
            plazos_tipo[p["tipo"]][outcome] += 1
            plazos_tipo[p["tipo"]]["vencen"] += p["vence"] <= al
            if p["vence"] <= al:
                plazos_mes[_month(p["vence"])][outcome] += 1
                plazos_mes[_month(p["vence"])]["vencen"] += 1
            if outcome == "incumplido" and p.get("escalamiento"):
                report.escalamiento.append({
                    "codigo": codigo, "plazo": p["tipo"], "hito": p.get("hito"), "vence": p["vence"],
                    "paso": ESCALAMIENTO[min(p["escalamiento"], len(ESCALAMIENTO)) - 1].mensaje,
                    "escalamiento": p["escalamiento"], "dias": (al - p["vence"]).days})
        for act in acts:
            if act["evento"] in NOTABLES and desde <= act["fecha_efectiva"] <= al:
                event = ciclo.event(act["evento"])
                grupo = (act.get("datos") or {}).get(event.registra, {}) if event.registra else {}
                report.notables.append({"fecha": act["fecha_efectiva"], "codigo": codigo, "evento": act["evento"],
                                        "titulo": event.titulo, "detalle": _detail(grupo)})
    report.casos = sum(estados.values())
    report.embudo = [{"estado": s.nombre, "titulo": s.titulo, "final": s.final, "casos": estados[s.nombre]}
                     for s in ciclo.estados]
    report.dinero = money
    report.partidas = list(lines.values())
    meses = _months(first or call.convocatoria.lanzamiento, al)
    report.dinero_mes = [{"mes": m, **por_mes[m]} for m in meses]
    report.plazos_mes = [{"mes": m, **{k: plazos_mes[m][k] for k in COUNTS}} for m in meses]
    report.plazos_tipo = [{"tipo": k.tipo, "titulo": k.titulo, **{c: plazos_tipo[k.tipo][c] for c in COUNTS}}
                          for k in PLAZOS if not k.tarea]
    report.escalamiento.sort(key=lambda r: (r["vence"], r["codigo"]))
    report.monitores = sorted(({"monitor": m, "casos": c["casos"], "plazos_abiertos": c["plazos_abiertos"],
                                "vencidos": c["vencidos"]} for m, c in monitores.items()),
                              key=lambda r: (r["monitor"] == SIN_MONITOR, r["monitor"]))
    report.regiones = sorted(({"region": r, **v} for r, v in regiones.items()), key=lambda r: (-r["casos"], r["region"]))
    report.notables.sort(key=lambda r: (r["fecha"], r["codigo"]))
    return report


def _detail(grupo: dict[str, Any]) -> str:
    """The registered data of a notable act in one short line («causa=renuncia»)."""
    shown = [f"{k}={v}" for k, v in grupo.items() if isinstance(v, (str, int)) and not isinstance(v, bool)]
    return ", ".join(shown[:3])
