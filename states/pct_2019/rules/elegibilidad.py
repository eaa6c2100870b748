"""Eligibility of a proposal: Bases §2.2.1, §3.2.1, §3.2.2, §3.3 and Cartilla de Elegibilidad."""
from __future__ import annotations

from stdnum.iso7064 import mod_11_2

from states.context import Context
from states.definition import Field, Rule, Unproven, in_words
from states.pct_2019.rules import NO_APLICA, fact_is
from states.pct_2019.rules.postulacion import REGLAS_POSTULAR

DOCUMENTOS = {
    "anexo_1": "Anexo 1 — Carta de compromiso de la Entidad Solicitante, firmada por su representante legal, "
               "que presenta al coordinador",
    "anexo_2": "Anexo 2 — Carta de compromiso del coordinador",
    "documento_tecnico": "Documento técnico del concepto patentable desarrollado en el taller CAF",
    "cv_cti_vitae": "CV del coordinador registrado en CTI Vitae",
}
"""The documents of Bases §3.3, as the bases name them."""
LICENCIAS_SUNEDU = ("licenciada", "en_proceso", "no_licenciada")


def universidad_licenciada(ctx: Context) -> str | None:
    """Licensed by SUNEDU, or in the licensing process, at the call's close ("Se verificará en SUNEDU")."""
    if ctx.get("entidad.tipo") != "universidad":
        return None
    licencia = ctx.get("elegibilidad.universidad_licencia_sunedu")
    if licencia is None:
        return Unproven("licencia SUNEDU: no acreditado (falta registrar 'elegibilidad.universidad_licencia_sunedu')")
    if licencia not in ("licenciada", "en_proceso"):
        return f"la universidad no está licenciada ni en proceso de licenciamiento ante SUNEDU ({licencia})"
    return None


def empresa_en_forma_societaria_admitida(ctx: Context) -> str | None:
    """A company only in the legal forms the bases list, registered in Registros Públicos."""
    if ctx.get("entidad.tipo") != "empresa":
        return None
    formas = ctx.call.elegibilidad.formas_societarias
    forma = ctx.get("elegibilidad.empresa_forma_societaria") or ctx.get("entidad.forma")
    if not forma:
        return Unproven("forma societaria: no acreditado (falta registrar 'elegibilidad.empresa_forma_societaria')")
    if _forma(forma) not in {_forma(f) for f in formas}:
        return f"forma societaria no admitida: {forma} (admitidas: {', '.join(formas)})"
    if ctx.get("elegibilidad.empresa_inscrita_registros_publicos") is not True:
        return Unproven("inscripción en Registros Públicos: no acreditado (falta registrar "
                        "'elegibilidad.empresa_inscrita_registros_publicos' = sí)")
    return None


def _forma(text: str) -> str:
    return text.upper().replace(".", "").replace(" ", "")


def orcid_del_investigador(ctx: Context) -> str | None:
    if ctx.get("elegibilidad.coordinador_investigador") is not True:
        return None  # not a researcher, or the requirement recorded as not applying
    orcid = (ctx.get("elegibilidad.coordinador_orcid") or "").replace("-", "").upper()
    if not orcid:
        return "el coordinador es investigador y no registró su ORCID vinculado a CTI Vitae"
    if len(orcid) != 16 or not mod_11_2.is_valid(orcid):
        return f"ORCID inválido: {ctx.get('elegibilidad.coordinador_orcid')}"
    return None


def desvinculado_de_concytec(ctx: Context) -> str | None:
    fin = ctx.date("elegibilidad.coordinador_fin_vinculo_concytec")
    if fin is None:
        return None
    cierre = ctx.call.convocatoria.cierre.date()
    meses = ctx.call.elegibilidad.meses_desvinculacion_concytec
    libre_desde = ctx.add_months(fin, meses)
    if libre_desde > cierre:
        return (
            f"el coordinador dejó CONCYTEC/FONDECYT el {fin.isoformat()}, menos de {in_words(meses)} meses "
            f"antes del cierre ({cierre.isoformat()}); habilitado recién desde el {libre_desde.isoformat()}"
        )
    return None


def documentos_en_pdf(ctx: Context) -> str | None:
    faltan = [titulo for d, titulo in DOCUMENTOS.items() if not ctx.get(f"elegibilidad.{d}")]
    if faltan:
        return "faltan documentos: " + "; ".join(faltan)
    no_pdf = [f"{titulo} ({ctx.get(f'elegibilidad.{d}')})" for d, titulo in DOCUMENTOS.items()
              if not str(ctx.get(f"elegibilidad.{d}")).lower().endswith(".pdf")]
    if no_pdf:
        return "los documentos deben estar en PDF: " + "; ".join(no_pdf)
    return None


def autorizacion_biodiversidad(ctx: Context) -> str | None:
    uso = ctx.get("elegibilidad.uso_biodiversidad")
    if uso is None:
        return "uso de recursos de la biodiversidad: no declarado (registre sí, no o «no aplica»)"
    if uso is True and ctx.get("elegibilidad.autorizacion_biodiversidad") is not True:
        return ("usa recursos de la biodiversidad sin haber solicitado (o comprometido solicitar) "
                "la autorización o el contrato de acceso a recursos genéticos")
    return None


