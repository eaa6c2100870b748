"""The ways out: resolution of the contract, disqualification, the coordinator's resignation and the
registry of barred entities and coordinators: Contrato cl. 9–11; Bases §2.2.1, Disposición final
segunda."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from states.context import Context
from states.definition import Field, Rule
from states.rules.contrato import PUBLICAS
from states.rules.gastos import saldo_no_ejecutado

CENT = Decimal("0.01")


def incumplimiento_con_informe(ctx: Context) -> str | None:
    if ctx.datos.get("causa") == "incumplimiento" and not ctx.datos.get("informe_usm"):
        return "la resolución por incumplimiento requiere el informe de la USM (informe_usm)"
    return None


def refund(ctx: Context) -> dict[str, Any]:
    """Breach or the entity's own request: everything back with legal interest (simple, from the
    disbursement to the refund date); force majeure: the unexecuted amount, no interest."""
    causa = ctx.datos["causa"]
    desembolsado = ctx.decimal("ejecucion.monto_desembolsado") or Decimal(0)
    inicio = ctx.date("ejecucion.inicio")
    hasta = date.fromisoformat(ctx.datos.get("fecha_devolucion") or ctx.fecha.isoformat())
    if causa == "fuerza_mayor":
        principal, interes, dias = saldo_no_ejecutado(ctx), Decimal(0), 0
    else:
        principal = desembolsado
        dias = (hasta - inicio).days if inicio else 0
        seg = ctx.call.seguimiento
        interes = principal * seg.tasa_interes_legal_anual * dias / seg.dias_base_interes
    privada = ctx.get("entidad.regimen") not in PUBLICAS and ctx.get("fianza") is not None
    return {"fecha": ctx.fecha.isoformat(), "principal": str(principal.quantize(CENT, ROUND_HALF_UP)),
            "dias_interes": dias, "interes": str(interes.quantize(CENT, ROUND_HALF_UP)),
            "total_a_devolver": str((principal + interes).quantize(CENT, ROUND_HALF_UP)),
            "fianza_ejecutada": privada and causa != "fuerza_mayor"}


def _flag(ctx: Context, tipo: str, documento: str, nombre: str, anios: int | None, motivo: str,
          fuente: str) -> dict[str, Any]:
    return {"tipo": tipo, "documento": documento, "nombre": nombre, "desde": ctx.fecha,
            "hasta": ctx.add_months(ctx.fecha, 12 * anios) if anios else None, "motivo": motivo, "fuente": fuente,
            "caso": ctx.codigo}


def entidad_no_elegible(ctx: Context) -> list[dict[str, Any]]:
    if ctx.datos.get("causa") == "fuerza_mayor":
        return []
    return [_flag(ctx, "entidad", ctx.get("entidad.ruc"), ctx.get("entidad.razon_social"),
                  ctx.call.registro.anios_entidad_resolucion, f"contrato resuelto ({ctx.datos['causa']})",
                  "Contrato cl. 10; Guía §4.3")]


def entidad_excluida(ctx: Context) -> list[dict[str, Any]]:
    if ctx.datos.get("causa") != "informacion_falsa":
        return []
    return [_flag(ctx, "entidad", ctx.get("entidad.ruc"), ctx.get("entidad.razon_social"),
                  ctx.call.registro.anios_informacion_falsa, "información falsa",
                  "Bases, Disposición final segunda")]


def coordinador_impedido(ctx: Context) -> list[dict[str, Any]]:
    return [_flag(ctx, "coordinador", ctx.get("coordinador.dni"), ctx.get("coordinador.nombre"),
                  ctx.call.registro.anios_renuncia_coordinador, "renuncia del coordinador antes del RIFR",
                  "Bases §2.2.1; Anexo 2")]


def nuevo_coordinador(ctx: Context) -> dict[str, Any]:
    saliente = ctx.get("coordinador") or {}
    n = str(len(ctx.get("coordinadores_anteriores") or {}) + 1)
    cambio: dict[str, Any] = {"coordinadores_anteriores": {n: {**saliente, "renuncia": ctx.fecha.isoformat()}}}
    if ctx.datos.get("reemplazo_dni"):
        cambio["coordinador"] = {"nombre": ctx.datos.get("reemplazo_nombre"), "dni": ctx.datos["reemplazo_dni"],
                                 "email": ctx.datos.get("reemplazo_email")}
    return cambio


REGLAS_RESOLVER = (
    Rule("Contrato cl. 9; Guía §4.3", "incumplimiento tras informe de la USM", incumplimiento_con_informe,
         sobre_datos=True),
)


CAMPOS_RESOLVER = (
    Field("causa", "opcion", "causa", opciones=("incumplimiento", "fuerza_mayor", "solicitud_ee")),
    Field("carta_notarial", "texto", "carta notarial de resolución"),
    Field("informe_usm", "texto", "informe de la USM que sustenta el incumplimiento", requerido=False),
    Field("fecha_devolucion", "fecha", "fecha de devolución para el cálculo de intereses (por defecto, la efectiva)",
          requerido=False),
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
)

