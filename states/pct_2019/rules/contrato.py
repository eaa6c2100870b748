"""IP provider, budget, contract signing and disbursement: Bases §2.3.1–§2.3.3, §4.3; Contrato cl. 6, 11."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from stdnum.pe import ruc as stdnum_ruc

from states.calendar import add_months
from states.context import Context
from states.definition import Field, Rule, Unproven
from states.pct_2019.rules import fact_is, money
from states.plural import cuantos

PUBLICAS = {"publica"}
SIN_FINES = {"publica", "privada_sin_fines_de_lucro", "universidad_asociativa"}
REGIMENES = ("publica", "privada_sin_fines_de_lucro", "universidad_asociativa",
             "privada_con_fines_de_lucro", "universidad_societaria")
PARTIDAS = ("servicios_tecnologicos", "pasajes", "viaticos", "seguro")


def _years_before(d: date, years: int) -> date:
    return add_months(d, -12 * years)


# --- IP provider (Bases §2.3.2.2) -----------------------------------------------------------

def ruc_del_proveedor_valido(ctx: Context) -> str | None:
    ruc = ctx.get("proveedor.ruc")
    if ruc and not stdnum_ruc.is_valid(ruc):
        return f"RUC del proveedor inválido: {ruc}"
    return None


def proveedor_con_antiguedad(ctx: Context) -> str | None:
    fundado, cierre = ctx.date("proveedor.fecha_constitucion"), ctx.call.convocatoria.cierre.date()
    anios = ctx.call.proveedor.anios_antiguedad
    if fundado is None:
        return "falta la fecha de constitución del proveedor"
    if fundado > _years_before(cierre, anios):
        return (f"el proveedor debe tener al menos {anios} años al cierre ({cierre.isoformat()}); "
                f"se constituyó el {fundado.isoformat()}")
    return None


def proveedor_con_solicitudes_pct(ctx: Context) -> str | None:
    cierre = ctx.call.convocatoria.cierre.date()
    p = ctx.call.proveedor
    desde = _years_before(cierre, p.anios_ventana_pct)
    validas = [d for d in ctx.dates("proveedor.solicitudes_pct") if desde <= d <= cierre]
    if len(validas) < p.solicitudes_pct_minimas:
        return (f"se requieren al menos {p.solicitudes_pct_minimas} solicitudes PCT ante INDECOPI entre "
                f"el {desde.isoformat()} y el {cierre.isoformat()}; acreditadas en ese periodo: {len(validas)}")
    return None


def experto_de_ciencia_o_ingenieria(ctx: Context) -> str | None:
    grado = ctx.get("proveedor.experto_grado")
    if grado not in ("ciencias", "ingenieria"):
        return f"el experto debe ser bachiller en ciencias o ingeniería (grado = {grado})"
    return None


def experto_con_experiencia(ctx: Context) -> str | None:
    anios = ctx.decimal("proveedor.experto_anios_experiencia")
    minimo = ctx.call.proveedor.anios_experiencia_experto
    if anios is None or anios < minimo:
        return f"el experto necesita al menos {cuantos(minimo, 'año')} en análisis de patentabilidad y redacción (tiene {anios})"
    return None


def proveedor_aprobado(ctx: Context) -> str | None:
    if ctx.get("proveedor.aprobado") is not True:
        return "falta la aprobación del proveedor de PI por la UES"
    return None


REGLAS_PROVEEDOR_DATOS: tuple[Rule, ...] = (
    Rule("Bases §2.3.2.2", "RUC del proveedor válido", ruc_del_proveedor_valido, sobre_datos=True),
)

REGLAS_APROBAR_PROVEEDOR: tuple[Rule, ...] = (
    fact_is("proveedor.ruc_activo_habido", True, "Bases §2.3.2.2", "RUC del proveedor activo y habido"),
    Rule("Bases §2.3.2.2", "al menos {proveedor.anios_antiguedad} años de antigüedad al cierre", proveedor_con_antiguedad),
    Rule("Bases §2.3.2.2", "al menos {proveedor.solicitudes_pct_minimas} solicitudes PCT en los "
         "{proveedor.anios_ventana_pct} años previos al cierre", proveedor_con_solicitudes_pct),
    Rule("Bases §2.3.2.2", "experto bachiller en ciencias o ingeniería", experto_de_ciencia_o_ingenieria),
    Rule("Bases §2.3.2.2", "experto con {proveedor.anios_experiencia_experto} año(s) de experiencia", experto_con_experiencia),
    fact_is("proveedor.mismo_grupo_economico", False, "Bases §2.3.2.2",
            "el proveedor no pertenece al grupo económico de la entidad"),
    fact_is("proveedor.matriz_o_subsidiaria", False, "Bases §2.3.2.2",
            "el proveedor no es matriz ni subsidiaria de la entidad"),
    fact_is("proveedor.representante_vinculado", False, "Bases §2.3.2.2",
            "el representante del proveedor no está vinculado a la entidad (órganos, socios, parientes)"),
)

CAMPOS_PROVEEDOR: tuple[Field, ...] = (
    Field("ruc", "ruc", "RUC del proveedor de PI"),
    Field("razon_social", "texto", "razón social"),
    Field("ciudad", "texto", "ciudad del proveedor"),
    Field("fecha_constitucion", "fecha", "fecha de constitución"),
    Field("ruc_activo_habido", "booleano", "RUC activo y habido"),
    Field("solicitudes_pct", "fechas", "fechas de las solicitudes PCT ante INDECOPI (AAAA-MM-DD;…)"),
    Field("experto_nombre", "texto", "experto en patentes"),
    Field("experto_grado", "opcion", "bachiller en", opciones=("ciencias", "ingenieria", "otro")),
    Field("experto_anios_experiencia", "decimal", "años de experiencia en patentabilidad y redacción"),
    Field("mismo_grupo_economico", "booleano", "pertenece al grupo económico de la entidad"),
    Field("matriz_o_subsidiaria", "booleano", "es matriz o subsidiaria de la entidad"),
    Field("representante_vinculado", "booleano", "su representante está vinculado a la entidad"),
)


# --- Budget (Bases §2.3.2, §2.3.3; Guía §3.4) -----------------------------------------------

def _d(ctx: Context, partida: str) -> Decimal:
    return ctx.decimal(f"presupuesto.{partida}") or Decimal(0)


def _viaje_problems(ctx: Context, viaje: Decimal) -> list[str]:
    """Bases §2.3.2.1: travel only when the entity *and* the coordinator are away from the city of
    the IP provider (Lima, where most are): both places are read, a Lima entity included."""
    entidad, prov = ctx.get("entidad.ciudad"), ctx.get("proveedor.ciudad")
    coordinador = ctx.get("presupuesto.ciudad_coordinador") or ctx.get("coordinador.ciudad")
    faltan = [que for que, valor in (("la ciudad del coordinador (ciudad_coordinador)", coordinador),
                                    ("la ciudad del proveedor de PI (registrar_proveedor)", prov)) if not valor]
    if faltan:
        return [Unproven(f"Bases §2.3.2.1: pasajes y viáticos presupuestados ({money(viaje)}): falta registrar "
                         + " y ".join(faltan))]
    en_la_ciudad = [quien for quien, ciudad in (("la entidad", entidad), ("el coordinador", coordinador))
                    if _misma(ciudad, prov)]
    if en_la_ciudad:
        return [f"Bases §2.3.2.1: pasajes y viáticos solo si la entidad y el coordinador están fuera de la ciudad "
                f"del proveedor de PI ({prov}); {' y '.join(en_la_ciudad)} está{'n' if len(en_la_ciudad) > 1 else ''} "
                f"en {prov} (entidad en {entidad}, coordinador en {coordinador}); presupuestado {money(viaje)}"]
    return []


def _misma(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.strip().casefold() == b.strip().casefold()


def budget_problems(ctx: Context) -> list[str]:
    """Every violation of the caps and counterpart shares, each with the amount that exceeds."""
    if ctx.get("presupuesto") is None:
        return ["Bases §2.3.2: presupuesto no registrado"]
    pr, sel = ctx.call.presupuesto, ctx.call.seleccion
    out: list[str] = []
    fondecyt = sum((_d(ctx, p) for p in PARTIDAS), Decimal(0))
    if fondecyt > sel.monto_maximo:
        out.append(f"Bases §2.3.1: financiamiento FONDECYT {money(fondecyt)} supera el máximo "
                   f"{money(sel.monto_maximo)} en {money(fondecyt - sel.monto_maximo)}")
    viaje = _d(ctx, "pasajes") + _d(ctx, "viaticos")
    if viaje:
        out += _viaje_problems(ctx, viaje)
    con_seguro = viaje + _d(ctx, "seguro")  # «Hasta S/ 3 000.00 soles en total»: a), b) and c) of §2.3.2.1
    if con_seguro > pr.tope_pasajes_viaticos:
        out.append(f"Bases §2.3.2.1: pasajes, viáticos y seguro de viaje {money(con_seguro)} superan el tope "
                   f"{money(pr.tope_pasajes_viaticos)} en total en {money(con_seguro - pr.tope_pasajes_viaticos)}")
    viaticos, dias = _d(ctx, "viaticos"), int(ctx.get("presupuesto.viaticos_dias") or 0)
    if dias > pr.dias_maximos_estancia:
        out.append(f"Bases §2.3.3: estancias menores de {pr.dias_maximos_estancia + 1} días calendario "
                   f"(presupuestadas: {dias})")
    if viaticos > pr.tope_viatico_diario * dias:
        tope = pr.tope_viatico_diario * dias
        out.append(f"Bases §2.3.3: viáticos {money(viaticos)} superan {money(pr.tope_viatico_diario)} × {dias} "
                   f"días = {money(tope)} en {money(viaticos - tope)}")
    if _d(ctx, "seguro") > pr.tope_seguro:
        out.append(f"Bases §2.3.3: seguro de viaje {money(_d(ctx, 'seguro'))} supera {money(pr.tope_seguro)} "
                   f"en {money(_d(ctx, 'seguro') - pr.tope_seguro)}")
    regimen_entidad = ctx.get("entidad.regimen")
    regimen = pr.regimen["sin_fines_de_lucro" if regimen_entidad in SIN_FINES else "con_fines_de_lucro"]
    monetaria, no_monetaria = _d(ctx, "contrapartida_monetaria"), _d(ctx, "contrapartida_no_monetaria")
    total = fondecyt + monetaria + no_monetaria
    if total:
        for nombre, monto, limite, es_tope in (
            ("financiamiento FONDECYT", fondecyt, regimen.tope_fondecyt, True),
            ("contrapartida monetaria", monetaria, regimen.contrapartida_monetaria_minima, False),
            ("contrapartida no monetaria", no_monetaria, regimen.contrapartida_no_monetaria_minima, False),
        ):
            frontera = total * limite
            if (monto > frontera) if es_tope else (monto < frontera):
                palabra = "supera el máximo" if es_tope else "no alcanza el mínimo"
                out.append(f"Bases §2.3.2: {nombre} {money(monto)} {palabra} de {limite:.0%} del costo total "
                           f"({money(frontera)}; entidad {regimen_entidad}), diferencia {money(abs(monto - frontera))}")
    return out


def presupuesto_dentro_de_topes(ctx: Context) -> list[str]:
    return budget_problems(ctx)


CAMPOS_PRESUPUESTO: tuple[Field, ...] = (
    Field("servicios_tecnologicos", "decimal", "servicios tecnológicos (contrato con el proveedor de PI)"),
    Field("pasajes", "decimal", "pasajes", requerido=False),
    Field("viaticos", "decimal", "viáticos", requerido=False),
    Field("viaticos_dias", "entero", "días de estancia cubiertos por viáticos", requerido=False),
    Field("seguro", "decimal", "seguro de viaje", requerido=False),
    Field("contrapartida_monetaria", "decimal", "contrapartida monetaria de la entidad"),
    Field("contrapartida_no_monetaria", "decimal", "contrapartida no monetaria (tiempo del coordinador)"),
    Field("ciudad_coordinador", "texto", "ciudad donde está el coordinador (si se presupuestan pasajes)",
          requerido=False),
)


REGLAS_PRESUPUESTO: tuple[Rule, ...] = (
    Rule("Bases §2.3.2, §2.3.3", "presupuesto dentro de los topes", presupuesto_dentro_de_topes, sobre_datos=True),
)


# --- Contract and disbursement (Bases §4.3; Contrato cl. 6, 11) ------------------------------

def vigencia(ctx: Context) -> dict[str, object]:
    """Contrato cl. 4: in force from the day after signing."""
    from datetime import timedelta

    return {"fecha": ctx.fecha.isoformat(), "vigente_desde": (ctx.fecha + timedelta(days=1)).isoformat()}


REGLAS_FIRMA: tuple[Rule, ...] = (
    Rule("Bases §4.3; §2.3.2", "proveedor de PI aprobado por la UES", proveedor_aprobado),
    Rule("Bases §2.3.2, §2.3.3", "presupuesto dentro de los topes", presupuesto_dentro_de_topes),
)

CAMPOS_FIRMA: tuple[Field, ...] = (
    Field("numero", "texto", "número de contrato"),
    Field("domicilio", "texto", "domicilio de la entidad para las comunicaciones (Contrato cl. 12)", requerido=False),
    Field("firma_representante_legal", "texto", "nombre del representante legal que firma"),
    Field("firma_coordinador", "texto", "nombre del coordinador que firma"),
    Field("firma_director_ejecutivo", "texto", "nombre del director ejecutivo que firma"),
)


CAMPOS_DOMICILIO: tuple[Field, ...] = (
    Field("direccion", "texto", "domicilio comunicado por escrito por la entidad (Contrato cl. 12)"),
    Field("documento", "texto", "carta u oficio en que lo comunicó", requerido=False),
)

CAMPOS_CARGO: tuple[Field, ...] = (
    Field("carta", "entero", "número de mensaje de la carta (convoca cartas)"),
    Field("plazo", "texto", "plazo del que trata la carta, como lo muestra `convoca cartas` (p. ej. P5/1): su "
          "plazo de respuesta corre desde la entrega", requerido=False),
    Field("notario", "texto", "notaría o mensajería que la entregó", requerido=False),
    Field("cargo", "texto", "número del cargo de entrega"),
)


def plazo_del_cargo(ctx: Context) -> dict | None:
    """The ledger row a delivered letter is about: `P5/1` is P5 of milestone 1, `P8` has none."""
    tipo, _, hito = str(ctx.datos.get("plazo") or "").partition("/")
    rows = [r for r in ctx.plazos or [] if r["tipo"] == tipo and (r["hito"] or "") == hito]
    return rows[-1] if rows else None


def carta_enviada(ctx: Context) -> str | None:
    if not ctx.datos.get("plazo"):
        return None
    row = plazo_del_cargo(ctx)
    if row is None or not row.get("escalamiento"):
        return (f"el plazo {ctx.datos['plazo']} no tiene una carta en curso (vea `convoca cartas`): el cargo "
                "registra la entrega de una carta enviada")
    return None


REGLAS_CARGO: tuple[Rule, ...] = (
    Rule("Guía §3.3.2", "el cargo es de una carta enviada por un plazo vencido", carta_enviada, sobre_datos=True),
)


def cargo(ctx: Context) -> dict[str, object]:
    """The delivery record of a letter: the day it was delivered at the domicile, by whom, its number."""
    return {"cargos": {str(ctx.datos["carta"]): {**ctx.datos, "fecha": ctx.fecha.isoformat()}}}


def cci_valido(ctx: Context) -> str | None:
    cci, n = str(ctx.get("cuenta.cci") or ""), ctx.call.contrato.digitos_cci
    if not cci:
        return "faltan los datos bancarios (banco, cuenta, CCI)"
    if len(cci) != n or not cci.isdigit():
        return f"el CCI debe tener {n} dígitos (tiene {len(cci)}: {cci})"
    return None


def financiamiento_aprobado(ctx: Context) -> Decimal:
    return sum((ctx.decimal(f"presupuesto.{p}") or Decimal(0) for p in PARTIDAS), Decimal(0))


def fin_de_ejecucion(ctx: Context) -> date:
    return ctx.add_months(ctx.fecha, ctx.call.contrato.meses_ejecucion)


def fianza_problems(ctx: Context, fin: date) -> list[str]:
    """What keeps a carta fianza (the first or a renewal) from guaranteeing the contract: the same
    conditions every time (Bases §4.3; Contrato cl. 11), so a renewal cannot lower any of them."""
    porcentaje = ctx.call.contrato.fianza_porcentaje
    financiado = ctx.decimal("ejecucion.monto_desembolsado") or financiamiento_aprobado(ctx)
    minimo = financiado * porcentaje
    monto = ctx.decimal("fianza.monto") or Decimal(0)
    problems = []
    if monto < minimo:
        problems.append(f"monto {money(monto)} menor que el {porcentaje:.0%} del financiamiento ({money(minimo)})")
    if ctx.get("fianza.beneficiario_ruc") != ctx.call.contrato.fondecyt_ruc:
        problems.append(f"debe estar a favor de FONDECYT (RUC {ctx.call.contrato.fondecyt_ruc}; "
                        f"registrada a favor de {ctx.get('fianza.beneficiario_ruc')})")
    if ctx.get("fianza.emisor_supervisado_sbs") is not True:
        problems.append(f"el emisor ({ctx.get('fianza.emisor')}) debe estar supervisado por la SBS "
                        "o ser un banco extranjero de primera categoría del BCRP")
    emision, vence = ctx.date("fianza.emision"), ctx.date("fianza.vencimiento")
    if emision and emision > ctx.fecha:
        problems.append(f"emitida el {emision.isoformat()}, después de la fecha del acto ({ctx.fecha.isoformat()})")
    if vence is None or vence < fin:
        problems.append(f"vence el {vence.isoformat() if vence else '(sin fecha)'} y debe cubrir la ejecución "
                        f"hasta el {fin.isoformat()}")
    return problems


def fin_a_cubrir(ctx: Context) -> date:
    """The end a carta fianza must reach: the execution's end once disbursed (as extended), or, before
    the disbursement, the earliest end a disbursement today would give."""
    return ctx.date("ejecucion.fin") or fin_de_ejecucion(ctx)


def fianza_valida(ctx: Context) -> str | None:
    problems = fianza_problems(ctx, fin_a_cubrir(ctx))
    return ("la carta fianza no se registra (sigue vigente la anterior, si la hay): " + "; ".join(problems)
            if problems else None)


def fianza_si_es_privada(ctx: Context) -> str | None:
    if ctx.get("entidad.regimen") in PUBLICAS:
        return None
    if ctx.get("fianza") is None:
        return "una entidad privada debe presentar carta fianza antes del desembolso"
    problems = fianza_problems(ctx, fin_de_ejecucion(ctx))
    return "carta fianza: " + "; ".join(problems) if problems else None


REGLAS_FIANZA: tuple[Rule, ...] = (
    Rule("Bases §4.3; Contrato cl. 11", "cada carta fianza, la primera y cada renovación: monto del "
         "{contrato.fianza_porcentaje:.0%}, emisor supervisado, a favor de FONDECYT, vigente hasta el fin",
         fianza_valida, sobre_datos=True),
)


REGLAS_CUENTA: tuple[Rule, ...] = (
    Rule("Bases §4.3", "CCI de {contrato.digitos_cci} dígitos", cci_valido, sobre_datos=True),
)

REGLAS_DESEMBOLSO: tuple[Rule, ...] = (
    Rule("Bases §4.3; Contrato cl. 6", "datos bancarios con CCI", cci_valido),
    Rule("Bases §4.3; Contrato cl. 11", "carta fianza del {contrato.fianza_porcentaje:.0%} vigente durante la ejecución (privadas)",
         fianza_si_es_privada),
)

CAMPOS_CUENTA: tuple[Field, ...] = (
    Field("banco", "texto", "banco"),
    Field("numero", "texto", "número de cuenta"),
    Field("cci", "texto", "código de cuenta interbancario ({contrato.digitos_cci} dígitos)"),
)

CAMPOS_FIANZA: tuple[Field, ...] = (
    Field("emisor", "texto", "entidad que emite la carta fianza"),
    Field("emisor_supervisado_sbs", "booleano", "supervisada por la SBS o banco extranjero de primera categoría"),
    Field("beneficiario_ruc", "texto", "RUC del beneficiario (FONDECYT)"),
    Field("numero", "texto", "número de la carta fianza"),
    Field("monto", "decimal", "monto en soles"),
    Field("emision", "fecha", "fecha de emisión"),
    Field("vencimiento", "fecha", "fecha de vencimiento"),
)


def periodo_de_ejecucion(ctx: Context) -> dict[str, object]:
    return {"inicio": ctx.fecha.isoformat(), "fin": fin_de_ejecucion(ctx).isoformat(),
            "monto_desembolsado": str(financiamiento_aprobado(ctx))}