def _de_tipo(tipo: str):
    def aplica(ctx: Context) -> bool:
        return ctx.get("entidad.tipo") == tipo

    return aplica


def _investigador(ctx: Context) -> bool:
    return ctx.get("elegibilidad.coordinador_investigador") not in (False, NO_APLICA)


def _usa_biodiversidad(ctx: Context) -> bool:
    return ctx.get("elegibilidad.uso_biodiversidad") != NO_APLICA


REQUISITOS: tuple[Rule, ...] = (
    *REGLAS_POSTULAR,
    Rule("Bases §2.2.1 (1); Cartilla-E 1.1", "universidad licenciada o en proceso de licenciamiento por SUNEDU al "
         "cierre", universidad_licenciada, datos=("universidad_licencia_sunedu",), aplica=_de_tipo("universidad")),
    Rule("Bases §2.2.1 (6)", "empresa constituida como E.I.R.L., S.R.L., S.A., S.A.C. o S.A.A., inscrita en "
         "Registros Públicos", empresa_en_forma_societaria_admitida,
         datos=("empresa_forma_societaria", "empresa_inscrita_registros_publicos"), aplica=_de_tipo("empresa")),
    fact_is("elegibilidad.ruc_activo", True, "Bases §2.2.1", "RUC de la entidad activo"),
    fact_is("elegibilidad.ruc_habido", True, "Bases §2.2.1", "RUC de la entidad habido"),
    fact_is("elegibilidad.entidad_taller_caf", True, "Bases §2.2.1", "la entidad participó en un taller CAF"),
    fact_is("elegibilidad.entidad_obligaciones_pendientes", False, "Bases §3.2.2",
            "la entidad no tiene obligaciones pendientes con FONDECYT"),
    fact_is("elegibilidad.entidad_renoes", False, "Bases §3.2.2", "la entidad no figura en RENOES"),
    fact_is("elegibilidad.entidad_impedida_estado", False, "Bases §3.2.2",
            "la entidad no está impedida de contratar con el Estado"),
    fact_is("elegibilidad.coordinador_reside_peru", True, "Bases §2.2.1", "el coordinador reside en el Perú"),
    fact_is("elegibilidad.coordinador_vinculo_entidad", True, "Bases §2.2.1",
            "el coordinador tiene vínculo laboral o contractual con la entidad"),
    Rule("Bases §2.2.1; Cartilla-E 1.2", "ORCID vinculado a CTI Vitae si es investigador", orcid_del_investigador,
         datos=("coordinador_investigador", "coordinador_orcid"), aplica=_investigador),
    fact_is("elegibilidad.coordinador_taller_caf", True, "Bases §2.2.1", "el coordinador participó en un taller CAF"),
    fact_is("elegibilidad.anexo_2_firmado", True, "Bases §2.2.1; Anexo 2",
            "carta de compromiso del coordinador firmada"),
    fact_is("elegibilidad.coordinador_obligaciones_pendientes", False, "Bases §3.2.2",
            "el coordinador no tiene obligaciones pendientes con FONDECYT"),
    fact_is("elegibilidad.coordinador_renoes", False, "Bases §3.2.2", "el coordinador no figura en RENOES"),
    fact_is("elegibilidad.coordinador_redam", False, "Bases §3.2.2", "el coordinador no figura en REDAM"),
    fact_is("elegibilidad.coordinador_informacion_privilegiada", False, "Bases §3.2.2",
            "el coordinador no tuvo información privilegiada"),
    fact_is("elegibilidad.coordinador_vinculo_concytec", False, "Bases §3.2.2",
            "el coordinador no trabaja ni presta servicios a CONCYTEC/FONDECYT"),
    Rule("Bases §3.2.2 (a)", "hasta {elegibilidad.meses_desvinculacion_concytec:palabras} meses después de "
         "culminado el vínculo con CONCYTEC/FONDECYT", desvinculado_de_concytec,
         datos=("coordinador_fin_vinculo_concytec",)),
    fact_is("elegibilidad.coordinador_familiar_concytec", False, "Bases §3.2.2 (b)",
            "sin cónyuge ni parientes en CONCYTEC/FONDECYT"),
    fact_is("elegibilidad.coordinador_pagado_por_concytec", False, "Bases §3.2.2 (c)",
            "el coordinador no recibe estipendio de CONCYTEC/FONDECYT con cargo a la subvención"),
    fact_is("elegibilidad.documentos_en_espanol", True, "Bases §3.3",
            "documentos en español o con traducción simple"),
    fact_is("elegibilidad.firmados_escaneados_de_originales", True, "Bases §3.3",
            "documentos firmados escaneados de sus originales"),
    Rule("Bases §3.3", "Anexo 1, Anexo 2, documento técnico y CV de CTI Vitae, en PDF", documentos_en_pdf, datos=tuple(DOCUMENTOS)),
    Rule("Bases, Disposición final primera", "autorización de acceso a biodiversidad", autorizacion_biodiversidad,
         datos=("uso_biodiversidad", "autorizacion_biodiversidad"), aplica=_usa_biodiversidad),
)


