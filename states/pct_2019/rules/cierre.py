"""The final report and the closing: Bases §1.3, §2.2.1; Guía §3.3.2, Cap. IV."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from states.context import Context
from states.definition import Field, Rule
from states.pct_2019.rules import money
from states.pct_2019.rules.contrato import PUBLICAS
from states.pct_2019.rules.gastos import saldo_no_ejecutado
from states.pct_2019.rules.seguimiento import sin_cumplir
from states.plural import cuantos


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


def pct_del_proyecto(ctx: Context) -> str | None:
    """The PCT application is the project's result only if the project filed it: not before the
    contract that finances it came into force (Bases §1.3, the expected results of *this* project)."""
    dato = ctx.datos.get("pct_fecha")
    fecha = date.fromisoformat(dato) if dato else ctx.date("resultados.pct_fecha")
    desde = ctx.date("contrato.vigente_desde")
    if fecha and desde and fecha < desde:
        return (f"la solicitud PCT se presentó el {fecha.isoformat()}, antes de que rigiera el contrato "
                f"({desde.isoformat()}): no es un resultado del proyecto")
    return None


def compromisos_del_coordinador(ctx: Context) -> str | None:
    faltan = []
    for clave, que in (("reuniones_firma", "reunión con el proveedor para firmar documentos"),
                       ("reuniones_documento", "reuniones para perfeccionar el documento técnico"),
                       ("reuniones_estrategia", "reunión sobre la estrategia de presentación internacional")):
        minimo = getattr(ctx.call.compromisos, clave)
        hechas = int(ctx.get(f"resultados.{clave}") or 0)
        if hechas < minimo:
            faltan.append(f"{que}: {hechas} de {minimo}")
    nacional = (("copia_solicitud_nacional", "copia de lo presentado a INDECOPI"),) \
        if ctx.get("resultados.solicitud_nacional") else ()  # Bases §1.3: the national filing is optional
    for clave, que in (*nacional, ("copia_pct", "copia de la solicitud PCT"), ("taller_concytec", "asistencia al taller de CONCYTEC"),
                       ("actas_reuniones", "actas de cada reunión")):
        if ctx.get(f"resultados.{clave}") is not True:
            faltan.append(que)
    return "compromisos del coordinador pendientes: " + "; ".join(faltan) if faltan else None


def saldo_devuelto(ctx: Context) -> str | None:
    saldo = saldo_no_ejecutado(ctx)
    if saldo > 0 and Decimal(ctx.get("devolucion.monto") or 0) != saldo:
        return f"falta devolver el saldo no ejecutado de {money(saldo)} con su comprobante de depósito"
    return None


SALIDA = ("si no puede acreditarse, la vía es la resolución del contrato por incumplimiento "
          "(resolver_contrato, con el informe de la USM)")
"""What the Guía offers when a project cannot close as satisfactory (Guía §3.3.2, §4.3)."""


def rifr_satisfactorio(ctx: Context) -> str | None:
    malas = [f"gestión {que} {ctx.get(f'ifr.gestion_{que}')}" for que in ("tecnica", "financiera")
             if ctx.get(f"ifr.gestion_{que}") != "satisfactoria"]
    if malas:
        return (f"el RIFR califica {', '.join(m.replace('_', ' ') for m in malas)}: el proyecto no se cierra como "
                f"satisfactorio; {SALIDA}")
    return None


def _ultimo_hito(ctx: Context) -> tuple[str, dict] | None:
    hitos = ctx.get("hitos") or {}
    return max(hitos.items(), key=lambda kv: int(kv[0])) if hitos else None


def hito_final_aprobado(ctx: Context) -> str | None:
    """A final milestone graded Desaprobado keeps the project from closing as satisfactory, unless it
    was graded so only for indicators that proved impossible and were justified (Guía §3.2.4: «salvo
    en el caso de que sea imposible cumplirlo … la justificación respectiva antes del final del
    proyecto»): then, with a satisfactory RIFR, the project closes. Misuse of funds or a refused visit
    is never justified away."""
    ultimo = _ultimo_hito(ctx)
    solo_indicadores = ultimo and not ultimo[1].get("mal_uso_fondos") and not ultimo[1].get("falta_grave")
    if solo_indicadores and por_justificar(ctx)[1] <= 0:
        return None
    if ultimo and ultimo[1].get("calificacion") == "Desaprobado":
        return (f"el hito final ({ultimo[0]}) está Desaprobado ({ultimo[1].get('motivo_calificacion')}): "
                f"el proyecto no se cierra como satisfactorio; {SALIDA}")
    return None


def justificados(ctx: Context) -> int:
    return sum(int(j["cantidad"]) for j in (ctx.get("justificaciones") or {}).values())


def por_justificar(ctx: Context) -> tuple[dict[str, int], int]:
    deuda = sin_cumplir(ctx.get("hitos") or {})
    return deuda, sum(deuda.values()) - justificados(ctx)


def _con_plazo(ctx: Context, hito: str) -> str:
    plazo = ctx.get(f"hitos.{hito}.plazo_pendientes")
    return f" (plazo fijado por el monitor: {plazo})" if plazo else ""


def indicadores_cumplidos_o_justificados(ctx: Context) -> str | None:
    deuda, faltan = por_justificar(ctx)
    if faltan > 0:
        detalle = ", ".join(f"hito {k}: {v}{_con_plazo(ctx, k)}" for k, v in deuda.items())
        return (f"quedan {cuantos(faltan, 'indicador')} sin cumplir ni justificar ({detalle}); deben cumplirse en un hito "
                f"posterior o justificarse antes del cierre (justificar_indicadores); {SALIDA}")
    return None


def justificacion_posible(ctx: Context) -> str | None:
    cantidad = ctx.datos.get("cantidad")
    if cantidad is None:
        return None
    deuda, faltan = por_justificar(ctx)
    if not 0 < cantidad <= faltan:
        return f"se justifican {cuantos(cantidad, 'indicador')}, pero quedan {max(faltan, 0)} sin cumplir ni justificar"
    return None


def justificacion(ctx: Context) -> dict[str, Any]:
    n = str(len(ctx.get("justificaciones") or {}) + 1)
    return {"justificaciones": {n: {**ctx.datos, "fecha": ctx.fecha.isoformat()}}}


def contrapartida_acreditada(ctx: Context) -> str | None:
    """Guía §3.3.2: the coordinator's time, the non-monetary counterpart, is evidenced milestone by
    milestone with a sworn valuation statement."""
    if not ctx.decimal("presupuesto.contrapartida_no_monetaria"):
        return None
    faltan = [k for k, h in sorted((ctx.get("hitos") or {}).items(), key=lambda kv: int(kv[0]))
              if not h.get("declaracion_contrapartida")]
    if faltan:
        return (f"falta la declaración jurada de valorización de la contrapartida no monetaria del hito "
                f"{', '.join(faltan)} (declaracion_contrapartida en el ITF)")
    return None


def cierre(ctx: Context) -> dict[str, Any]:
    """Closed as satisfactory, with nothing owed (the rules saw to both): the oficio authorises the
    return of a private entity's carta fianza (Contrato cl. 11)."""
    privada = ctx.get("entidad.regimen") not in PUBLICAS
    return {"fecha": ctx.fecha.isoformat(), "fianza_liberada": privada,
            "conservar_documentos_hasta": ctx.add_months(ctx.fecha, ctx.call.seguimiento.meses_conservacion_documentos)
            .isoformat()}


