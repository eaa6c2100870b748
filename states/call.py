"""The call file: every number of the bases, validated when loaded.

The engine never holds a number of the bases; it asks the `Call` loaded here. A wrong type or a
missing key stops the load with a message naming the key, so a typo in a call file is caught when
the officer runs `convoca init`, not in the middle of a selection.
"""
from __future__ import annotations

import tomllib
from datetime import date, datetime
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from states.errors import ConvocaError, os_problem, small_text

CALLS_DIR = Path(str(files("states") / "calls"))
"""Shipped in the wheel as package data: the call files of the rule book."""
DEFAULT_CALL = CALLS_DIR / "E062-2019-01.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Convocatoria(_Section):
    codigo: str
    nombre: str
    zona_horaria: Literal["America/Lima"]
    lanzamiento: date
    cierre: datetime
    publicacion_resultados: date


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


class Calendario(_Section):
    prorrogar_dias_calendario: bool
    inicio_dias_calendario: Literal["dia_habil_siguiente", "dia_siguiente"] = "dia_habil_siguiente"
    """[policy] TUO art. 144.1: a period in calendar days counts from the business day after its act."""
    plazos_desde: Literal["notificacion", "acto"] = "notificacion"
    """[policy] TUO art. 20.4, 144.1: a period that runs from a notification counts from the day its
    reception is confirmed (or the delivery at the domicile); "acto" = the old reading, from the day
    of the act that sends it."""
    meses_sin_dia_igual: Literal["tuo", "codigo_civil"]
    sede: str
    anios_feriados: int = Field(ge=1)


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


class Call(_Section):
    convocatoria: Convocatoria
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

    @property
    def codigo(self) -> str:
        return self.convocatoria.codigo


class InvalidCallFile(ConvocaError):
    """A call file that does not describe a call; lists every offending key."""


_PROBLEMS = {
    "missing": "falta",
    "extra_forbidden": "clave desconocida (¿error de escritura?)",
    "int_parsing": "debe ser un número entero",
    "int_type": "debe ser un número entero",
    "int_from_float": "debe ser un número entero",
    "decimal_parsing": "debe ser un número decimal escrito entre comillas, p. ej. \"0.10\"",
    "decimal_type": "debe ser un número decimal escrito entre comillas, p. ej. \"0.10\"",
    "bool_type": "debe ser true o false",
    "bool_parsing": "debe ser true o false",
    "date_type": "debe ser una fecha AAAA-MM-DD",
    "date_parsing": "debe ser una fecha AAAA-MM-DD",
    "date_from_datetime_inexact": "debe ser una fecha AAAA-MM-DD, sin hora",
    "datetime_type": "debe ser una fecha y hora con zona, p. ej. 2019-10-11T13:00:00-05:00",
    "datetime_parsing": "debe ser una fecha y hora con zona, p. ej. 2019-10-11T13:00:00-05:00",
    "literal_error": "valor no permitido",
    "list_type": "debe ser una lista",
    "string_type": "debe ser un texto",
    "model_type": "debe ser una sección [tabla]",
    "dict_type": "debe ser una sección [tabla]",
}


INSTALLATION_SECTIONS = ("servicio", "entrada")
"""Sections older call files carried that are settings of the installation, not of the bases
(`convoca ajustes`): a call stored with them still reads; a file loaded now is told where they went."""


def parse_call(text: str, origin: str = "convocatoria", stored: bool = False) -> Call:
    """Validates a call file's text; raises `InvalidCallFile` naming every bad key. `stored`: the
    text as a database keeps it since its load, which may still carry the installation's sections."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidCallFile(f"{origin}: no es un TOML válido: {exc}") from None
    legacy = [k for k in INSTALLATION_SECTIONS if k in data]
    if legacy and not stored:
        raise InvalidCallFile(f"{origin}: las secciones {', '.join(f'[{k}]' for k in legacy)} ya no son de la "
                              "convocatoria sino de la instalación: quítelas del archivo y fije esos valores con "
                              "`convoca ajustes fijar CLAVE VALOR` (vea `convoca ajustes`).")
    for k in legacy:
        data.pop(k)
    try:
        call = Call.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            key = ".".join(str(part) for part in err["loc"])
            problem = _PROBLEMS.get(err["type"], err["msg"])
            shown = "" if err["type"] == "missing" else f" (valor: {err.get('input')!r})"
            lines.append(f"  clave '{key}': {problem}{shown}")
        raise InvalidCallFile(f"{origin}: archivo de convocatoria inválido:\n" + "\n".join(lines)) from None
    if call.convocatoria.cierre.tzinfo is None:
        raise InvalidCallFile(f"{origin}: clave 'convocatoria.cierre': falta la zona horaria (-05:00)")
    return call


def load_call(path: Path) -> tuple[Call, str]:
    """Reads and validates a call file; returns the call and the text to store with it."""
    try:
        text = small_text(path)
    except OSError as exc:
        raise InvalidCallFile(f"No se puede leer el archivo de convocatoria {path}: {os_problem(exc)}") from None
    except ValueError as exc:
        raise InvalidCallFile(f"El archivo de convocatoria {path} {exc}.") from None
    return parse_call(text, str(path)), text
