"""Expenses, reallocation between budget lines and the return of unused money: Guía §2.4, §3.3.2, §3.4."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from states.context import Context
from states.definition import Field, Rule
from states.pct_2019.rules import money
from states.pct_2019.rules.contrato import PARTIDAS, budget_problems


def gastado(hechos_gastos: dict[str, Any] | None, partida: str | None = None) -> Decimal:
    return sum((Decimal(g["monto"]) for g in (hechos_gastos or {}).values()
                if partida is None or g["partida"] == partida), Decimal(0))


def comprobante_en_periodo(ctx: Context) -> str | None:
    fecha = ctx.datos.get("fecha_comprobante")
    firma, fin = ctx.get("contrato.fecha"), ctx.get("ejecucion.fin")
    if fecha and (firma is None or fin is None):
        return "el caso no tiene registradas la firma del contrato y el periodo de ejecución"
    if fecha and fecha < firma:
        return f"comprobante del {fecha}, anterior a la firma del contrato ({firma})"
    if fecha and fecha > fin:
        return f"comprobante del {fecha}, posterior al fin de la ejecución ({fin}): no se acepta"
    return None


def clave_comprobante(texto: str) -> tuple[str, ...]:
    """A receipt as its series and number, however it was typed: full-width letters and any dash
    read as themselves (NFKC), case and spaces ignored, and each number without its leading zeros,
    so F001-0001, f001-01, «F001 – 1» and «Ｆ００１－１» are one receipt."""
    texto = unicodedata.normalize("NFKC", texto).casefold()
    return tuple(t.lstrip("0") or "0" if t.isdigit() else t for t in re.findall(r"[^\W\d_]+|\d+", texto))


def comprobante_no_registrado(ctx: Context) -> str | None:
    """One receipt, one expense: a receipt already recorded for the case is not recorded again (a
    file applied twice, a row copied)."""
    comprobante = (ctx.datos.get("comprobante") or "").strip()
    if not comprobante:
        return None
    clave = clave_comprobante(comprobante)
    for n, g in sorted((ctx.get("gastos") or {}).items(), key=lambda kv: int(kv[0])):
        if clave_comprobante(g.get("comprobante") or "") == clave:
            return (f"el comprobante {comprobante} ya está registrado en el gasto {n} "
                    f"({money(g.get('monto'))}, {g.get('partida')}): un comprobante sustenta un solo gasto")
    return None


def partida_con_saldo(ctx: Context) -> str | None:
    partida, monto = ctx.datos.get("partida"), ctx.datos.get("monto")
    if not partida or monto is None:
        return None
    aprobado = ctx.decimal(f"presupuesto.{partida}") or Decimal(0)
    usado = gastado(ctx.get("gastos"), partida)
    if usado + Decimal(monto) > aprobado:
        return (f"la partida {partida} tiene {money(aprobado)} aprobados y {money(usado)} ejecutados: "
                f"{money(monto)} excede el saldo en {money(usado + Decimal(monto) - aprobado)}")
    return None


def gasto(ctx: Context) -> dict[str, Any]:
    n = str(len(ctx.get("gastos") or {}) + 1)
    return {"gastos": {n: {**ctx.datos, "registrado": ctx.fecha.isoformat()}}}


def _movido(ctx: Context, partida: str) -> tuple[Decimal, Decimal]:
    """What earlier reallocations moved into and out of a line."""
    entra = sale = Decimal(0)
    for r in (ctx.get("reasignaciones") or {}).values():
        entra += Decimal(r["monto"]) if r["a_partida"] == partida else 0
        sale += Decimal(r["monto"]) if r["de_partida"] == partida else 0
    return entra, sale


def partida_aprobada(ctx: Context, partida: str) -> Decimal:
    """The line as approved at signing: today's amount without the reallocations since."""
    entra, sale = _movido(ctx, partida)
    return (ctx.decimal(f"presupuesto.{partida}") or Decimal(0)) - entra + sale


