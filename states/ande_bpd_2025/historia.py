"""ANDE «Bienes Públicos Digitales» 2025's story in `convoca demo` (states/historia.py), told in the
same database after E062's: three applications from the formal check to the close of one project,
dated 2025–2026 in Montevideo's calendar.

One application is clarified in the formal round and goes on; one never answers and is eliminated;
the committee scores two on the Pautas' eleven criteria and the Directorio decides each, one against
the recommendation; the approved one signs its convenio, receives the advance, is refused its second
tranche at 62 % rendered, renders the rest, receives it and closes with the final reimbursement.
"""
from __future__ import annotations

from datetime import date

from states.ande_bpd_2025.demo_data import application
from states.historia import Escena, Historia

USUARIOS = (("comite.ande", "comite", None),)
"""The committee that scores ANDE's applications; the other officers are E062's story's."""
MONITOR, UES, DIRECTORIO = "usm.luis", "ues.ana", "de.director"
NOTAS = {"i": 4, "ii": 4, "iii": 3, "iv": 5, "v": 4, "vi": 4, "vii": 3, "viii": 4, "ix": 5, "x": 3, "xi": 2}
FIN = date(2026, 10, 30)
"""The day the project closes: the date of the story's portfolio report."""


def formal_check(e: Escena) -> None:
    for codigo in ("BPD-0001", "BPD-0002", "BPD-0003"):
        e.asignar(codigo, MONITOR, UES, date(2025, 12, 1))
    e.hacer("BPD-0001", "pedir_aclaracion", date(2025, 12, 1), UES,
            pedido="Adjunte el certificado de vigencia anual de DGI")
    e.hacer("BPD-0001", "responder_aclaracion", date(2025, 12, 4), UES, respuesta="Adjuntado")
    e.hacer("BPD-0002", "pedir_aclaracion", date(2025, 12, 1), UES, pedido="Falta el CV de la Persona Responsable")
    e.hacer("BPD-0002", "eliminar", date(2025, 12, 12), UES)
    for codigo in ("BPD-0001", "BPD-0003"):
        e.hacer(codigo, "admitir", date(2025, 12, 5), UES)
    e.decir("2. Elegibilidad formal: BPD-0001 responde la aclaración en plazo y se admite; BPD-0002 no responde "
            "en los cinco días hábiles de Uruguay y queda eliminada; BPD-0003 se admite")


def decision(e: Escena) -> None:
    for codigo in ("BPD-0001", "BPD-0003"):
        e.hacer(codigo, "evaluar", date(2025, 12, 15), "comite.ande", **NOTAS, recomendacion="aprobar",
                informe="Pertinente y viable")
    e.hacer("BPD-0001", "decidir", date(2025, 12, 22), DIRECTORIO, decision="aprobada", resolucion="RD 101/2025")
    e.hacer("BPD-0003", "decidir", date(2025, 12, 22), DIRECTORIO, decision="no_aprobada",
            resolucion="RD 102/2025")
    e.decir("3. El Comité califica los once criterios de las Pautas y recomienda aprobar ambas; el Directorio "
            "aprueba BPD-0001 y no aprueba BPD-0003 (su decisión no es la recomendación)")


def tranches(e: Escena) -> None:
    c = "BPD-0001"
    e.hacer(c, "firmar_convenio", date(2026, 1, 20), UES, fecha_inicio="2026-02-01", meses=9,
            metas="H1 plataforma beta; H2 veinte empresas usuarias")
    e.hacer(c, "desembolsar", date(2026, 2, 5), UES, tramo="anticipo")
    e.decir(f"4. {c}: convenio firmado dentro de los 45 días, inicio el 2026-02-01, nueve meses; anticipo (30 %)")
    e.hacer(c, "rendir", date(2026, 5, 5), MONITOR, hito=1, monto_ande=400000, monto_contrapartida=150000)
    e.hacer(c, "aprobar_rendicion", date(2026, 5, 8), MONITOR, numero=1, aprobado_ande=297600,
            aprobado_contrapartida=150000)
    e.hacer(c, "cumplir_metas", date(2026, 5, 10), MONITOR, evidencia="visita del 9 de mayo")
    e.decir(f"5. {c}: segundo tramo pedido con parte de la rendición aprobada:")
    e.decir(f"   [yellow]rechazado[/yellow] {e.intentar(c, 'desembolsar', date(2026, 5, 12), UES, tramo='segundo')}")
    e.hacer(c, "aprobar_rendicion", date(2026, 5, 12), MONITOR, numero=1, aprobado_ande=400000,
            aprobado_contrapartida=150000)
    e.hacer(c, "desembolsar", date(2026, 5, 12), UES, tramo="segundo")
    e.decir("   Aprobada la rendición entera, sale el segundo tramo (60 %)")
    e.hacer(c, "rendir", date(2026, 8, 5), MONITOR, hito=2, monto_ande=1040000, monto_contrapartida=350000)
    e.hacer(c, "aprobar_rendicion", date(2026, 8, 10), MONITOR, numero=2, aprobado_ande=1040000,
            aprobado_contrapartida=350000)
    e.hacer(c, "cerrar", FIN, UES, actividades="Plataforma en producción con veinte empresas usuarias")
    e.decir(f"6. {c}: todo lo desembolsado y la contrapartida rendidos y aprobados: cerrado, con el reembolso "
            "del tramo final (10 %)")


def contar(e: Escena) -> str:
    n, archivo = e.importar([application(i) for i in (1, 2, 3)], "mesa.partes")
    e.decir(f"1. Importadas {n} postulaciones desde {archivo}, cada una con sus socias y sus diez empresas "
            "que avalan")
    for stage in (formal_check, decision, tranches):
        stage(e)
    return "BPD-0001"


HISTORIA = Historia(convocatoria="ANDE-BPD-2025", contar=contar, fin=FIN, usuarios=USUARIOS)
