"""Execution, closing and the ways out: Bases §1.3, §2.2.1, §2.3.1; Guía §2.4, §3.2–§3.6, Cap. IV;
Contrato cl. 9–11; Bases, Disposición final segunda."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from states.calendar import add_months
from states.context import Context
from states.definition import Field, Rule
from states.rules import money
from states.rules.contrato import PARTIDAS, PUBLICAS, budget_problems

CENT = Decimal("0.01")


# --- Start-up and Plan Operativo (Guía §3.2.1, §3.2.2, §4.4.15) -----------------------------

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
    if fuera:
        return f"hitos fuera del periodo de ejecución ({inicio} a {fin}): {', '.join(fuera)}"
    if max(hitos) != fin:
        return f"el último hito ({max(hitos).isoformat()}) debe coincidir con el fin de la ejecución ({fin})"
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


def hitos_del_po(ctx: Context) -> dict[str, Any]:
    indicadores = [int(p) for p in str(ctx.get("po.indicadores")).split(";") if p.strip()]
    return {"hitos": {str(i + 1): {"fecha": f, "indicadores": indicadores[i], "estado": "programado"}
                      for i, f in enumerate(ctx.get("po.hitos"))}}


# --- Monitoring visits (Guía §3.2.3) --------------------------------------------------------

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


# --- Project extension (Guía §3.6, P7) -------------------------------------------------------

def solicitada_con_anticipacion(ctx: Context) -> str | None:
    """P7 read from the ledger: the request is timely while P7 is open and not past its day."""
    fin, dias = ctx.date("ejecucion.fin"), ctx.call.seguimiento.dias_minimos_ampliacion
    if fin is None:
        return "el caso no tiene registrado el periodo de ejecución (desembolsar)"
    p7 = ctx.plazo("P7")
    if p7 is None:
        return "P7: no hay plazo abierto para solicitar la ampliación del proyecto"
    limite = p7["vence"]
    if ctx.fecha > limite:
        return (f"la ampliación debe solicitarse al menos {dias} días calendario antes del fin de la ejecución "
                f"({fin.isoformat()}): a más tardar el {limite.isoformat()}; solicitada el {ctx.fecha.isoformat()}")
    return None


def ampliacion_solicitada(ctx: Context) -> str | None:
    if not ctx.get("ampliacion.solicitada") or ctx.get("ampliacion.aprobada"):
        return "no hay una solicitud de ampliación pendiente (solicitar_ampliacion)"
    return None


def nuevo_po_para_la_ampliacion(ctx: Context) -> str | None:
    nuevo = ctx.datos.get("nuevo_fin")
    if not nuevo:
        return None
    if int(ctx.get("po.version") or 0) <= int(ctx.get("ampliacion.po_version") or 0):
        return "la ampliación requiere una nueva versión del Plan Operativo (registrar_po)"
    if max(ctx.get("po.hitos")) != nuevo:
        return f"el último hito del PO vigente ({max(ctx.get('po.hitos'))}) debe coincidir con el nuevo fin ({nuevo})"
    return None


def nuevo_fin_posterior(ctx: Context) -> str | None:
    nuevo, fin = ctx.datos.get("nuevo_fin"), ctx.get("ejecucion.fin")
    if nuevo and nuevo <= fin:
        return f"el nuevo fin ({nuevo}) debe ser posterior al actual ({fin})"
    return None


def fianza_cubre_nuevo_fin(ctx: Context) -> str | None:
    nuevo = ctx.datos.get("nuevo_fin")
    if not nuevo or ctx.get("entidad.regimen") in PUBLICAS:
        return None
    vence = ctx.get("fianza.vencimiento")
    if not vence or vence < nuevo:
        return f"la carta fianza vence el {vence} y debe renovarse hasta el nuevo fin ({nuevo}) (registrar_fianza)"
    return None


def solicitud(ctx: Context) -> dict[str, Any]:
    return {"solicitada": ctx.fecha.isoformat(), "po_version": ctx.get("po.version"), "aprobada": None}


def aprobacion(ctx: Context) -> dict[str, Any]:
    return {"aprobada": ctx.fecha.isoformat()}


def ampliar_fin(ctx: Context) -> dict[str, Any]:
    """The new end and the current PO's dates for every milestone not yet presented."""
    hitos = ctx.get("hitos") or {}
    fechas = ctx.get("po.hitos")
    nuevos = {n: {"fecha": fechas[int(n) - 1]} for n, h in hitos.items()
              if h["estado"] in ("programado", "ampliado") and int(n) <= len(fechas)}
    return {"ejecucion": {"fin": ctx.datos["nuevo_fin"], "fin_original": ctx.get("ejecucion.fin_original")
                          or ctx.get("ejecucion.fin")}, "hitos": nuevos}