REGLAS_TERMINAR = (
    Rule("Bases §2.3.1", "la ejecución llegó a su fin", ejecucion_concluida),
)


REGLAS_CERRAR = (
    Rule("Guía §3.3.2", "todos los ITF aprobados y recibidos en físico", hitos_cerrados),
    Rule("Guía §3.3.2", "IFR aprobado y recibido en físico", ifr_cerrado),
    Rule("Guía §3.3.2, Cap. IV", "el RIFR califica satisfactoria la gestión técnica y la financiera",
         rifr_satisfactorio),
    Rule("Guía §3.2.4", "el hito final no está desaprobado", hito_final_aprobado),
    Rule("Guía §3.2.4", "indicadores no cumplidos cumplidos después o justificados", indicadores_cumplidos_o_justificados),
    Rule("Guía §3.3.2", "contrapartida no monetaria acreditada en cada hito", contrapartida_acreditada),
    Rule("Bases §1.3", "resultados esperados acreditados", resultados_esperados),
    Rule("Bases §1.3", "la solicitud PCT es del proyecto", pct_del_proyecto),
    Rule("Bases §2.2.1", "compromisos del coordinador cumplidos", compromisos_del_coordinador),
    Rule("Guía §3.4", "saldo no ejecutado devuelto", saldo_devuelto),
)


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


REGLAS_RESULTADOS = (
    Rule("Bases §1.3", "la solicitud PCT es del proyecto", pct_del_proyecto, sobre_datos=True),
)


REGLAS_JUSTIFICAR = (
    Rule("Guía §3.2.4", "se justifican indicadores que siguen sin cumplir", justificacion_posible, sobre_datos=True),
)


CAMPOS_JUSTIFICAR = (
    Field("cantidad", "entero", "indicadores no cumplidos que se justifican"),
    Field("justificacion", "texto", "por qué no pudieron cumplirse"),
)


CAMPOS_CERRAR = (
    Field("rifr", "texto", "número del informe final (RIFR) de la USM"),
    Field("oficio", "texto", "oficio de cierre"),
)

