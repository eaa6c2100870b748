"""Registering a proposal (postulación): Bases §3.4, §2.3.1, §3.1.2, §2.2.1.

The import records every application the SIG received, and these rules say what is wrong with one:
their failures are kept with the case as its defects (`postulacion.defectos`), and eligibility
checks them again, so `ver` shows them and `declarar_no_apta` cites them. Judging is the UES's.
"""
from __future__ import annotations

from datetime import datetime

from stdnum.pe import ruc

from states.context import Context
from states.definition import Rule

RETIRADAS = ("no_apta", "desistida", "descalificada")
"""Proposals out of the call: they no longer count against one concept per coordinator."""


def enviada_antes_del_cierre(ctx: Context) -> str | None:
    enviada, cierre = ctx.need("postulacion.fecha", "la fecha de envío"), ctx.call.convocatoria.cierre
    if datetime.fromisoformat(enviada) > cierre:
        return f"enviada el {enviada}, después del cierre {cierre.isoformat()}"
    return None


def monto_dentro_del_maximo(ctx: Context) -> str | None:
    monto, maximo = ctx.decimal("postulacion.monto_solicitado"), ctx.call.seleccion.monto_maximo
    if monto is None or not monto.is_finite() or monto <= 0 or monto > maximo:
        return f"monto_solicitado {ctx.get('postulacion.monto_solicitado')} fuera de (0, {maximo}]"
    return None


def un_concepto_por_coordinador(ctx: Context) -> str | None:
    """Within a call: the coordinator's DNI may appear in one proposal only (one entity may win several).
    Both proposals are flagged; one that left the call no longer counts."""
    dni = ctx.need("coordinador.dni", "el DNI del coordinador")
    otros = [c for c, estado in ctx.convocatoria.same_coordinator(dni)
             if c != ctx.codigo and estado not in RETIRADAS] if ctx.convocatoria else []
    if otros:
        return (f"el coordinador (DNI {dni}) ya postuló con {otros[0]}; un concepto patentable por coordinador")
    return None


def entidad_de_tipo_elegible(ctx: Context) -> str | None:
    tipo = ctx.get("entidad.tipo")
    if tipo in ctx.call.elegibilidad.tipos_excluidos:
        return f"los centros internacionales están excluidos (tipo de entidad = {tipo})"
    if tipo not in ctx.call.elegibilidad.tipos_entidad:
        permitidos = ", ".join(ctx.call.elegibilidad.tipos_entidad)
        return f"tipo de entidad no elegible: {tipo} (permitidos: {permitidos})"
    return None



REGIMEN_DEL_TIPO = {
    "universidad": ("publica", "universidad_asociativa", "universidad_societaria"),
    "institucion_publica": ("publica",),
    "instituto_investigacion_privado": ("privada_sin_fines_de_lucro", "privada_con_fines_de_lucro"),
    "instituto_educacion_superior": ("publica", "privada_sin_fines_de_lucro", "privada_con_fines_de_lucro"),
    "cite": ("publica", "privada_sin_fines_de_lucro"),
    "empresa": ("privada_con_fines_de_lucro",),
}
"""Bases §2.2.1 names each kind of entity with its régimen («instituciones públicas», «institutos … de
investigación … privados», «empresas», universities public or private under Ley 30220 art. 115):
the régimen decides the carta fianza and the counterpart, so the one recorded must be one the entity's
type can have. A type not listed (excluded ones) is judged by `entidad_de_tipo_elegible`."""


def regimen_del_tipo(ctx: Context) -> str | None:
    tipo, regimen = ctx.get("entidad.tipo"), ctx.get("entidad.regimen")
    posibles = REGIMEN_DEL_TIPO.get(tipo)
    if posibles and regimen not in posibles:
        return (f"una entidad de tipo {tipo} no puede ser de régimen {regimen} (posibles: {', '.join(posibles)}): "
                "el régimen decide la carta fianza y la contrapartida")
    return None


def ruc_valido(ctx: Context) -> str | None:
    numero = ctx.need("entidad.ruc", "el RUC de la entidad")
    if not ruc.is_valid(numero):
        return f"RUC inválido: {numero} (11 dígitos con dígito verificador)"
    return None


REGLAS_POSTULAR: tuple[Rule, ...] = (
    Rule("Bases §3.4", "enviada antes del cierre de la convocatoria", enviada_antes_del_cierre),
    Rule("Bases §2.3.1", "monto dentro del máximo por concepto", monto_dentro_del_maximo),
    Rule("Bases §3.1.2", "un concepto patentable por coordinador", un_concepto_por_coordinador),
    Rule("Bases §2.2.1", "tipo de entidad elegible", entidad_de_tipo_elegible),
    Rule("Bases §2.2.1", "régimen coherente con el tipo de entidad", regimen_del_tipo),
    Rule("Bases §2.2.1", "RUC de 11 dígitos con dígito verificador válido", ruc_valido),
)