def reasignacion_dentro_del_limite(ctx: Context) -> list[str] | str | None:
    de, a, monto = ctx.datos.get("de_partida"), ctx.datos.get("a_partida"), ctx.datos.get("monto")
    if not (de and a and monto is not None):
        return None
    if de == a:
        return "dentro de una misma partida la reasignación es libre: no requiere aprobación"
    monto = Decimal(monto)
    pr = ctx.call.presupuesto
    aprobada = partida_aprobada(ctx, a)
    limite = aprobada * pr.reasignacion_maxima
    antes = _movido(ctx, a)[0] if pr.reasignacion_acumulada else Decimal(0)
    problems = []
    if antes + monto > limite:
        acumulado = f"; ya recibió {money(antes)} en reasignaciones anteriores" if antes else ""
        problems.append(f"Guía §3.4: {money(monto)} supera el {pr.reasignacion_maxima:.0%} de la partida de destino "
                        f"{a} tal como se aprobó ({money(aprobada)} → máximo {money(limite)}{acumulado})")
    saldo = (ctx.decimal(f"presupuesto.{de}") or Decimal(0)) - gastado(ctx.get("gastos"), de)
    if monto > saldo:
        problems.append(f"Guía §3.4: la partida {de} solo tiene {money(saldo)} sin ejecutar")
    destino = ctx.decimal(f"presupuesto.{a}") or Decimal(0)
    moved = {**ctx.get("presupuesto"), de: str((ctx.decimal(f"presupuesto.{de}") or 0) - monto),
             a: str(destino + monto)}
    problems += budget_problems(Context(ctx.codigo, ctx.estado, {**ctx.hechos, "presupuesto": moved}, {},
                                        ctx.call, ctx.fecha, calendario=ctx.calendario))
    return problems


def reasignar(ctx: Context) -> dict[str, Any]:
    de, a, monto = ctx.datos["de_partida"], ctx.datos["a_partida"], Decimal(ctx.datos["monto"])
    n = str(len(ctx.get("reasignaciones") or {}) + 1)
    return {"presupuesto": {de: str(ctx.decimal(f"presupuesto.{de}") - monto),
                            a: str((ctx.decimal(f"presupuesto.{a}") or 0) + monto)},
            "reasignaciones": {n: {**ctx.datos, "fecha": ctx.fecha.isoformat()}}}


def saldo_no_ejecutado(ctx: Context) -> Decimal:
    desembolsado = ctx.decimal("ejecucion.monto_desembolsado") or Decimal(0)
    return desembolsado - gastado(ctx.get("gastos"))


def devolucion_exacta(ctx: Context) -> str | None:
    monto = ctx.datos.get("monto")
    saldo = saldo_no_ejecutado(ctx)
    if monto is not None and Decimal(monto) != saldo:
        return f"el saldo no ejecutado es {money(saldo)}; la devolución registrada es {money(monto)}"
    return None


REGLAS_GASTO = (
    Rule("Guía §2.4, §3.3.2", "comprobante entre la firma y el fin de la ejecución", comprobante_en_periodo,
         sobre_datos=True),
    Rule("Guía §3.4", "gasto dentro del saldo de la partida", partida_con_saldo, sobre_datos=True),
    Rule("Guía §2.4", "cada comprobante sustenta un solo gasto", comprobante_no_registrado, sobre_datos=True),
)


REGLAS_REASIGNAR = (
    Rule("Guía §3.4", "reasignación entre partidas", reasignacion_dentro_del_limite, sobre_datos=True),
)


REGLAS_DEVOLUCION = (
    Rule("Bases §2.3.3; Guía §3.4", "devolución del saldo no ejecutado", devolucion_exacta, sobre_datos=True),
)


CAMPOS_GASTO = (
    Field("partida", "opcion", "partida", opciones=PARTIDAS),
    Field("monto", "decimal", "monto en soles"),
    Field("fecha_comprobante", "fecha", "fecha del comprobante"),
    Field("comprobante", "texto", "tipo y número del comprobante"),
)


CAMPOS_REASIGNAR = (
    Field("de_partida", "opcion", "partida de origen", opciones=PARTIDAS),
    Field("a_partida", "opcion", "partida de destino", opciones=PARTIDAS),
    Field("monto", "decimal", "monto"),
)


CAMPOS_DEVOLUCION = (Field("monto", "decimal", "monto devuelto"),
                     Field("recibo", "texto", "comprobante de depósito"))