# --- Expenses and reallocation (Guía §2.4, §3.3.2, §3.4) -------------------------------------

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


def reasignacion_dentro_del_limite(ctx: Context) -> list[str] | str | None:
    de, a, monto = ctx.datos.get("de_partida"), ctx.datos.get("a_partida"), ctx.datos.get("monto")
    if not (de and a and monto is not None):
        return None
    if de == a:
        return "dentro de una misma partida la reasignación es libre: no requiere aprobación"
    monto = Decimal(monto)
    destino = ctx.decimal(f"presupuesto.{a}") or Decimal(0)
    limite = destino * ctx.call.presupuesto.reasignacion_maxima
    problems = []
    if monto > limite:
        problems.append(f"Guía §3.4: {money(monto)} supera el {ctx.call.presupuesto.reasignacion_maxima:.0%} "
                        f"de la partida de destino {a} ({money(destino)} → máximo {money(limite)})")
    saldo = (ctx.decimal(f"presupuesto.{de}") or Decimal(0)) - gastado(ctx.get("gastos"), de)
    if monto > saldo:
        problems.append(f"Guía §3.4: la partida {de} solo tiene {money(saldo)} sin ejecutar")
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


# --- Final report and closing (Bases §1.3, §2.2.1; Guía §3.3.2, Cap. IV) -----------------

def ejecucion_concluida(ctx: Context) -> str | None:
    fin = ctx.date("ejecucion.fin")
    if fin is None:
        return "el caso no tiene registrado el periodo de ejecución (desembolsar)"
    if ctx.fecha < fin:
        return f"la ejecución termina el {fin.isoformat()} (fecha indicada: {ctx.fecha.isoformat()})"
    return None


def ifr_programado(ctx: Context) -> dict[str, Any]:
    return {"ifr": {"estado": "programado", "fin_ejecucion": ctx.get("ejecucion.fin")}}


def hitos_cerrados(ctx: Context) -> str | None:
    abiertos = [f"hito {n} ({h['estado']})" for n, h in sorted((ctx.get("hitos") or {}).items(), key=lambda kv: int(kv[0]))
                if h["estado"] != "fisico_recibido"]
    return f"ITF sin aprobar o sin físico recibido: {', '.join(abiertos)}" if abiertos else None


def ifr_cerrado(ctx: Context) -> str | None:
    estado = ctx.get("ifr.estado")
    return None if estado == "fisico_recibido" else f"el IFR está '{estado}': debe estar aprobado y recibido en físico"


def resultados_esperados(ctx: Context) -> str | None:
    faltan = []
    if not (ctx.get("resultados.pct_numero") and ctx.get("resultados.pct_fecha")):
        faltan.append("solicitud PCT (número y fecha de presentación)")
    if not ctx.get("resultados.plan_uso_tecnologia"):
        faltan.append("plan de uso de la tecnología")
    tipo, carta = ctx.get("resultados.aliado_tipo"), ctx.get("resultados.aliado_carta")
    if not ctx.get("resultados.aliado"):
        faltan.append("aliado clave con su carta")
    elif (tipo, carta) not in (("externo", "intencion"), ("interno", "compromiso")):
        faltan.append(f"el aliado {tipo} requiere carta de {'intención' if tipo == 'externo' else 'compromiso'} "
                      f"(registrada: {carta})")
    return "faltan resultados esperados: " + "; ".join(faltan) if faltan else None


