"""E062-2019-01's story in `convoca demo` (states/historia.py): 42 fictional proposals from import to
the closing of a project, every step through the real events, dated 2019–2020.

Each stage is one function, in the order an officer lives them; the data it uses is
states/pct_2019/demo_data.py, which the tests share.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from states.historia import Escena, Historia
from states.pct_2019.demo_data import (
    ACCOUNT,
    COMITE,
    HITOS,
    RESULTS,
    RIFR_SATISFACTORIO,
    budget_facts,
    contract_facts,
    eligibility_facts,
    fianza_facts,
    milestone_steps,
    po_facts,
    proposals,
    provider_facts,
)
from states.pct_2019.notificaciones import CORREO, DOMICILIO, clave
from states.pct_2019.rules import money
from states.pct_2019.rules.gastos import gastado
from states.plural import cuantos

USUARIOS = (("admin", "admin", None), ("mesa.partes", "ues", None), ("ues.ana", "ues", "ana@fondecyt.gob.pe"),
            ("indecopi.eval", "evaluador", None), ("de.director", "direccion", "direccion@fondecyt.gob.pe"),
            ("usm.luis", "monitor", "luis@fondecyt.gob.pe"), ("oci.auditora", "auditor", "oci@example.org"))
MONITOR = "usm.luis"
FIN = date(2020, 10, 5)
"""The story's last Monday: its last pass of `vigilar`, and the date of its portfolio report."""


