"""The life of a proposal (postulación) of a FONDECYT call, as a table.

Read it top to bottom: each state with its name as the bases write it; then each event with the
roles that may fire it, the states it leaves from and goes to, the rules it must satisfy (each
with its source in the bases) and the facts it records. The numbers live in the call file.
"""
from __future__ import annotations

from states.context import Context
from states.definition import Event, Field, Lifecycle, State, Transition
from states.pct_2019 import notificaciones
from states.pct_2019.mensajes import BY_KIND
from states.pct_2019.rules import (
    ampliacion,
    arranque,
    cierre,
    contrato,
    elegibilidad,
    evaluacion,
    gastos,
    salidas,
    seguimiento,
    seleccion,
)
from states.roles import ADMIN, DIRECCION, EVALUADOR, MONITOR, ROLES, UES

ESTADOS = (
    State("postulada", "Postulada"),
    State("apta", "Apta"),
    State("no_apta", "No apta", final=True),
    State("evaluada", "Evaluada"),
    State("desaprobada", "Desaprobada", final=True),
    State("aprobada", "Aprobada (seleccionada)"),
    State("accesitaria", "Accesitaria"),
    State("desistida", "Desistida", final=True),
    State("contratada", "Contratada"),
    State("en_ejecucion", "En ejecución"),
    State("hitos", "Hitos"),
    State("ifr", "Informe final (IFR)"),
    State("cerrada", "Cerrada", final=True),
    State("resuelta", "Contrato resuelto", final=True),
    State("descalificada", "Descalificada", final=True),
)
NO_FINALES = tuple(s.nombre for s in ESTADOS if not s.final)
CON_CONTRATO = salidas.CON_CONTRATO

HITO = Field("hito", "entero", "número del hito")
CAMPOS_ITF = (
    Field("indicadores_cumplidos", "entero", "indicadores cumplidos de los programados para el hito", requerido=False),
    Field("pendientes_cumplidos", "entero", "indicadores pendientes de hitos anteriores cumplidos ahora",
          requerido=False),
    Field("declaracion_contrapartida", "texto", "declaración jurada de valorización de la contrapartida no monetaria",
          requerido=False),
)
GESTION = tuple(Field(f"gestion_{que}", "opcion", f"calificación de la gestión {titulo} de la entidad",
                      opciones=seguimiento.GESTION) for que, titulo in (("tecnica", "técnica"), ("financiera", "financiera")))
OBSERVACIONES = Field("observaciones", "texto", "observaciones notificadas a la entidad")
MAL_USO = Field("mal_uso_fondos", "booleano", "se constató mal uso de los fondos", requerido=False)
PLAZO_PENDIENTES = Field("plazo_pendientes", "fecha", "fecha que fija el monitor para cumplir los indicadores no "
                         "cumplidos del hito (si no, en el hito siguiente)", requerido=False)
CAMPOS_AMPLIAR_HITO = (
    Field("fecha_solicitud", "fecha", "fecha en que la entidad solicitó la ampliación"),
    Field("nueva_fecha", "fecha", "nueva fecha del hito"),
)


def _fecha(ctx: Context) -> dict[str, object]:
    return {"fecha": ctx.fecha.isoformat()}


def _evaluada(ctx: Context) -> bool:
    """Bases §4.1.1: INDECOPI may have evaluated the proposal while its documents were checked."""
    return ctx.get("evaluacion.puntaje") is not None


def _proveedor_por_aprobar(ctx: Context) -> dict[str, object]:
    return {"aprobado": False}


def _proveedor_aprobado(ctx: Context) -> dict[str, object]:
    return {"aprobado": True, "fecha_aprobacion": ctx.fecha.isoformat()}