def compromisos_del_coordinador(ctx: Context) -> str | None:
    faltan = []
    for clave, que in (("reuniones_firma", "reunión con el proveedor para firmar documentos"),
                       ("reuniones_documento", "reuniones para perfeccionar el documento técnico"),
                       ("reuniones_estrategia", "reunión sobre la estrategia de presentación internacional")):
        minimo = getattr(ctx.call.compromisos, clave)
        hechas = int(ctx.get(f"resultados.{clave}") or 0)
        if hechas < minimo:
            faltan.append(f"{que}: {hechas} de {minimo}")
    for clave, que in (("copia_solicitud_nacional", "copia de lo presentado a INDECOPI"),
                       ("copia_pct", "copia de la solicitud PCT"), ("taller_concytec", "asistencia al taller de CONCYTEC"),
                       ("actas_reuniones", "actas de cada reunión")):
        if ctx.get(f"resultados.{clave}") is not True:
            faltan.append(que)
    return "compromisos del coordinador pendientes: " + "; ".join(faltan) if faltan else None


def saldo_devuelto(ctx: Context) -> str | None:
    saldo = saldo_no_ejecutado(ctx)
    if saldo > 0 and Decimal(ctx.get("devolucion.monto") or 0) != saldo:
        return f"falta devolver el saldo no ejecutado de {money(saldo)} con su comprobante de depósito"
    return None


def cierre(ctx: Context) -> dict[str, Any]:
    privada = ctx.get("entidad.regimen") not in PUBLICAS
    return {"fecha": ctx.fecha.isoformat(), "fianza_liberada": privada,
            "conservar_documentos_hasta": add_months(ctx.fecha, ctx.call.seguimiento.meses_conservacion_documentos)
            .isoformat()}


# --- Ways out (Contrato cl. 9–11; Bases §2.2.1, Disposición final segunda) --------------

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
            "hasta": add_months(ctx.fecha, 12 * anios) if anios else None, "motivo": motivo, "fuente": fuente,
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


