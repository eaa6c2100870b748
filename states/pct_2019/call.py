"""The call file of a call of this rule book: every number of the bases of E062-2019-01, in its
sections, validated when loaded (states/call.py reads the file and picks this schema by its
`reglamento`)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from states.call import CalendarioBase, CallBase, Convocatoria, _Section


class ConvocatoriaPct(Convocatoria):
    publicacion_resultados: date
    """Bases §3.4: the day the results are published; none is published before it."""


class Seleccion(_Section):
    plazas: int
    comite_miembros_con_voto: int
    comite_sectores: list[str] = ["concytec", "universidad_o_instituto", "sector_privado"]
    """Bases §4.1.2.2: whom each voting member of the Comité de Consistencia comes from, one each."""
    monto_maximo: Decimal
    presupuesto_total: Decimal
    puntaje_minimo: Decimal
    bono_discapacidad: Decimal
    desempate: list[Literal["novedad", "actividad_inventiva", "fecha_postulacion"]]


class Evaluacion(_Section):
    escala_minima: int
    escala_maxima: int
    peso_presencia: Decimal
    peso_relevancia: Decimal
    peso_inventivo: Decimal
    peso_ventaja: Decimal


class Elegibilidad(_Section):
    tipos_entidad: list[str]
    tipos_excluidos: list[str]
    formas_societarias: list[str]
    meses_desvinculacion_concytec: int


class Contrato(_Section):
    dias_habiles_para_firmar: int
    fianza_porcentaje: Decimal
    fondecyt_ruc: str
    meses_ejecucion: int
    digitos_cci: int


class Proveedor(_Section):
    anios_antiguedad: int
    solicitudes_pct_minimas: int
    anios_ventana_pct: int
    anios_experiencia_experto: int


class Regimen(_Section):
    tope_fondecyt: Decimal
    contrapartida_monetaria_minima: Decimal
    contrapartida_no_monetaria_minima: Decimal


class Presupuesto(_Section):
    tope_pasajes_viaticos: Decimal
    """Bases §2.3.2.1 «Hasta S/ 3 000.00 soles en total»: tickets, per diem and the travel insurance together."""
    tope_viatico_diario: Decimal
    dias_maximos_estancia: int
    tope_seguro: Decimal
    reasignacion_maxima: Decimal
    reasignacion_acumulada: bool = True
    """[policy] Guía §3.4: the share counts every move into the line, against the line as approved."""
    regimen: dict[Literal["sin_fines_de_lucro", "con_fines_de_lucro"], Regimen]


class Seguimiento(_Section):
    ritf_aprobado: Decimal
    ritf_aprobado_con_reserva: Decimal
    dias_minimos_ampliacion: int
    meses_conservacion_documentos: int
    tasa_interes_legal_anual: Decimal
    dias_base_interes: int


class Registro(_Section):
    anios_renuncia_coordinador: int
    anios_informacion_falsa: int
    anios_entidad_resolucion: int


class Calendario(CalendarioBase):
    prorrogar_dias_calendario: bool
    inicio_dias_calendario: Literal["dia_habil_siguiente", "dia_siguiente"] = "dia_habil_siguiente"
    """[policy] TUO art. 144.1: a period in calendar days counts from the business day after its act."""
    plazos_desde: Literal["notificacion", "acto"] = "notificacion"
    """[policy] TUO art. 20.4, 144.1: a period that runs from a notification counts from the day its
    reception is confirmed (or the delivery at the domicile); "acto" = the old reading, from the day
    of the act that sends it."""
    meses_sin_dia_igual: Literal["tuo", "codigo_civil"]


class Plazos(_Section):
    induccion_dias: int
    negociacion_dias: int
    levantar_itf_dias: int
    fisico_itf_dias_habiles: int
    ifr_dias: int
    levantar_ifr_dias: int
    fisico_ifr_dias_habiles: int
    recordatorios_dias: list[int]
    carta_simple_dias_habiles: int
    carta_notarial_dias_habiles: int
    confirmacion_correo_dias_habiles: int = 2
    """TUO art. 20.4: business days, from the day after the sending, to confirm an e-mail's reception;
    without the confirmation the notice goes to the domicile."""


class Compromisos(_Section):
    reuniones_firma: int
    reuniones_documento: int
    reuniones_estrategia: int


class Call(CallBase):
    convocatoria: ConvocatoriaPct
    seleccion: Seleccion
    evaluacion: Evaluacion
    elegibilidad: Elegibilidad
    contrato: Contrato
    proveedor: Proveedor
    presupuesto: Presupuesto
    seguimiento: Seguimiento
    registro: Registro
    calendario: Calendario
    plazos: Plazos
    compromisos: Compromisos
