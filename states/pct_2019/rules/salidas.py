"""The ways out: resolution of the contract, disqualification, the coordinator's resignation and the
registry of barred entities and coordinators: Contrato cl. 9–11; Bases §2.2.1, Disposición final
segunda."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from states.context import Context
from states.definition import Field, Rule
from states.pct_2019.rules.contrato import PUBLICAS
from states.pct_2019.rules.gastos import saldo_no_ejecutado
from states.pct_2019.rules.postulacion import RETIRADAS

CON_CONTRATO = ("contratada", "en_ejecucion", "hitos", "ifr")
"""The states in which a signed contract binds the entity (what a resolution undoes)."""

CENT = Decimal("0.01")


def incumplimiento_con_informe(ctx: Context) -> str | None:
    if ctx.datos.get("causa") == "incumplimiento" and not ctx.datos.get("informe_usm"):
        return "la resolución por incumplimiento requiere el informe de la USM (informe_usm)"
    return None


def _hasta(ctx: Context) -> date:
    return date.fromisoformat(ctx.datos.get("fecha_devolucion") or ctx.fecha.isoformat())


def devolucion_despues_del_desembolso(ctx: Context) -> str | None:
    """Interest runs from the disbursement to the repayment: a repayment cannot come before the money."""
    inicio = ctx.date("ejecucion.inicio")
    if inicio and _hasta(ctx) < inicio:
        return (f"la devolución ({_hasta(ctx).isoformat()}) no puede ser anterior al desembolso "
                f"({inicio.isoformat()}): el interés legal corre desde el desembolso")
    return None


def _dias(ctx: Context, hasta: date) -> int:
    inicio = ctx.date("ejecucion.inicio")
    return max((hasta - inicio).days, 0) if inicio else 0


def _devolucion(ctx: Context, con_interes: bool, principal: Decimal) -> dict[str, Any]:
    """What the entity owes back of `principal`, less what it already returned (the unexecuted
    balance, `registrar_devolucion`): the returned soles are not claimed twice, and with interest
    they bear it only until the day they came back (Contrato cl. 10: «hasta la fecha en que … efectúe
    el reembolso»)."""
    seg = ctx.call.seguimiento
    devuelto = min(ctx.decimal("devolucion.monto") or Decimal(0), principal)
    adeudado = principal - devuelto
    dias = _dias(ctx, _hasta(ctx)) if con_interes else 0
    dias_devuelto = _dias(ctx, ctx.date("devolucion.fecha") or _hasta(ctx)) if con_interes and devuelto else 0
    interes = (adeudado * dias + devuelto * dias_devuelto) * seg.tasa_interes_legal_anual / seg.dias_base_interes
    privada = ctx.get("entidad.regimen") not in PUBLICAS and ctx.get("fianza") is not None
    return {"principal": str(adeudado.quantize(CENT, ROUND_HALF_UP)), "dias_interes": dias,
            **({"ya_devuelto": str(devuelto.quantize(CENT, ROUND_HALF_UP)),
                "dias_interes_devuelto": dias_devuelto} if devuelto else {}),
            "interes": str(interes.quantize(CENT, ROUND_HALF_UP)),
            "total_a_devolver": str((adeudado + interes).quantize(CENT, ROUND_HALF_UP)),
            "fianza_ejecutada": privada and con_interes}


def refund(ctx: Context) -> dict[str, Any]:
    """Breach or the entity's own request: everything received back with legal interest (simple, from
    the disbursement to the refund date), less what it already returned; force majeure: the
    unexecuted amount not yet returned, no interest."""
    if ctx.datos["causa"] == "fuerza_mayor":
        return {"fecha": ctx.fecha.isoformat(), **_devolucion(ctx, False, saldo_no_ejecutado(ctx))}
    desembolsado = ctx.decimal("ejecucion.monto_desembolsado") or Decimal(0)
    return {"fecha": ctx.fecha.isoformat(), **_devolucion(ctx, True, desembolsado)}


def descalificacion(ctx: Context) -> dict[str, Any]:
    """Before signing a disqualification voids the designation; after it, it resolves the contract
    as a breach does (Bases §4.3): the whole disbursement back with interest, the fianza executed."""
    if ctx.estado not in CON_CONTRATO:
        return {"fecha": ctx.fecha.isoformat()}
    desembolsado = ctx.decimal("ejecucion.monto_desembolsado") or Decimal(0)
    return {"fecha": ctx.fecha.isoformat(), "contrato_resuelto": True, **_devolucion(ctx, True, desembolsado)}


def carta_notarial_si_hay_contrato(ctx: Context) -> str | None:
    if ctx.estado in CON_CONTRATO and not ctx.datos.get("carta_notarial"):
        return (f"el caso tiene contrato firmado (estado = {ctx.estado}): descalificarlo resuelve el contrato "
                "por carta notarial (carta_notarial)")
    return None


def no_elegible_con_resolucion(ctx: Context) -> str | None:
    if ctx.datos.get("no_elegible") and not ctx.datos.get("resolucion_no_elegible"):
        return "declarar a la entidad no elegible es una decisión de la Dirección: indique su resolución " \
               "(resolucion_no_elegible)"
    return None


def _flag(ctx: Context, tipo: str, documento: str, nombre: str, anios: int | None, motivo: str,
          fuente: str) -> dict[str, Any]:
    return {"tipo": tipo, "documento": documento, "nombre": nombre, "desde": ctx.fecha,
            "hasta": ctx.add_months(ctx.fecha, 12 * anios) if anios else None, "motivo": motivo, "fuente": fuente,
            "caso": ctx.codigo}


def entidad_no_elegible(ctx: Context) -> list[dict[str, Any]]:
    """Contrato cl. 10: the entity «podrá ser declarada» not eligible: only when the Dirección
    decides it, with its resolution and its term (the call's [policy] term by default)."""
    if not ctx.datos.get("no_elegible"):
        return []
    anios = ctx.datos.get("anios_no_elegible") or ctx.call.registro.anios_entidad_resolucion
    return [_flag(ctx, "entidad", ctx.get("entidad.ruc"), ctx.get("entidad.razon_social"), anios,
                  f"contrato resuelto ({ctx.datos['causa']}); {ctx.datos['resolucion_no_elegible']}",
                  "Contrato cl. 10; Guía §4.3")]


RENOES = {"informacion_falsa": ("información falsa", "Bases, Disposición final segunda"),
          "plagio": ("plagio", "Bases §4; Directiva 01-2017-FONDECYT-DE (RENOES)")}
"""The causes of disqualification that put the entity in the registry of barred entities (RENOES)."""


def entidad_excluida(ctx: Context) -> list[dict[str, Any]]:
    causa = ctx.datos.get("causa")
    if causa not in RENOES:
        return []
    motivo, fuente = RENOES[causa]
    return [_flag(ctx, "entidad", ctx.get("entidad.ruc"), ctx.get("entidad.razon_social"),
                  ctx.call.registro.anios_informacion_falsa, motivo, fuente)]


def coordinador_impedido(ctx: Context) -> list[dict[str, Any]]:
    return [_flag(ctx, "coordinador", ctx.get("coordinador.dni"), ctx.get("coordinador.nombre"),
                  ctx.call.registro.anios_renuncia_coordinador, "renuncia del coordinador antes del RIFR",
                  "Bases §2.2.1; Anexo 2")]


def reemplazo_sin_impedimento(ctx: Context) -> str | None:
    """The replacement takes the grant only if convoca's own registry does not bar them on that day
    (a coordinator flagged by another call's resolution or resignation cannot take over this one)."""
    dni = ctx.datos.get("reemplazo_dni")
    if not dni or ctx.registro is None:
        return None
    flags = ctx.registro.flags("coordinador", dni, ctx.fecha)
    return "; ".join(f"el reemplazante (DNI {dni}) está impedido desde {f['desde'].isoformat()} hasta "
                     f"{f['hasta'].isoformat() if f['hasta'] else 'sin fecha de término'} ({f['motivo']}, caso {f['caso']})"
                     for f in flags) or None


def reemplazo_sin_otro_concepto(ctx: Context) -> str | None:
    """Nor if they already coordinate another proposal of the same call (one concept per coordinator)."""
    dni = ctx.datos.get("reemplazo_dni")
    otros = [c for c, estado in ctx.convocatoria.same_coordinator(dni)
             if c != ctx.codigo and estado not in RETIRADAS] if dni and ctx.convocatoria else []
    return f"el reemplazante (DNI {dni}) ya coordina {otros[0]} en esta convocatoria" if otros else None


def nuevo_coordinador(ctx: Context) -> dict[str, Any]:
    saliente = ctx.get("coordinador") or {}
    n = str(len(ctx.get("coordinadores_anteriores") or {}) + 1)
    cambio: dict[str, Any] = {"coordinadores_anteriores": {n: {**saliente, "renuncia": ctx.fecha.isoformat()}}}
    if ctx.datos.get("reemplazo_dni"):
        cambio["coordinador"] = {"nombre": ctx.datos.get("reemplazo_nombre"), "dni": ctx.datos["reemplazo_dni"],
                                 "email": ctx.datos.get("reemplazo_email"),
                                 "correo_autorizado": None, "autorizacion": None}  # his own, if he gives it
    return cambio


REGLAS_RESOLVER = (
    Rule("Contrato cl. 9; Guía §4.3", "incumplimiento tras informe de la USM", incumplimiento_con_informe,
         sobre_datos=True),
    Rule("Contrato cl. 10", "la devolución no es anterior al desembolso", devolucion_despues_del_desembolso,
         sobre_datos=True),
    Rule("Contrato cl. 10", "la no elegibilidad la declara la Dirección con su resolución",
         no_elegible_con_resolucion, sobre_datos=True),
)

REGLAS_DESCALIFICAR = (
    Rule("Bases §4.3; Contrato cl. 9", "tras la firma, la descalificación resuelve el contrato por carta notarial",
         carta_notarial_si_hay_contrato, sobre_datos=True),
    Rule("Contrato cl. 10", "la devolución no es anterior al desembolso", devolucion_despues_del_desembolso,
         sobre_datos=True),
)


CAMPOS_RESOLVER = (
    Field("causa", "opcion", "causa", opciones=("incumplimiento", "fuerza_mayor", "solicitud_ee")),
    Field("carta_notarial", "texto", "carta notarial de resolución"),
    Field("informe_usm", "texto", "informe de la USM que sustenta el incumplimiento", requerido=False),
    Field("fecha_devolucion", "fecha", "fecha de devolución para el cálculo de intereses (por defecto, la efectiva)",
          requerido=False),
    Field("no_elegible", "booleano", "la Dirección declara a la entidad no elegible (Contrato cl. 10)",
          requerido=False),
    Field("resolucion_no_elegible", "texto", "resolución que la declara no elegible", requerido=False),
    Field("anios_no_elegible", "entero", "años de no elegibilidad (por defecto, {registro.anios_entidad_resolucion})",
          requerido=False),
)


REGLAS_RENUNCIA = (
    Rule("Bases §2.2.1, §3.2.2", "el coordinador reemplazante no está impedido en el registro de FONDECYT",
         reemplazo_sin_impedimento, sobre_datos=True),
    Rule("Bases §3.1.2", "el reemplazante no coordina otra propuesta de la convocatoria", reemplazo_sin_otro_concepto,
         sobre_datos=True),
)


CAMPOS_RENUNCIA = (
    Field("motivo", "texto", "motivo de la renuncia", requerido=False),
    Field("reemplazo_nombre", "texto", "coordinador reemplazante", requerido=False),
    Field("reemplazo_dni", "texto", "DNI del reemplazante", requerido=False),
    Field("reemplazo_email", "texto", "correo del reemplazante", requerido=False),
)


CAMPOS_DESCALIFICAR = (
    Field("causa", "opcion", "causa",
          opciones=("informacion_falsa", "plagio", "verificacion_previa", "impedimento")),
    Field("motivo", "texto", "detalle del hallazgo"),
    Field("carta_notarial", "texto", "carta notarial que resuelve el contrato (si ya se firmó)", requerido=False),
    Field("fecha_devolucion", "fecha", "fecha de devolución para el cálculo de intereses (por defecto, la efectiva)",
          requerido=False),
)

