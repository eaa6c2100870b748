"""The life of an application to ANDE «Bienes Públicos Digitales» 2025, as a table: a formal check
with a clarification round (no answer: eliminated), a committee's weighted evaluation and
recommendation, the Directorio's discretionary decision, a convenio within its days, three tranches,
renditions per period, suspension, and the close with the final reimbursement."""
from __future__ import annotations

from states.ande_bpd_2025 import reglas as r
from states.context import Context
from states.definition import Event, Field, Lifecycle, Rule, State, Transition
from states.roles import ADMIN, COMITE, DIRECCION, MONITOR, ROLES, UES

ESTADOS = (
    State("presentada", "Presentada"),
    State("en_aclaracion", "En aclaración (ronda de corrección)"),
    State("eliminada", "Eliminada (sin respuesta a la aclaración)", final=True),
    State("no_admitida", "No admitida (requisitos mínimos)", final=True),
    State("admitida", "Admitida a evaluación"),
    State("evaluada", "Evaluada"),
    State("aprobada", "Aprobada (seleccionada)"),
    State("no_aprobada", "No aprobada", final=True),
    State("desistida", "Desistida", final=True),
    State("en_ejecucion", "En ejecución"),
    State("suspendida", "Suspendida temporalmente"),
    State("cancelada", "Suspendida definitivamente", final=True),
    State("cerrada", "Cerrada", final=True),
)
# [policy] A state named as E062 names one has E062's title: listings still title a state by its name
# across the registered books.
NO_FINALES = tuple(s.nombre for s in ESTADOS if not s.final)


def _fecha(ctx: Context) -> dict[str, object]:
    return {"fecha": ctx.fecha.isoformat()}


def _cumplidas(ctx: Context) -> dict[str, object]:
    return {"cumplidas": True, "fecha": ctx.fecha.isoformat()}


def _autorizado(ctx: Context) -> dict[str, object]:
    return {"autorizado": ctx.fecha.isoformat()}


