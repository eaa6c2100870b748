"""The life of a proposal (postulación) of a FONDECYT call, as a table.

Read it top to bottom: each state with its name as the bases write it; then each event with the
roles that may fire it, the states it leaves from and goes to, the rules it must satisfy (each
with its source in the bases) and the facts it records. The numbers live in the call file.
"""
from __future__ import annotations

from states.context import Context
from states.definition import Event, Lifecycle, State, Transition
from states.rules import contrato, ejecucion, elegibilidad, evaluacion, seleccion

UES, EVALUADOR, COMITE, DIRECCION, MONITOR, ADMIN = "ues", "evaluador", "comite", "direccion", "monitor", "admin"

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
CON_CONTRATO = ("contratada", "en_ejecucion", "hitos", "ifr")


def _fecha(ctx: Context) -> dict[str, object]:
    return {"fecha": ctx.fecha.isoformat()}


def _proveedor_por_aprobar(ctx: Context) -> dict[str, object]:
    return {"aprobado": False}


def _proveedor_aprobado(ctx: Context) -> dict[str, object]:
    return {"aprobado": True, "fecha_aprobacion": ctx.fecha.isoformat()}


EVENTOS = (
    # Elegibilidad (UES) — Bases §3.2.1, §4.1.1; Cartilla de Elegibilidad
    Event("registrar_elegibilidad", "Registrar la verificación de elegibilidad", (UES,),
          (Transition(("postulada",), None),), campos=elegibilidad.CAMPOS, registra="elegibilidad"),
    Event("declarar_apta", "Declarar apta", (UES,),
          (Transition(("postulada",), "apta", elegibilidad.REQUISITOS),), registra="elegibilidad", deriva=_fecha),
    Event("declarar_no_apta", "Declarar no apta", (UES,),
          (Transition(("postulada",), "no_apta", elegibilidad.REGLAS_NO_APTA),),
          registra="elegibilidad", deriva=elegibilidad.requisitos_incumplidos),

    # Evaluación técnica (INDECOPI) — Bases §4.1.2.1
    Event("evaluar", "Registrar la ficha de evaluación", (EVALUADOR,),
          (Transition(("apta",), "evaluada", evaluacion.REGLAS),),
          campos=evaluacion.CAMPOS, registra="evaluacion", deriva=evaluacion.calificar),

    # Selección y resultados (Dirección Ejecutiva) — Bases §4.1.2.2, §4.2, §4.3
    Event("publicar", "Publicar el resultado", (DIRECCION,),
          tuple(Transition(("evaluada",), destino, seleccion.REGLAS_PUBLICAR)
                for destino in ("aprobada", "accesitaria", "desaprobada")),
          campos=seleccion.CAMPOS_PUBLICAR, registra="resultado", deriva=_fecha, destino_por="resultado"),
    Event("promover", "Promover a la siguiente accesitaria", (DIRECCION,),
          (Transition(("accesitaria",), "aprobada", seleccion.REGLAS_PROMOVER),),
          campos=seleccion.CAMPOS_PROMOVER, registra="promocion", deriva=_fecha),
    Event("desistir", "Registrar el desistimiento", (UES, DIRECCION),
          (Transition(("postulada", "apta", "evaluada", "aprobada", "accesitaria"), "desistida",
                      seleccion.REGLAS_DESISTIR),),
          campos=seleccion.CAMPOS_DESISTIR, registra="desistimiento", deriva=_fecha),

    # Contrato — Bases §2.3.2, §4.3
    Event("registrar_proveedor", "Registrar el proveedor de PI", (UES,),
          (Transition(("aprobada",), None, contrato.REGLAS_PROVEEDOR_DATOS),),
          campos=contrato.CAMPOS_PROVEEDOR, registra="proveedor", deriva=_proveedor_por_aprobar),
    Event("aprobar_proveedor", "Aprobar el proveedor de PI", (UES,),
          (Transition(("aprobada",), None, contrato.REGLAS_APROBAR_PROVEEDOR),),
          registra="proveedor", deriva=_proveedor_aprobado),
    Event("registrar_presupuesto", "Registrar el presupuesto", (UES,),
          (Transition(("aprobada",), None),), campos=contrato.CAMPOS_PRESUPUESTO, registra="presupuesto"),
    Event("firmar_contrato", "Firmar el contrato", (DIRECCION,),
          (Transition(("aprobada",), "contratada", contrato.REGLAS_FIRMA),),
          campos=contrato.CAMPOS_FIRMA, registra="contrato", deriva=contrato.vigencia),

    # Desembolso — Bases §4.3; Contrato cl. 6, 11
    Event("registrar_cuenta", "Registrar los datos bancarios", (MONITOR, DIRECCION),
          (Transition(("contratada",), None, contrato.REGLAS_CUENTA),),
          campos=contrato.CAMPOS_CUENTA, registra="cuenta"),
    Event("registrar_fianza", "Registrar la carta fianza", (MONITOR, DIRECCION),
          (Transition(("contratada", "en_ejecucion", "hitos", "ifr"), None),),
          campos=contrato.CAMPOS_FIANZA, registra="fianza"),
    Event("desembolsar", "Registrar el desembolso", (DIRECCION,),
          (Transition(("contratada",), "en_ejecucion", contrato.REGLAS_DESEMBOLSO),),
          registra="ejecucion", deriva=contrato.periodo_de_ejecucion),

    # Ejecución y cierre (USM) — Guía §3.2, §3.3
    Event("aprobar_po", "Aprobar el Plan Operativo", (MONITOR,),
          (Transition(("en_ejecucion",), "hitos", ejecucion.REGLAS_PO),),
          campos=ejecucion.CAMPOS_PO, registra="po", deriva=_fecha),
    Event("terminar_ejecucion", "Terminar la ejecución", (MONITOR,),
          (Transition(("hitos",), "ifr", ejecucion.REGLAS_TERMINAR),), registra="ejecucion",
          deriva=lambda ctx: {"terminada": ctx.fecha.isoformat()}),
    Event("cerrar", "Cerrar el proyecto (RIFR)", (MONITOR,),
          (Transition(("ifr",), "cerrada"),), campos=ejecucion.CAMPOS_CERRAR, registra="cierre", deriva=_fecha),

    # Salidas — Contrato cl. 9, 10; Bases, Disposición final segunda
    Event("resolver_contrato", "Resolver el contrato", (DIRECCION,),
          (Transition(CON_CONTRATO, "resuelta", ejecucion.REGLAS_RESOLVER),),
          campos=ejecucion.CAMPOS_RESOLVER, registra="resolucion", deriva=_fecha),
    Event("descalificar", "Descalificar", (DIRECCION,),
          (Transition(NO_FINALES, "descalificada"),),
          campos=ejecucion.CAMPOS_DESCALIFICAR, registra="descalificacion", deriva=_fecha),
)

CICLO = Lifecycle("postulación", ESTADOS, "postulada", EVENTOS)
"""Checked on import: an inconsistent table stops the program here, before any case is touched."""