class _Relato:
    """The story's memory between stages: the proposals imported and the contracts it follows."""

    def __init__(self, escena: Escena):
        self.e = escena
        self.rows = {r["codigo"]: r for r in proposals(42)}
        self.seleccionadas: list[str] = []

    def notify(self, codigo: str, tipo: str, fecha: date, hito: int | None = None) -> str:
        """The notification takes effect: acknowledged by e-mail when its addressee authorised it,
        else delivered at the domicile the next day. Returns the channel."""
        n = self.e.hechos(codigo)["notificaciones"][clave(tipo, hito)]
        medio = CORREO if n["correo_autorizado"] else DOMICILIO
        self.e.hacer(codigo, "registrar_notificacion", fecha if medio == CORREO else fecha + timedelta(days=1),
                     "ues.ana", notificacion=tipo, medio=medio, **({"hito": hito} if hito else {}),
                     evidencia="acuse de recibo por correo" if medio == CORREO else f"cargo de entrega {codigo}-{tipo}")
        return medio

    def refused(self, codigo: str, evento: str, fecha: date, usuario: str, **datos: Any) -> None:
        """A step the rules refuse, shown with its reasons."""
        razones = self.e.intentar(codigo, evento, fecha, usuario, **datos)
        self.e.decir(f"   [yellow]rechazado[/yellow] {razones}")

    def applications(self) -> None:
        n, archivo = self.e.importar(list(self.rows.values()), "mesa.partes")
        self.e.decir(f"1. Importadas {n} postulaciones desde {archivo}")

    def eligibility(self) -> None:
        fecha = date(2019, 10, 25)
        fallas = {"E062-0003": {"coordinador_redam": "si"},
                  "E062-0007": {"coordinador_vinculo_concytec": "no", "coordinador_fin_vinculo_concytec": "2019-06-30"},
                  "E062-0011": {"anexo_2": "anexo2.docx"}}
        apta = no_apta = 0
        for codigo, row in self.rows.items():
            self.e.hacer(codigo, "registrar_elegibilidad", fecha, "ues.ana", **eligibility_facts(**fallas.get(codigo, {})))
            if codigo == "E062-0013":
                self.e.decir(f"2. Ejemplo de regla que explica su rechazo ({codigo}, {row['entidad_razon_social']}):")
                self.refused(codigo, "declarar_apta", fecha, "ues.ana")
            if self.e.intentar(codigo, "declarar_apta", fecha, "ues.ana") is None:
                apta += 1
            else:
                self.e.hacer(codigo, "declarar_no_apta", fecha, "ues.ana")
                no_apta += 1
        self.e.decir(f"3. Elegibilidad: {apta} aptas, {no_apta} no aptas (cada no apta registra sus requisitos "
                     "incumplidos)")

    def evaluation(self) -> None:
        rng = random.Random(7)
        for codigo in self.e.codigos("apta"):
            producto = self.rows[codigo]["tipo_concepto"] == "producto"
            inventivo = rng.choice([0, 3, 4, 4, 5, 5]) if producto else rng.choice([2, 3, 4, 5, 5, 5])
            grades = {"presencia": rng.choice([0, 4, 5, 5, 5, 5, 5, 5]), "relevancia": rng.choice([3, 4, 5, 5]),
                      "inventivo": inventivo, "bono_discapacidad": "si" if rng.random() < 0.1 else "no",
                      "comentarios": "Ficha consensuada por los expertos de INDECOPI."}
            if inventivo == 0:
                grades["ventaja"] = rng.choice([3, 4, 5])
            self.e.hacer(codigo, "evaluar", date(2019, 11, 8), "indecopi.eval", **grades)

    def selection(self) -> None:
        call, ranking = self.e.call, self.e.clasificar()
        self.e.decir(f"4. Evaluación: {len(ranking.aprobadas)} de {len(ranking.filas)} alcanzan "
                     f"{call.seleccion.puntaje_minimo}; desempate: {ranking.desempate}")
        acta = None
        if ranking.requiere_comite:
            pre = [r.codigo for r in ranking.preseleccion()]
            acta = {"numero": "ACTA-CC-001-2019", "fecha": "2019-11-14", **COMITE,
                    "seleccionadas": pre[:call.seleccion.plazas], "accesitarias": pre[call.seleccion.plazas:]}
            self.e.decir(f"   Más aprobadas que plazas ({call.seleccion.plazas}): decide el Comité de Consistencia "
                         f"({acta['numero']}, prioriza patentes de invención)")
        counts = self.e.publicar("RDE 123-2019-FONDECYT-DE", date(2019, 11, 18), "de.director", acta)
        self.e.decir("5. Resultados publicados en una transacción: "
                     + ", ".join(cuantos(n, r) for r, n in counts.items()))
        for estado in ("aprobada", "accesitaria", "desaprobada"):
            for c in self.e.codigos(estado):
                self.notify(c, "resultado", date(2019, 11, 19))
        medios = [self.notify(c, "invitacion_firma", date(2019, 11, 19)) for c in self.e.codigos("aprobada")]
        self.e.decir("   Resultados e invitaciones a firmar notificados; de las invitaciones, "
                     f"{medios.count('correo')} con acuse del correo, "
                     f"{medios.count('domicilio')} en el domicilio (su representante no autorizó el correo); el plazo "
                     "de firma corre desde el día hábil siguiente")

    def withdrawal_and_promotion(self) -> None:
        self.seleccionadas = self.e.codigos("aprobada")
        renuncia = self.seleccionadas.pop(0)
        self.e.hacer(renuncia, "desistir", date(2019, 11, 22), "ues.ana", causa="renuncia", justificada="si",
                     motivo="La entidad renuncia por carta")
        accesitarias = sorted((self.e.hechos(c)["resultado"]["orden_merito"], c) for c in self.e.codigos("accesitaria"))
        if accesitarias:
            siguiente = accesitarias[0][1]
            self.e.hacer(siguiente, "promover", date(2019, 11, 25), "de.director", vacante=renuncia)
            self.notify(siguiente, "invitacion_firma", date(2019, 11, 26))
            self.e.decir(f"6. {renuncia} desiste; se promueve a {siguiente}, primera accesitaria en orden de mérito")
            self.seleccionadas.append(siguiente)

    def contracts(self) -> None:
        """Twelve contracts; nine disbursed; six with their Plan Operativo approved."""
        act = self.e.hacer
        for i, codigo in enumerate(self.seleccionadas[:12]):
            row = self.rows[codigo]
            self.e.asignar(codigo, MONITOR, "ues.ana", date(2019, 11, 26))
            act(codigo, "registrar_proveedor", date(2019, 11, 26), "ues.ana", **provider_facts())
            act(codigo, "aprobar_proveedor", date(2019, 11, 27), "ues.ana")
            act(codigo, "registrar_presupuesto", date(2019, 11, 27), "ues.ana",
                **budget_facts(row["entidad_regimen"], row["entidad_ciudad"]))
            act(codigo, "firmar_contrato", date(2019, 12, 2), "de.director", **contract_facts())
            if i >= 9:
                continue
            act(codigo, "registrar_cuenta", date(2019, 12, 5), MONITOR, **ACCOUNT)
            if row["entidad_regimen"] != "publica":
                act(codigo, "registrar_fianza", date(2019, 12, 10), MONITOR,
                    **fianza_facts("2500.00", date(2019, 12, 10), date(2020, 7, 31)))
            act(codigo, "desembolsar", date(2019, 12, 16), "de.director")
            act(codigo, "registrar_induccion", date(2019, 12, 20), MONITOR, asistio_coordinador="si")
            if i >= 6:
                continue
            act(codigo, "registrar_negociacion", date(2019, 12, 27), MONITOR, asistio_coordinador="si")
            act(codigo, "registrar_po", date(2019, 12, 30), MONITOR, **po_facts(1, HITOS))
            act(codigo, "aprobar_po", date(2020, 1, 3), MONITOR)
        self.e.decir("7. Contratos, desembolsos (carta fianza para privadas), inducción y Plan Operativo aprobado")
        movidos = self.e.no_laborable(date(2020, 1, 2), "DS 000-2019-PCM (ficticio, de la demostración)", "de.director")
        prorrogados = cuantos(movidos, "plazo en curso se prorroga", "plazos en curso se prorrogan")
        self.e.decir(f"   Se declara no laborable el 2020-01-02: {prorrogados} y se avisa a quienes los deben")

    def project_to_closing(self) -> None:
        """One project from its first expense to the closing, with an observation, an extended
        milestone, a project extension and the return of the unused money."""
        c, m, act = self.seleccionadas[0], MONITOR, self.e.hacer
        act(c, "registrar_gasto", date(2020, 2, 3), m, partida="servicios_tecnologicos", monto="12000.00",
            fecha_comprobante="2020-02-01", comprobante="F001-0456")
        act(c, "presentar_itf", date(2020, 2, 14), m, hito=1, indicadores_cumplidos=2,
            declaracion_contrapartida="DJ-1")
        act(c, "observar_itf", date(2020, 2, 20), m, hito=1, observaciones="Falta el acta de la reunión con el proveedor")
        self.notify(c, "observaciones_itf", date(2020, 2, 21), hito=1)  # a Friday: P4 counts from Monday
        act(c, "levantar_observaciones", date(2020, 3, 2), m, hito=1, indicadores_cumplidos=3)
        act(c, "aprobar_itf", date(2020, 3, 5), m, hito=1)
        act(c, "registrar_visita", date(2020, 3, 10), m, anunciada="no", acta="ACTA-VM-012",
            recomendaciones="Archivar las actas en el SIG")
        act(c, "recibir_itf_fisico", date(2020, 3, 20), m, hito=1)
        act(c, "ampliar_hito", date(2020, 4, 14), m, hito=2, fecha_solicitud="2020-04-10", nueva_fecha="2020-05-15")
        act(c, "presentar_itf", date(2020, 5, 15), m, hito=2, indicadores_cumplidos=3,
            declaracion_contrapartida="DJ-2")
        act(c, "aprobar_itf", date(2020, 5, 22), m, hito=2)
        self.e.decir(f"8. {c}: hito 1 observado y levantado; hito 2 ampliado al 2020-05-15; visita sin aviso")
        self.refused(c, "solicitar_ampliacion", date(2020, 6, 12), m, justificacion="Demora de INDECOPI")
        act(c, "solicitar_ampliacion", date(2020, 6, 1), m, justificacion="Demora del examen de forma en INDECOPI")
        act(c, "registrar_po", date(2020, 6, 3), m, **po_facts(2, ["2020-02-16", "2020-05-15", "2020-08-16"]))
        if self.rows[c]["entidad_regimen"] != "publica":
            act(c, "registrar_fianza", date(2020, 6, 4), m, **fianza_facts("2500.00", date(2020, 6, 4), date(2020, 9, 30)))
        act(c, "aprobar_ampliacion", date(2020, 6, 5), m, informe_monitor="Informe 44-2020-USM",
            adenda_numero="Adenda 1", adenda_fecha="2020-06-05", nuevo_fin="2020-08-16")
        act(c, "recibir_itf_fisico", date(2020, 6, 5), m, hito=2)
        self.e.decir(f"9. {c}: ampliación del proyecto con adenda, PO versión 2; nuevo fin 2020-08-16")
        act(c, "registrar_gasto", date(2020, 8, 3), m, partida="servicios_tecnologicos", monto="7500.00",
            fecha_comprobante="2020-07-30", comprobante="F001-0501")
        # in date order: a case's history never goes back (the last ITF is approved after execution ends)
        for evento, fecha, datos in sorted([*milestone_steps(3, date(2020, 8, 14)),
                                            ("terminar_ejecucion", date(2020, 8, 17), {})], key=lambda p: p[1]):
            act(c, evento, fecha, m, **datos)
        act(c, "presentar_ifr", date(2020, 8, 28), m)
        act(c, "registrar_resultados", date(2020, 8, 28), m, **RESULTS)
        act(c, "observar_ifr", date(2020, 8, 31), m, observaciones="Falta la copia de la solicitud PCT")
        self.notify(c, "observaciones_ifr", date(2020, 9, 1))
        act(c, "levantar_observaciones_ifr", date(2020, 9, 3), m)
        act(c, "aprobar_ifr", date(2020, 9, 4), m, **RIFR_SATISFACTORIO)
        act(c, "recibir_ifr_fisico", date(2020, 9, 18), m)
        hechos = self.e.hechos(c)
        devolver = Decimal(hechos["ejecucion"]["monto_desembolsado"]) - gastado(hechos.get("gastos"))
        act(c, "registrar_devolucion", date(2020, 9, 21), m, monto=str(devolver), recibo="Depósito 000123")
        act(c, "cerrar", date(2020, 9, 30), m, rifr="RIFR-004-2020", oficio="Oficio 210-2020-FONDECYT-USM")
        self.e.decir(f"10. {c}: IFR observado (notificación con acuse) y levantado; IFR aprobado, resultados "
                     f"acreditados, saldo de {money(devolver)} devuelto: cerrado")

    def other_projects(self) -> None:
        """Two projects that end their execution, one that refuses a visit, one resolved."""
        for codigo in self.seleccionadas[1:3]:
            pasos = [p for n, f in enumerate(HITOS, start=1) for p in milestone_steps(n, date.fromisoformat(f))]
            for evento, fecha, datos in sorted([*pasos, ("terminar_ejecucion", date(2020, 6, 16), {})],
                                               key=lambda p: p[1]):
                self.e.hacer(codigo, evento, fecha, MONITOR, **datos)
        negada = self.seleccionadas[3]
        self.e.hacer(negada, "registrar_visita", date(2020, 2, 10), MONITOR, anunciada="no", acta="ACTA-VM-020",
                     acceso_negado="si")
        self.e.hacer(negada, "presentar_itf", date(2020, 2, 14), MONITOR, hito=1, indicadores_cumplidos=3)
        self.e.hacer(negada, "aprobar_itf", date(2020, 2, 21), MONITOR, hito=1)
        self.e.decir(f"11. {negada}: se negó el acceso a la visita: hito 1 Desaprobado")
        resuelto = self.seleccionadas[5]
        self.e.hacer(resuelto, "resolver_contrato", date(2020, 5, 4), "de.director", causa="incumplimiento",
                     carta_notarial="CN-77-2020", informe_usm="Informe 31-2020-USM")
        res = self.e.hechos(resuelto)["resolucion"]
        self.e.decir(f"12. {resuelto}: contrato resuelto por incumplimiento: devolver {money(res['principal'])} + "
                     f"intereses {money(res['interes'])} ({res['dias_interes']} días) = "
                     f"{money(res['total_a_devolver'])}")

    def vigilance(self) -> None:
        """`vigilar` every Monday of 2020, as the service would; the escalation of one paper ITF shown."""
        negada = self.seleccionadas[3]

        def mirar(a: Any) -> None:
            if a.codigo == negada and a.plazo == "P5/1":
                self.e.decir(f"   {a.fecha} {negada} P5 (ITF físico del hito 1): {a.detalle}")

        acciones = self.e.vigilar(date(2019, 12, 2), FIN, mirar)
        self.e.decir("13. vigilar cada lunes de 2020: " + ", ".join(f"{n} {k}" for k, n in sorted(acciones.items())))
        self.e.decir("14. Bandeja de salida (sin SMTP configurado, esperan envío): "
                     + ", ".join(f"{n} {k}" for k, n in sorted(self.e.bandeja().items())))


def contar(escena: Escena) -> str:
    relato = _Relato(escena)
    for stage in (relato.applications, relato.eligibility, relato.evaluation, relato.selection,
                  relato.withdrawal_and_promotion, relato.contracts, relato.project_to_closing,
                  relato.other_projects, relato.vigilance):
        stage()  # each stage prints its numbered line as it ends: the demo's progress
    return relato.seleccionadas[0]


HISTORIA = Historia(convocatoria="E062-2019-01", contar=contar, fin=FIN, usuarios=USUARIOS)