def sin_impedimento_en_registro(ctx: Context) -> list[str] | None:
    """An entity or coordinator flagged by an earlier call is not eligible while the flag lasts."""
    if ctx.registro is None:
        return None
    cierre = ctx.call.convocatoria.cierre.date()
    out = []
    for tipo, doc in (("entidad", ctx.get("entidad.ruc")), ("coordinador", ctx.get("coordinador.dni"))):
        for flag in ctx.registro.flags(tipo, doc, cierre):
            hasta = flag["hasta"].isoformat() if flag["hasta"] else "sin fecha de término"
            out.append(f"{flag['fuente']}: {tipo} {doc} impedido desde {flag['desde'].isoformat()} hasta {hasta} "
                       f"({flag['motivo']}, caso {flag['caso']})")
    return out


REGLAS_APTA: tuple[Rule, ...] = REQUISITOS + (
    Rule("Bases §3.2.2", "sin impedimento vigente en el registro de FONDECYT", sin_impedimento_en_registro),
)


def hay_requisito_incumplido(ctx: Context) -> str | None:
    if not any(rule.check(ctx) for rule in REGLAS_APTA):
        return "todos los requisitos de elegibilidad se cumplen: corresponde declarar_apta"
    return None


REGLAS_NO_APTA: tuple[Rule, ...] = (
    Rule("Bases §4.1.1", "al menos un requisito incumplido", hay_requisito_incumplido),
)


def requisitos_incumplidos(ctx: Context) -> dict[str, object]:
    fallas = [f"{r.fuente}: {msg}" for r in REQUISITOS if (msg := r.check(ctx))]
    fallas += sin_impedimento_en_registro(ctx) or []
    return {"requisitos_incumplidos": fallas}


def _si_no(nombre: str, ayuda: str) -> Field:
    return Field(nombre, "booleano", ayuda, requerido=False)


CAMPOS: tuple[Field, ...] = (
    Field("universidad_licencia_sunedu", "opcion", "universidad: licencia SUNEDU al cierre", requerido=False,
          opciones=LICENCIAS_SUNEDU),
    Field("empresa_forma_societaria", "texto", "empresa: forma societaria (E.I.R.L., S.R.L., S.A., S.A.C., S.A.A.)",
          requerido=False),
    _si_no("empresa_inscrita_registros_publicos", "empresa: inscrita en Registros Públicos"),
    _si_no("ruc_activo", "RUC de la entidad activo (SUNAT)"),
    _si_no("ruc_habido", "RUC de la entidad habido (SUNAT)"),
    _si_no("entidad_taller_caf", "la entidad participó en un taller intensivo de patentes CAF"),
    _si_no("entidad_obligaciones_pendientes", "la entidad tiene obligaciones pendientes con FONDECYT"),
    _si_no("entidad_renoes", "la entidad figura en RENOES"),
    _si_no("entidad_impedida_estado", "la entidad está impedida de contratar con el Estado"),
    _si_no("coordinador_reside_peru", "el coordinador reside en el Perú"),
    _si_no("coordinador_vinculo_entidad", "el coordinador tiene vínculo con la entidad"),
    Field("coordinador_investigador", "booleano", "el coordinador es investigador", requerido=False, no_aplica=True),
    Field("coordinador_orcid", "texto", "ORCID del coordinador (0000-0000-0000-0000)", requerido=False),
    _si_no("coordinador_taller_caf", "el coordinador participó en un taller CAF"),
    _si_no("anexo_2_firmado", "el coordinador firmó la carta de compromiso (Anexo 2)"),
    _si_no("coordinador_obligaciones_pendientes", "el coordinador tiene obligaciones pendientes con FONDECYT"),
    _si_no("coordinador_renoes", "el coordinador figura en RENOES"),
    _si_no("coordinador_redam", "el coordinador figura en REDAM"),
    _si_no("coordinador_informacion_privilegiada", "el coordinador tuvo información privilegiada"),
    _si_no("coordinador_vinculo_concytec", "el coordinador trabaja o presta servicios a CONCYTEC/FONDECYT"),
    Field("coordinador_fin_vinculo_concytec", "fecha", "fecha en que terminó su vínculo con CONCYTEC/FONDECYT",
          requerido=False),
    _si_no("coordinador_familiar_concytec", "cónyuge o pariente en CONCYTEC/FONDECYT"),
    _si_no("coordinador_pagado_por_concytec", "recibe estipendio de CONCYTEC/FONDECYT con cargo a la subvención"),
    _si_no("documentos_en_espanol", "documentos en español o con traducción simple"),
    _si_no("firmados_escaneados_de_originales", "documentos firmados escaneados de sus originales"),
    *(Field(d, "documento", f"el PDF del {titulo}", requerido=False) for d, titulo in DOCUMENTOS.items()),
    Field("uso_biodiversidad", "booleano", "el concepto usó recursos de la biodiversidad", requerido=False,
          no_aplica=True),
    Field("autorizacion_biodiversidad", "booleano", "se solicitó o se compromete a solicitar la autorización",
          requerido=False, no_aplica=True),
)