CRITERIOS = tuple(Field(c.lower(), "entero", f"nota del criterio {c} de las Pautas de evaluación "
                                              "(0 a {evaluacion.escala_maxima})")
                  for c in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI"))

EVENTOS = (
    Event("asignar_monitor", "Asignar el monitor del caso", (UES, ADMIN),
          (Transition(NO_FINALES, None),), campos=(Field("monitor", "texto", "usuario con rol monitor"),),
          registra="asignacion", deriva=_fecha),

    # Elegibilidad formal, con su ronda de aclaración — B «Ámbitos de evaluación y aprobación»
    Event("pedir_aclaracion", "Pedir una aclaración (ronda de corrección)", (UES,),
          (Transition(("presentada",), "en_aclaracion"),),
          campos=(Field("pedido", "texto", "qué debe aclarar o corregir la institución"),),
          registra="aclaracion", deriva=_fecha, mensajes=("aclaracion",)),
    Event("responder_aclaracion", "Registrar la respuesta a la aclaración", (UES,),
          (Transition(("en_aclaracion",), "presentada",
                      (Rule(r.AMBITOS, "la respuesta llega dentro del plazo fijado", r.respuesta_en_plazo),)),),
          campos=(Field("respuesta", "texto", "qué respondió o corrigió la institución"),),
          registra="respuesta", deriva=_fecha, lee_plazos=True),
    Event("eliminar", "Eliminar por no responder a la aclaración", (UES,),
          (Transition(("en_aclaracion",), "eliminada",
                      (Rule(r.AMBITOS, "sin respuesta en plazo, la postulación queda eliminada",
                            r.plazo_de_aclaracion_vencido),)),),
          registra="eliminacion", deriva=_fecha, lee_plazos=True),
    Event("admitir", "Admitir a evaluación (elegibilidad formal)", (UES,),
          (Transition(("presentada",), "admitida", r.REGLAS_POSTULACION),), registra="admision", deriva=_fecha),
    Event("no_admitir", "No admitir (no cumple requisitos mínimos)", (UES,),
          (Transition(("presentada",), "no_admitida"),),
          campos=(Field("motivo", "texto", "requisito mínimo que no cumple"),), registra="admision", deriva=_fecha),

    # Evaluación técnica — B «Evaluación»; Pautas I–XI
    Event("evaluar", "Registrar la evaluación del Comité", (COMITE,),
          (Transition(("admitida",), "evaluada", (Rule(r.PAUTAS, "cada criterio se califica de 0 a "
                                                       "{evaluacion.escala_maxima}", r.notas_en_escala),)),),
          campos=(*CRITERIOS, Field("recomendacion", "opcion", "recomendación al Directorio (no vinculante)",
                                    opciones=("aprobar", "no_aprobar")),
                  Field("informe", "texto", "informe de evaluación del Comité")),
          registra="evaluacion", deriva=r.puntaje),

    # Decisión del Directorio — B «Resolución»: discrecional, la recomendación no es vinculante
    Event("decidir", "Registrar la decisión del Directorio", (DIRECCION,),
          (Transition(("evaluada",), "aprobada"), Transition(("evaluada",), "no_aprobada")),
          campos=(Field("decision", "opcion", "decisión del Directorio", opciones=("aprobada", "no_aprobada")),
                  Field("resolucion", "texto", "número de la resolución del Directorio")),
          registra="decision", deriva=_fecha, destino_por="decision", mensajes=("resultado",)),

    # Convenio — B «Implementación» a, b
    Event("firmar_convenio", "Firmar el convenio", (UES,),
          (Transition(("aprobada",), "en_ejecucion", (
              Rule(r.IMPLEMENTACION, "el convenio se firma dentro de los {plazos.dias_convenio} días de la aprobación, "
                                     "salvo aprobación expresa de ANDE", r.convenio_en_plazo),
              Rule(r.IMPLEMENTACION, "el proyecto empieza a más tardar el {plazos.inicio_a_mas_tardar}",
                   r.inicio_a_tiempo),
              Rule(r.IMPLEMENTACION, "dura a lo sumo {plazos.meses_maximos} meses", r.duracion_maxima),
              Rule("B «Implementación» b", "los hitos y metas se acuerdan antes de empezar", r.metas_acordadas))),),
          campos=(Field("fecha_inicio", "fecha", "fecha de inicio que fija el convenio"),
                  Field("meses", "entero", "duración en meses"),
                  Field("metas", "texto", "hitos y metas intermedias acordados"),
                  Field("aprobacion_expresa", "texto", "resolución de ANDE que aprueba una firma fuera de plazo",
                        requerido=False)),
          registra="convenio", deriva=r.convenio, efectos=r.periodos),
    Event("dar_por_desistida", "Dar por desistida (sin convenio en plazo)", (DIRECCION,),
          (Transition(("aprobada",), "desistida", (
              Rule(r.IMPLEMENTACION, "pasados los {plazos.dias_convenio} días sin convenio", r.desistida_por_plazo),)),),
          registra="desistimiento", deriva=_fecha),

    # Ejecución — B «Modalidad de desembolsos», «Gastos financiables»
    Event("desembolsar", "Desembolsar un tramo", (UES,),
          (Transition(("en_ejecucion",), None, (
              Rule(r.DESEMBOLSOS, "cada tramo se desembolsa una vez", r.tramo_no_repetido),
              Rule(r.DESEMBOLSOS, "los tramos van en orden", r.tramo_en_orden),
              Rule(r.DESEMBOLSOS, "el segundo tramo exige rendido y aprobado al menos el "
                                  "{desembolsos.rendido_minimo} de lo desembolsado, y las metas cumplidas",
                   r.segundo_tramo_rendido))),),
          campos=(Field("tramo", "opcion", "tramo que se desembolsa", opciones=("anticipo", "segundo")),),
          efectos=r.monto_del_tramo),
    Event("cumplir_metas", "Registrar cumplidos los hitos y metas intermedias", (MONITOR,),
          (Transition(("en_ejecucion",), None),), campos=(Field("evidencia", "texto", "cómo se verificó"),),
          registra="metas", deriva=_cumplidas),
    Event("autorizar_imprevistos", "Autorizar el uso de imprevistos", (UES,),
          (Transition(("en_ejecucion",), None),), campos=(Field("motivo", "texto", "para qué se usan"),),
          registra="imprevistos", deriva=_autorizado),
    Event("rendir", "Registrar una rendición de gastos", (MONITOR,),
          (Transition(("en_ejecucion", "suspendida"), None, (
              Rule(r.CRONOGRAMA, "la rendición es de un período del proyecto", r.periodo_conocido),
              Rule(f"{r.GASTOS} nota 5", "los imprevistos se usan solo con autorización previa de ANDE",
                   r.imprevistos_autorizados))),),
          campos=(Field("hito", "entero", "número del período rendido (1 = el primero del proyecto)"),
                  Field("monto_ande", "decimal", "fondos de ANDE rendidos"),
                  Field("monto_contrapartida", "decimal", "contrapartida rendida"),
                  Field("imprevistos", "decimal", "parte de imprevistos", requerido=False)),
          efectos=r.rendicion),
    Event("aprobar_rendicion", "Aprobar una rendición", (MONITOR,),
          (Transition(("en_ejecucion", "suspendida"), None, (
              Rule(r.DESEMBOLSOS, "se aprueba lo rendido, no más", r.rendicion_existe),)),),
          campos=(Field("numero", "entero", "número de la rendición"),
                  Field("aprobado_ande", "decimal", "fondos de ANDE aprobados"),
                  Field("aprobado_contrapartida", "decimal", "contrapartida aprobada", requerido=False)),
          efectos=r.aprobacion),
    Event("suspender", "Suspender la ejecución", (DIRECCION,),
          (Transition(("en_ejecucion",), "suspendida"), Transition(("en_ejecucion", "suspendida"), "cancelada")),
          campos=(Field("alcance", "opcion", "suspendida (temporal) o cancelada (definitiva)",
                        opciones=("suspendida", "cancelada")),
                  Field("causa", "opcion", "causa según las bases", opciones=(
                      "incumplimiento_de_metas", "informacion_falsa", "fallas_en_adquisiciones"))),
          registra="suspension", deriva=_fecha, destino_por="alcance"),
    Event("reanudar", "Reanudar la ejecución", (DIRECCION,),
          (Transition(("suspendida",), "en_ejecucion"),), registra="reanudacion", deriva=_fecha),
    Event("cerrar", "Cerrar el proyecto y reembolsar el tramo final", (UES,),
          (Transition(("en_ejecucion",), "cerrada", (
              Rule(r.DESEMBOLSOS, "el {desembolsos.final} final se reembolsa con todo lo desembolsado y toda la "
                                  "contrapartida rendidos y aprobados, y las actividades realizadas",
                   r.cierre_rendido),)),),
          campos=(Field("actividades", "texto", "constancia de las actividades realizadas"),),
          registra="cierre", deriva=_fecha, efectos=r.reembolso_final),
)

CICLO = Lifecycle("ande-bpd-2025", ESTADOS, "presentada", EVENTOS, roles=ROLES,
                  mensajes=("aclaracion", "resultado", "recordatorio", "vencido", "prorroga", "rectificacion"))
