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
from states.cartera import CERO, CONCEPTOS
from workflow.engine.cases import monitor_of
from workflow.engine.ledger import OPEN
from workflow.engine.replay import LOG_COLUMNS, as_of
from workflow.storage.tables import AUDITORIA, CASO

SIN_MONITOR = "(sin monitor)"
SIN_REGION = "(sin región)"


@dataclass
class Cartera:
    convocatoria: str
    titulo: str
    reglamento: str
    """The call's rule book: its jurisdiction writes the report's money and instants."""
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


def _deadline_outcome(p: dict[str, Any], al: date, derecho: bool) -> str | None:
    """a_tiempo, tarde, incumplido (open and past its date) or pendiente; None for a voided one, and
    for a right left unused past its date (it lapsed: nobody failed to do anything)."""
    if p["estado"] == "cumplido":
        return "a_tiempo"
    if p["estado"] == "cumplido_tarde":
        return "tarde"
    if p["estado"] in OPEN:
        return ("incumplido" if not derecho else None) if p["vence"] < al else "pendiente"
    return None


COUNTS = ("vencen", "a_tiempo", "tarde", "incumplido", "pendiente")


def portfolio(conn, call, al: date, desde: date | None, generado: datetime) -> Cartera:
    """The report of `call` as of the end of `al`; the notable events from `desde` (by default the
    first day of `al`'s month)."""
    desde = desde or al.replace(day=1)
    report = Cartera(call.codigo, call.convocatoria.nombre, call.reglamento, al, desde, generado)
    estados: Counter[str] = Counter()
    money = {k: CERO for k, _ in CONCEPTOS}
    book = book_of(call)
    lines = {p: {"partida": p, "aprobado": CERO, "ejecutado": CERO} for p in book.cartera.partidas}
    por_mes: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"desembolsado": CERO, "ejecutado": CERO,
                                                                 "devuelto": CERO})
    plazos_mes: dict[str, Counter[str]] = defaultdict(Counter)
    plazos_tipo: dict[str, Counter[str]] = defaultdict(Counter)
    monitores: dict[str, Counter[str]] = defaultdict(Counter)
    regiones: dict[str, dict[str, Any]] = defaultdict(lambda: {"casos": 0, "solicitado": CERO, "comprometido": CERO,
                                                              "desembolsado": CERO})
    first: date | None = None
    ciclo, kinds, escalamiento = book.ciclo, {k.tipo: k for k in book.plazos.tipos}, book.plazos.escalamiento
    finales = {s.nombre for s in ciclo.estados if s.final}
    for rows in _logs(conn, call.codigo).values():
        acts, estado, hechos, plazos = as_of(rows, al)
        if not acts:
            continue  # the proposal had not arrived by then
        first = min(first or acts[0]["fecha_efectiva"], acts[0]["fecha_efectiva"])
        codigo = rows[0]["codigo"]
        estados[estado] += 1
        d = book.cartera.dinero(hechos, estado, acts)
        money["solicitado"] += d.solicitado
        money["aprobado"] += d.aprobado
        for p, monto in d.comprometido.items():
            lines[p]["aprobado"] += monto
        comprometido = sum(d.comprometido.values(), CERO)
        money["comprometido"] += comprometido
        money["desembolsado"] += d.desembolsado
        for fecha, monto in d.desembolsos:
            por_mes[_month(fecha)]["desembolsado"] += monto
        for registrado, partida, monto in d.gastos:
            money["ejecutado"] += monto
            lines[partida]["ejecutado"] += monto
            por_mes[_month(registrado)]["ejecutado"] += monto
        fecha_devuelto, devuelto = d.devuelto
        money["devuelto"] += devuelto
        if devuelto:
            por_mes[_month(fecha_devuelto or al)]["devuelto"] += devuelto
        money["por_devolver"] += d.por_devolver
        region = d.region or SIN_REGION
        regiones[region]["casos"] += 1
        regiones[region]["solicitado"] += d.solicitado
        regiones[region]["comprometido"] += comprometido
        regiones[region]["desembolsado"] += d.desembolsado
        abiertos = [p for p in plazos.values() if p["estado"] in OPEN and not kinds[p["tipo"]].tarea]
        if estado not in finales:
            quien = monitor_of(hechos) or SIN_MONITOR
            monitores[quien]["casos"] += 1
            monitores[quien]["plazos_abiertos"] += len(abiertos)
            monitores[quien]["vencidos"] += sum(p["vence"] < al and not kinds[p["tipo"]].derecho for p in abiertos)
        for p in plazos.values():
            if kinds[p["tipo"]].tarea or (outcome := _deadline_outcome(p, al, kinds[p["tipo"]].derecho)) is None:
                continue
            plazos_tipo[p["tipo"]][outcome] += 1
            plazos_tipo[p["tipo"]]["vencen"] += p["vence"] <= al
            if p["vence"] <= al:
                plazos_mes[_month(p["vence"])][outcome] += 1
                plazos_mes[_month(p["vence"])]["vencen"] += 1
            if outcome == "incumplido" and p.get("escalamiento"):
                report.escalamiento.append({
                    "codigo": codigo, "plazo": p["tipo"], "hito": p.get("hito"), "vence": p["vence"],
                    "paso": escalamiento[min(p["escalamiento"], len(escalamiento)) - 1].mensaje,
                    "escalamiento": p["escalamiento"], "dias": (al - p["vence"]).days})
        for act in acts:
            if act["evento"] in book.cartera.notables and desde <= act["fecha_efectiva"] <= al:
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
                          for k in book.plazos.tipos if not k.tarea]
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