REGLAS_REGISTRAR_PO = (
    Rule("Guía §4.4.15", "versiones del PO en orden", version_siguiente, sobre_datos=True),
    Rule("Guía §3.2.2", "indicadores programados por hito", indicadores_por_hito, sobre_datos=True),
)
REGLAS_PO = (
    Rule("Guía §3.2.2", "reunión de negociación realizada con el coordinador", negociacion_realizada),
    Rule("Guía §3.2.2", "Plan Operativo registrado", po_registrado),
    Rule("Guía §3.2.2, §3.3.1", "hitos dentro del periodo de ejecución, el último en su fin", hitos_dentro_del_periodo),
)
REGLAS_SOLICITAR_AMPLIACION = (
    Rule("Guía §3.6", "solicitud al menos {seguimiento.dias_minimos_ampliacion} días calendario antes del fin",
         solicitada_con_anticipacion),
)
REGLAS_APROBAR_AMPLIACION = (
    Rule("Guía §3.6", "solicitud de ampliación pendiente", ampliacion_solicitada),
    Rule("Guía §3.6", "el nuevo fin es posterior al actual", nuevo_fin_posterior, sobre_datos=True),
    Rule("Guía §3.6", "nueva versión del PO que termina en el nuevo fin", nuevo_po_para_la_ampliacion, sobre_datos=True),
    Rule("Guía §3.6; Contrato cl. 11", "carta fianza renovada hasta el nuevo fin", fianza_cubre_nuevo_fin,
         sobre_datos=True),
)
REGLAS_GASTO = (
    Rule("Guía §2.4, §3.3.2", "comprobante entre la firma y el fin de la ejecución", comprobante_en_periodo,
         sobre_datos=True),
    Rule("Guía §3.4", "gasto dentro del saldo de la partida", partida_con_saldo, sobre_datos=True),
)
REGLAS_REASIGNAR = (
    Rule("Guía §3.4", "reasignación entre partidas", reasignacion_dentro_del_limite, sobre_datos=True),
)
REGLAS_DEVOLUCION = (
    Rule("Bases §2.3.3; Guía §3.4", "devolución del saldo no ejecutado", devolucion_exacta, sobre_datos=True),
)
REGLAS_TERMINAR = (
    Rule("Bases §2.3.1", "la ejecución llegó a su fin", ejecucion_concluida),
)
REGLAS_CERRAR = (
    Rule("Guía §3.3.2", "todos los ITF aprobados y recibidos en físico", hitos_cerrados),
    Rule("Guía §3.3.2", "IFR aprobado y recibido en físico", ifr_cerrado),
    Rule("Bases §1.3", "resultados esperados acreditados", resultados_esperados),
    Rule("Bases §2.2.1", "compromisos del coordinador cumplidos", compromisos_del_coordinador),
    Rule("Guía §3.4", "saldo no ejecutado devuelto", saldo_devuelto),
)
REGLAS_RESOLVER = (
    Rule("Contrato cl. 9; Guía §4.3", "incumplimiento tras informe de la USM", incumplimiento_con_informe,
         sobre_datos=True),
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
CAMPOS_SOLICITAR_AMPLIACION = (Field("justificacion", "texto", "justificación de la ampliación"),)
CAMPOS_APROBAR_AMPLIACION = (
    Field("informe_monitor", "texto", "informe del monitor"),
    Field("adenda_numero", "texto", "número de la adenda"),
    Field("adenda_fecha", "fecha", "fecha de la adenda"),
    Field("nuevo_fin", "fecha", "nuevo fin de la ejecución"),
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
CAMPOS_RESULTADOS = (
    Field("pct_numero", "texto", "número de la solicitud PCT", requerido=False),
    Field("pct_fecha", "fecha", "fecha de presentación PCT", requerido=False),
    Field("solicitud_nacional", "texto", "solicitud nacional ante INDECOPI (opcional)", requerido=False),
    Field("plan_uso_tecnologia", "texto", "plan de uso de la tecnología (documento)", requerido=False),
    Field("aliado", "texto", "aliado clave", requerido=False),
    Field("aliado_tipo", "opcion", "aliado", opciones=("externo", "interno"), requerido=False),
    Field("aliado_carta", "opcion", "carta", opciones=("intencion", "compromiso"), requerido=False),
    Field("reuniones_firma", "entero", "reuniones con el proveedor para firmar documentos", requerido=False),
    Field("reuniones_documento", "entero", "reuniones para perfeccionar el documento técnico", requerido=False),
    Field("reuniones_estrategia", "entero", "reuniones sobre la estrategia internacional", requerido=False),
    Field("copia_solicitud_nacional", "booleano", "copia de lo presentado a INDECOPI", requerido=False),
    Field("copia_pct", "booleano", "copia de la solicitud PCT", requerido=False),
    Field("taller_concytec", "booleano", "asistió al taller de CONCYTEC", requerido=False),
    Field("actas_reuniones", "booleano", "actas de cada reunión con avances y acuerdos", requerido=False),
    Field("vinculaciones", "entero", "indicador: vinculaciones con entidades", requerido=False),
    Field("patentes_solicitadas", "entero", "indicador: patentes solicitadas", requerido=False),
)
CAMPOS_CERRAR = (
    Field("rifr", "texto", "número del informe final (RIFR) de la USM"),
    Field("oficio", "texto", "oficio de cierre"),
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