EVENTOS = (
    # Elegibilidad (UES) — Bases §3.2.1, §4.1.1; Cartilla de Elegibilidad
    Event("registrar_elegibilidad", "Registrar la verificación de elegibilidad", (UES,),
          (Transition(("postulada",), None),), campos=elegibilidad.CAMPOS, registra="elegibilidad"),
    Event("declarar_apta", "Declarar apta", (UES,),
          (Transition(("postulada",), "apta", elegibilidad.REGLAS_APTA, cuando=lambda ctx: not _evaluada(ctx)),
           Transition(("postulada",), "evaluada", elegibilidad.REGLAS_APTA, cuando=_evaluada)),
          registra="elegibilidad", deriva=_fecha),
    Event("declarar_no_apta", "Declarar no apta", (UES,),
          (Transition(("postulada",), "no_apta", elegibilidad.REGLAS_NO_APTA),),
          registra="elegibilidad", deriva=elegibilidad.requisitos_incumplidos),

    # Evaluación técnica (INDECOPI) — Bases §4.1.2.1; en paralelo con la verificación documental (§4.1.1)
    Event("evaluar", "Registrar la ficha de evaluación", (EVALUADOR,),
          (Transition(("apta",), "evaluada", evaluacion.REGLAS), Transition(("postulada",), None, evaluacion.REGLAS_EN_PARALELO)),
          campos=evaluacion.CAMPOS, registra="evaluacion", deriva=evaluacion.calificar),

    # Selección y resultados (Dirección Ejecutiva) — Bases §4.1.2.2, §4.2, §4.3
    Event("publicar", "Publicar el resultado", (DIRECCION,),
          tuple(Transition(("evaluada",), destino, seleccion.REGLAS_PUBLICAR)
                for destino in ("aprobada", "accesitaria", "desaprobada")),
          campos=seleccion.CAMPOS_PUBLICAR, registra="resultado", deriva=_fecha, destino_por="resultado",
          mensajes=("resultado", "invitacion_firma")),
    Event("promover", "Promover a la siguiente accesitaria", (DIRECCION,),
          (Transition(("accesitaria",), "aprobada", seleccion.REGLAS_PROMOVER),),
          campos=seleccion.CAMPOS_PROMOVER, registra="promocion", deriva=_fecha,
          mensajes=("promocion", "invitacion_firma")),
    Event("desistir", "Registrar el desistimiento", (UES, DIRECCION),
          (Transition(("postulada", "apta", "evaluada", "aprobada", "accesitaria"), "desistida",
                      seleccion.REGLAS_DESISTIR),),
          campos=seleccion.CAMPOS_DESISTIR, registra="desistimiento", deriva=_fecha, lee_plazos=True),

    # Contrato — Bases §2.3.2, §4.3
    Event("registrar_proveedor", "Registrar el proveedor de PI", (UES,),
          (Transition(("aprobada",), None, contrato.REGLAS_PROVEEDOR_DATOS),),
          campos=contrato.CAMPOS_PROVEEDOR, registra="proveedor", deriva=_proveedor_por_aprobar),
    Event("aprobar_proveedor", "Aprobar el proveedor de PI", (UES,),
          (Transition(("aprobada",), None, contrato.REGLAS_APROBAR_PROVEEDOR),),
          registra="proveedor", deriva=_proveedor_aprobado),
    Event("registrar_presupuesto", "Registrar el presupuesto", (UES,),
          (Transition(("aprobada",), None, contrato.REGLAS_PRESUPUESTO),), campos=contrato.CAMPOS_PRESUPUESTO,
          registra="presupuesto"),
    Event("firmar_contrato", "Firmar el contrato", (DIRECCION,),
          (Transition(("aprobada",), "contratada", contrato.REGLAS_FIRMA),),
          campos=contrato.CAMPOS_FIRMA, registra="contrato", deriva=contrato.vigencia, mensajes=("induccion",)),

    Event("registrar_domicilio", "Registrar el domicilio de la entidad para las comunicaciones", (MONITOR, DIRECCION),
          (Transition(CON_CONTRATO, None),), campos=contrato.CAMPOS_DOMICILIO, registra="domicilio", deriva=_fecha),
    Event("autorizar_correo", "Registrar la autorización expresa de notificar por correo", (UES, MONITOR, DIRECCION),
          (Transition(NO_FINALES, None),), campos=notificaciones.CAMPOS_AUTORIZAR, efectos=notificaciones.autorizacion),
    Event("registrar_notificacion", "Registrar el acuse o la entrega de una notificación", (UES, MONITOR, DIRECCION),
          (Transition(notificaciones.DESDE_PUBLICACION, None, notificaciones.REGLAS),), campos=notificaciones.CAMPOS,
          efectos=notificaciones.registrada),
    Event("registrar_cargo", "Registrar el cargo de entrega de una carta", (MONITOR, DIRECCION),
          (Transition(CON_CONTRATO, None, contrato.REGLAS_CARGO),), campos=contrato.CAMPOS_CARGO, efectos=contrato.cargo,
          lee_plazos=True),

    # Desembolso — Bases §4.3; Contrato cl. 6, 11
    Event("registrar_cuenta", "Registrar los datos bancarios", (MONITOR, DIRECCION),
          (Transition(("contratada",), None, contrato.REGLAS_CUENTA),),
          campos=contrato.CAMPOS_CUENTA, registra="cuenta"),
    Event("registrar_fianza", "Registrar la carta fianza", (MONITOR, DIRECCION),
          (Transition(("contratada", "en_ejecucion", "hitos", "ifr"), None, contrato.REGLAS_FIANZA),),
          campos=contrato.CAMPOS_FIANZA, registra="fianza"),
    Event("desembolsar", "Registrar el desembolso", (DIRECCION,),
          (Transition(("contratada",), "en_ejecucion", contrato.REGLAS_DESEMBOLSO),),
          registra="ejecucion", deriva=contrato.periodo_de_ejecucion),

    # Arranque (USM) — Guía §3.2.1, §3.2.2
    Event("registrar_induccion", "Registrar el taller de inducción", (MONITOR,),
          (Transition(("contratada", "en_ejecucion", "hitos"), None),),
          campos=arranque.CAMPOS_INDUCCION, registra="induccion", deriva=_fecha),
    Event("registrar_negociacion", "Registrar la reunión de negociación", (MONITOR,),
          (Transition(("en_ejecucion",), None),), campos=arranque.CAMPOS_NEGOCIACION, registra="negociacion",
          deriva=_fecha),
    Event("registrar_po", "Registrar una versión del Plan Operativo", (MONITOR,),
          (Transition(("en_ejecucion", "hitos"), None, arranque.REGLAS_REGISTRAR_PO),),
          campos=arranque.CAMPOS_PO, registra="po", deriva=arranque.po_version),
    Event("aprobar_po", "Aprobar el Plan Operativo", (MONITOR,),
          (Transition(("en_ejecucion",), "hitos", arranque.REGLAS_PO),),
          registra="po", deriva=lambda ctx: {"aprobado": ctx.fecha.isoformat()}, efectos=arranque.hitos_del_po),

    # Hitos: cada ITF con su propio ciclo (states/informe.py) — Guía §3.3, §3.4
    *(Event(nombre, titulo, (MONITOR,), (Transition(origen, None),), campos=(HITO, *campos),
            informe=("itf", paso), lee_plazos=paso == "ampliar",
            mensajes=("observaciones_itf",) if paso == "observar" else ())
      for nombre, titulo, paso, campos, origen in (
          ("presentar_itf", "Presentar el ITF de un hito", "presentar", CAMPOS_ITF, ("hitos", "ifr")),
          ("observar_itf", "Observar el ITF", "observar", (OBSERVACIONES,), ("hitos", "ifr")),
          ("levantar_observaciones", "Levantar las observaciones del ITF", "levantar_observaciones", CAMPOS_ITF, ("hitos", "ifr")),
          ("aprobar_itf", "Aprobar el ITF (RITF)", "aprobar", (MAL_USO, PLAZO_PENDIENTES), ("hitos", "ifr")),
          ("recibir_itf_fisico", "Recibir el ITF físico firmado", "recibir_fisico", (), ("hitos", "ifr")),
          ("ampliar_hito", "Ampliar la fecha de un hito", "ampliar", CAMPOS_AMPLIAR_HITO, ("hitos",)),
      )),
    Event("registrar_visita", "Registrar una visita de monitoreo", (MONITOR,),
          (Transition(("en_ejecucion", "hitos"), None),), campos=arranque.CAMPOS_VISITA, efectos=arranque.visita),
    Event("solicitar_ampliacion", "Solicitar la ampliación del proyecto", (MONITOR,),
          (Transition(("hitos",), None, ampliacion.REGLAS_SOLICITAR_AMPLIACION),),
          campos=ampliacion.CAMPOS_SOLICITAR_AMPLIACION, registra="ampliacion", deriva=ampliacion.solicitud,
          lee_plazos=True),
    Event("aprobar_ampliacion", "Aprobar la ampliación del proyecto (adenda)", (MONITOR,),
          (Transition(("hitos",), None, ampliacion.REGLAS_APROBAR_AMPLIACION),),
          campos=ampliacion.CAMPOS_APROBAR_AMPLIACION, registra="ampliacion", deriva=ampliacion.aprobacion,
          efectos=ampliacion.ampliar_fin),
    Event("rechazar_ampliacion", "Declarar improcedente la ampliación del proyecto", (MONITOR,),
          (Transition(("hitos",), None, ampliacion.REGLAS_RECHAZAR_AMPLIACION),),
          campos=ampliacion.CAMPOS_RECHAZAR_AMPLIACION, registra="ampliacion", deriva=ampliacion.rechazo),

    # Presupuesto en ejecución — Guía §2.4, §3.3.2, §3.4
    Event("registrar_gasto", "Registrar un gasto", (MONITOR,),
          (Transition(("en_ejecucion", "hitos", "ifr"), None, gastos.REGLAS_GASTO),),
          campos=gastos.CAMPOS_GASTO, efectos=gastos.gasto),
    Event("reasignar_presupuesto", "Reasignar entre partidas", (MONITOR,),
          (Transition(("en_ejecucion", "hitos"), None, gastos.REGLAS_REASIGNAR),),
          campos=gastos.CAMPOS_REASIGNAR, efectos=gastos.reasignar),

    # Informe final y cierre — Guía §3.3.2, Cap. IV; Bases §1.3
    Event("terminar_ejecucion", "Terminar la ejecución", (MONITOR,),
          (Transition(("hitos",), "ifr", cierre.REGLAS_TERMINAR),), registra="ejecucion",
          deriva=lambda ctx: {"terminada": ctx.fecha.isoformat()}, efectos=cierre.ifr_programado),
    *(Event(nombre, titulo, (MONITOR,), (Transition(("ifr",), None),), campos=campos, informe=("ifr", paso),
            mensajes=("observaciones_ifr",) if paso == "observar" else ())
      for nombre, titulo, paso, campos in (
          ("presentar_ifr", "Presentar el IFR", "presentar", ()),
          ("observar_ifr", "Observar el IFR", "observar", (OBSERVACIONES,)),
          ("levantar_observaciones_ifr", "Levantar las observaciones del IFR", "levantar_observaciones", ()),
          ("aprobar_ifr", "Aprobar el IFR (RIFR, con su calificación)", "aprobar", GESTION),
          ("recibir_ifr_fisico", "Recibir el IFR físico firmado", "recibir_fisico", ()),
      )),
    Event("registrar_resultados", "Registrar resultados y compromisos", (MONITOR,),
          (Transition(("hitos", "ifr"), None, cierre.REGLAS_RESULTADOS),), campos=cierre.CAMPOS_RESULTADOS,
          registra="resultados"),
    Event("justificar_indicadores", "Justificar indicadores no cumplidos", (MONITOR,),
          (Transition(("hitos", "ifr"), None, cierre.REGLAS_JUSTIFICAR),), campos=cierre.CAMPOS_JUSTIFICAR,
          efectos=cierre.justificacion),
    Event("registrar_devolucion", "Registrar la devolución del saldo", (MONITOR,),
          (Transition(("ifr",), None, gastos.REGLAS_DEVOLUCION),), campos=gastos.CAMPOS_DEVOLUCION,
          registra="devolucion", deriva=_fecha),
    Event("cerrar", "Cerrar el proyecto (RIFR)", (MONITOR,),
          (Transition(("ifr",), "cerrada", cierre.REGLAS_CERRAR),), campos=cierre.CAMPOS_CERRAR,
          registra="cierre", deriva=cierre.cierre),

    # Salidas — Contrato cl. 9–11; Bases §2.2.1, Disposición final segunda
    Event("resolver_contrato", "Resolver el contrato", (DIRECCION,),
          (Transition(CON_CONTRATO, "resuelta", salidas.REGLAS_RESOLVER),),
          campos=salidas.CAMPOS_RESOLVER, registra="resolucion", deriva=salidas.refund,
          registro=salidas.entidad_no_elegible),
    Event("renunciar_coordinador", "Registrar la renuncia del coordinador", (MONITOR, DIRECCION),
          (Transition(("aprobada", *CON_CONTRATO), None, salidas.REGLAS_RENUNCIA),), campos=salidas.CAMPOS_RENUNCIA,
          efectos=salidas.nuevo_coordinador, registro=salidas.coordinador_impedido),
    Event("asignar_monitor", "Asignar el monitor del caso", (UES, ADMIN),
          (Transition(NO_FINALES, None),), campos=(Field("monitor", "texto", "usuario con rol monitor"),),
          registra="asignacion", deriva=_fecha),
    Event("descalificar", "Descalificar", (DIRECCION,),
          (Transition(NO_FINALES, "descalificada", salidas.REGLAS_DESCALIFICAR),),
          campos=salidas.CAMPOS_DESCALIFICAR, registra="descalificacion", deriva=salidas.descalificacion,
          registro=salidas.entidad_excluida),
)

CICLO = Lifecycle("postulación", ESTADOS, "postulada", EVENTOS, ROLES, tuple(BY_KIND))
"""Checked on import: an inconsistent table stops the program here, before any case is touched."""

