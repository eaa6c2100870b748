"""`convoca demo`: the main job end to end on a fresh rehearsal database, with fictional proposals
(workflow/cli/demo_data.py). Each stage of a call is one method, in the order an officer lives them;
every step goes through the real events, dated 2019–2020, and `run` prints what happened.
"""
from __future__ import annotations

import random
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from states.books import book_of
from states.plural import cuantos
from workflow.cli.demo_data import (
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
    write_csv,
)

USUARIOS = (("admin", "admin", None), ("mesa.partes", "ues", None), ("ues.ana", "ues", "ana@fondecyt.gob.pe"),
            ("indecopi.eval", "evaluador", None), ("de.director", "direccion", "direccion@fondecyt.gob.pe"),
            ("usm.luis", "monitor", "luis@fondecyt.gob.pe"), ("oci.auditora", "auditor", "oci@example.org"))
MONITOR = "usm.luis"


FIN = date(2020, 10, 5)
"""The demo's last Monday: its last pass of `vigilar`, and the date of its portfolio report."""

class Scenario:
    def __init__(self, path: Path, csv_path: Path):
        from rich.console import Console

        from states.call import DEFAULT_CALL
        from workflow.clock import Clock
        from workflow.engine.calls import call_of
        from workflow.engine.installation import install
        from workflow.storage.db import open_session

        self.out = Console(highlight=False, emoji=False)
        self.path, self.csv_path = path, csv_path
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        self.clock = Clock()
        # a demonstration is a rehearsal: it names its users freely
        install(url, DEFAULT_CALL, ensayo=True, usuario=None, today=self.clock.today(), usuarios=USUARIOS)
        self.session = open_session(url)
        self.call = call_of(self.session)
        self.rows = {r["codigo"]: r for r in proposals(42)}
        self.seleccionadas: list[str] = []

    def act(self, codigo: str, evento: str, fecha: date, usuario: str, **datos: Any) -> None:
        from workflow.engine.cases import Request, apply

        apply(self.session, [Request(codigo, evento, datos, usuario, fecha)], self.clock)

    def refused(self, codigo: str, evento: str, fecha: date, usuario: str, **datos: Any) -> None:
        """A step the rules refuse, shown with its reasons."""
        from workflow.errors import Refusal

        try:
            self.act(codigo, evento, fecha, usuario, **datos)
        except Refusal as r:
            self.out.print(f"   [yellow]rechazado[/yellow] {r}")

    def notify(self, codigo: str, tipo: str, fecha: date, hito: int | None = None) -> str:
        """The notification takes effect: acknowledged by e-mail when its addressee authorised it,
        else delivered at the domicile the next day. Returns the channel."""
        from states.pct_2019.notificaciones import CORREO, DOMICILIO, clave

        n = self.facts(codigo)["notificaciones"][clave(tipo, hito)]
        medio = CORREO if n["correo_autorizado"] else DOMICILIO
        self.act(codigo, "registrar_notificacion", fecha if medio == CORREO else fecha + timedelta(days=1), "ues.ana",
                 notificacion=tipo, medio=medio, **({"hito": hito} if hito else {}),
                 evidencia="acuse de recibo por correo" if medio == CORREO else f"cargo de entrega {codigo}-{tipo}")
        return medio

    def codes(self, estado: str) -> list[str]:
        from sqlalchemy import select

        from workflow.storage.models import CaseRecord

        return list(self.session.execute(select(CaseRecord.codigo).where(CaseRecord.estado == estado)
                                         .order_by(CaseRecord.codigo)).scalars())

    def facts(self, codigo: str) -> dict[str, Any]:
        from sqlalchemy import select

        from workflow.storage.models import CaseRecord

        return self.session.execute(select(CaseRecord.hechos).where(CaseRecord.codigo == codigo)).scalar_one()

    def applications(self) -> None:
        from workflow.engine.importer import import_file

        csv_path = write_csv(list(self.rows.values()), self.csv_path)
        n = import_file(self.session, self.call, csv_path, "mesa.partes").total
        self.out.print(f"[bold]convoca demo[/bold] — convocatoria {self.call.codigo} «{self.call.convocatoria.nombre}», "
                       f"base {self.path}")
        self.out.print(f"1. Importadas {n} postulaciones desde {csv_path}")

    def eligibility(self) -> None:
        from workflow.errors import Refusal

        fecha = date(2019, 10, 25)
        fallas = {"E062-0003": {"coordinador_redam": "si"},
                  "E062-0007": {"coordinador_vinculo_concytec": "no", "coordinador_fin_vinculo_concytec": "2019-06-30"},
                  "E062-0011": {"anexo_2": "anexo2.docx"}}
        apta = no_apta = 0
        for codigo, row in self.rows.items():
            self.act(codigo, "registrar_elegibilidad", fecha, "ues.ana", **eligibility_facts(**fallas.get(codigo, {})))
            if codigo == "E062-0013":
                self.out.print(f"2. Ejemplo de regla que explica su rechazo ({codigo}, {row['entidad_razon_social']}):")
                self.refused(codigo, "declarar_apta", fecha, "ues.ana")
            try:
                self.act(codigo, "declarar_apta", fecha, "ues.ana")
                apta += 1
            except Refusal:
                self.act(codigo, "declarar_no_apta", fecha, "ues.ana")
                no_apta += 1
        self.out.print(f"3. Elegibilidad: {apta} aptas, {no_apta} no aptas (cada no apta registra sus requisitos "
                       "incumplidos)")

    def evaluation(self) -> None:
        rng = random.Random(7)
        for codigo in self.codes("apta"):
            producto = self.rows[codigo]["tipo_concepto"] == "producto"
            inventivo = rng.choice([0, 3, 4, 4, 5, 5]) if producto else rng.choice([2, 3, 4, 5, 5, 5])
            grades = {"presencia": rng.choice([0, 4, 5, 5, 5, 5, 5, 5]), "relevancia": rng.choice([3, 4, 5, 5]),
                      "inventivo": inventivo, "bono_discapacidad": "si" if rng.random() < 0.1 else "no",
                      "comentarios": "Ficha consensuada por los expertos de INDECOPI."}
            if inventivo == 0:
                grades["ventaja"] = rng.choice([3, 4, 5])
            self.act(codigo, "evaluar", date(2019, 11, 8), "indecopi.eval", **grades)

    def selection(self) -> None:
        from workflow.engine.selection import publish, rank

        call, ranking = self.call, rank(self.session, self.call)
        self.out.print(f"4. Evaluación: {len(ranking.aprobadas)} de {len(ranking.filas)} alcanzan "
                       f"{call.seleccion.puntaje_minimo}; desempate: {ranking.desempate}")
        acta = None
        if ranking.requiere_comite:
            pre = [r.codigo for r in ranking.preseleccion()]
            acta = {"numero": "ACTA-CC-001-2019", "fecha": "2019-11-14", **COMITE,
                    "seleccionadas": pre[:call.seleccion.plazas], "accesitarias": pre[call.seleccion.plazas:]}
            self.out.print(f"   Más aprobadas que plazas ({call.seleccion.plazas}): decide el Comité de Consistencia "
                           f"({acta['numero']}, prioriza patentes de invención)")
        counts = publish(self.session, call, "RDE 123-2019-FONDECYT-DE", date(2019, 11, 18), "de.director",
                         self.clock, acta)
        self.out.print("5. Resultados publicados en una transacción: "
                       + ", ".join(cuantos(n, r) for r, n in counts.items()))
        for estado in ("aprobada", "accesitaria", "desaprobada"):
            for c in self.codes(estado):
                self.notify(c, "resultado", date(2019, 11, 19))
        medios = [self.notify(c, "invitacion_firma", date(2019, 11, 19)) for c in self.codes("aprobada")]
        self.out.print("   Resultados e invitaciones a firmar notificados; de las invitaciones, "
                       f"{medios.count('correo')} con acuse del correo, "
                       f"{medios.count('domicilio')} en el domicilio (su representante no autorizó el correo); el plazo "
                       "de firma corre desde el día hábil siguiente")

    def withdrawal_and_promotion(self) -> None:
        self.seleccionadas = self.codes("aprobada")
        renuncia = self.seleccionadas.pop(0)
        self.act(renuncia, "desistir", date(2019, 11, 22), "ues.ana", causa="renuncia", justificada="si",
                 motivo="La entidad renuncia por carta")
        accesitarias = sorted((self.facts(c)["resultado"]["orden_merito"], c) for c in self.codes("accesitaria"))
        if accesitarias:
            siguiente = accesitarias[0][1]
            self.act(siguiente, "promover", date(2019, 11, 25), "de.director", vacante=renuncia)
            self.notify(siguiente, "invitacion_firma", date(2019, 11, 26))
            self.out.print(f"6. {renuncia} desiste; se promueve a {siguiente}, primera accesitaria en orden de mérito")
            self.seleccionadas.append(siguiente)

    def contracts(self) -> None:
        """Twelve contracts; nine disbursed; six with their Plan Operativo approved."""
        from workflow.engine.users import assign

        for i, codigo in enumerate(self.seleccionadas[:12]):
            row = self.rows[codigo]
            assign(self.session, codigo, MONITOR, "ues.ana", self.clock, date(2019, 11, 26))
            self.act(codigo, "registrar_proveedor", date(2019, 11, 26), "ues.ana", **provider_facts())
            self.act(codigo, "aprobar_proveedor", date(2019, 11, 27), "ues.ana")
            self.act(codigo, "registrar_presupuesto", date(2019, 11, 27), "ues.ana",
                     **budget_facts(row["entidad_regimen"], row["entidad_ciudad"]))
            self.act(codigo, "firmar_contrato", date(2019, 12, 2), "de.director", **contract_facts())
            if i >= 9:
                continue
            self.act(codigo, "registrar_cuenta", date(2019, 12, 5), MONITOR, **ACCOUNT)
            if row["entidad_regimen"] != "publica":
                self.act(codigo, "registrar_fianza", date(2019, 12, 10), MONITOR,
                         **fianza_facts("2500.00", date(2019, 12, 10), date(2020, 7, 31)))
            self.act(codigo, "desembolsar", date(2019, 12, 16), "de.director")
            self.act(codigo, "registrar_induccion", date(2019, 12, 20), MONITOR, asistio_coordinador="si")
            if i >= 6:
                continue
            self.act(codigo, "registrar_negociacion", date(2019, 12, 27), MONITOR, asistio_coordinador="si")
            self.act(codigo, "registrar_po", date(2019, 12, 30), MONITOR, **po_facts(1, HITOS))
            self.act(codigo, "aprobar_po", date(2020, 1, 3), MONITOR)
        self.out.print("7. Contratos, desembolsos (carta fianza para privadas), inducción y Plan Operativo aprobado")
        from workflow.engine.agenda import add_non_working_day

        movidos = add_non_working_day(self.session, date(2020, 1, 2), date(2020, 1, 2), "no_laborable", "nacional",
                                      "DS 000-2019-PCM (ficticio, de la demostración)", "de.director", self.clock.today(),
                                      book_of(self.call).jurisdiccion.pais)
        prorrogados = cuantos(movidos, "plazo en curso se prorroga", "plazos en curso se prorrogan")
        self.out.print(f"   Se declara no laborable el 2020-01-02: {prorrogados} y se avisa a quienes los deben")

    def project_to_closing(self) -> None:
        """One project from its first expense to the closing, with an observation, an extended
        milestone, a project extension and the return of the unused money."""
        from states.pct_2019.rules import money
        from states.pct_2019.rules.gastos import gastado

        c, m = self.seleccionadas[0], MONITOR
        act = self.act
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
        self.out.print(f"8. {c}: hito 1 observado y levantado; hito 2 ampliado al 2020-05-15; visita sin aviso")
        self.refused(c, "solicitar_ampliacion", date(2020, 6, 12), m, justificacion="Demora de INDECOPI")
        act(c, "solicitar_ampliacion", date(2020, 6, 1), m, justificacion="Demora del examen de forma en INDECOPI")
        act(c, "registrar_po", date(2020, 6, 3), m, **po_facts(2, ["2020-02-16", "2020-05-15", "2020-08-16"]))
        if self.rows[c]["entidad_regimen"] != "publica":
            act(c, "registrar_fianza", date(2020, 6, 4), m, **fianza_facts("2500.00", date(2020, 6, 4), date(2020, 9, 30)))
        act(c, "aprobar_ampliacion", date(2020, 6, 5), m, informe_monitor="Informe 44-2020-USM",
            adenda_numero="Adenda 1", adenda_fecha="2020-06-05", nuevo_fin="2020-08-16")
        act(c, "recibir_itf_fisico", date(2020, 6, 5), m, hito=2)
        self.out.print(f"9. {c}: ampliación del proyecto con adenda, PO versión 2; nuevo fin 2020-08-16")
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
        hechos = self.facts(c)
        devolver = Decimal(hechos["ejecucion"]["monto_desembolsado"]) - gastado(hechos.get("gastos"))
        act(c, "registrar_devolucion", date(2020, 9, 21), m, monto=str(devolver), recibo="Depósito 000123")
        act(c, "cerrar", date(2020, 9, 30), m, rifr="RIFR-004-2020", oficio="Oficio 210-2020-FONDECYT-USM")
        self.out.print(f"10. {c}: IFR observado (notificación con acuse) y levantado; IFR aprobado, resultados "
                       f"acreditados, saldo de {money(devolver)} devuelto: cerrado")

    def other_projects(self) -> None:
        """Two projects that end their execution, one that refuses a visit, one resolved."""
        from states.pct_2019.rules import money

        for codigo in self.seleccionadas[1:3]:
            pasos = [p for n, f in enumerate(HITOS, start=1) for p in milestone_steps(n, date.fromisoformat(f))]
            for evento, fecha, datos in sorted([*pasos, ("terminar_ejecucion", date(2020, 6, 16), {})],
                                               key=lambda p: p[1]):
                self.act(codigo, evento, fecha, MONITOR, **datos)
        negada = self.seleccionadas[3]
        self.act(negada, "registrar_visita", date(2020, 2, 10), MONITOR, anunciada="no", acta="ACTA-VM-020",
                 acceso_negado="si")
        self.act(negada, "presentar_itf", date(2020, 2, 14), MONITOR, hito=1, indicadores_cumplidos=3)
        self.act(negada, "aprobar_itf", date(2020, 2, 21), MONITOR, hito=1)
        self.out.print(f"11. {negada}: se negó el acceso a la visita: hito 1 Desaprobado")
        resuelto = self.seleccionadas[5]
        self.act(resuelto, "resolver_contrato", date(2020, 5, 4), "de.director", causa="incumplimiento",
                 carta_notarial="CN-77-2020", informe_usm="Informe 31-2020-USM")
        res = self.facts(resuelto)["resolucion"]
        self.out.print(f"12. {resuelto}: contrato resuelto por incumplimiento: devolver {money(res['principal'])} + "
                       f"intereses {money(res['interes'])} ({res['dias_interes']} días) = "
                       f"{money(res['total_a_devolver'])}")

    def vigilance(self) -> None:
        """`vigilar` every Monday of 2020, as the service would; the escalation of one paper ITF shown."""
        from sqlalchemy import func, select

        from workflow.clock import LIMA
        from workflow.engine.vigilance import run_pass
        from workflow.storage.models import Message

        negada, acciones = self.seleccionadas[3], {}
        lunes = date(2019, 12, 2)
        while lunes <= FIN:
            for a in run_pass(self.session, datetime.combine(lunes, datetime.min.time(), LIMA).replace(hour=8)):
                acciones[a.accion] = acciones.get(a.accion, 0) + 1
                if a.codigo == negada and a.plazo == "P5/1":
                    self.out.print(f"   {a.fecha} {negada} P5 (ITF físico del hito 1): {a.detalle}")
            self.session.commit()
            lunes += timedelta(days=7)
        self.out.print("13. vigilar cada lunes de 2020: " + ", ".join(f"{n} {k}" for k, n in sorted(acciones.items())))
        bandeja = dict(self.session.execute(select(Message.tipo, func.count()).group_by(Message.tipo)).all())
        self.out.print("14. Bandeja de salida (sin SMTP configurado, esperan envío): "
                       + ", ".join(f"{n} {k}" for k, n in sorted(bandeja.items())))

    def summary(self) -> None:
        from rich.table import Table
        from sqlalchemy import func, select

        from states.books import book_of
        from workflow.storage.models import CaseRecord

        table = Table(title=f"Casos por estado — {self.call.codigo}")
        table.add_column("Estado")
        table.add_column("Casos", justify="right")
        por_estado = dict(self.session.execute(select(CaseRecord.estado, func.count())
                                               .group_by(CaseRecord.estado)).all())
        for s in book_of(self.call).ciclo.estados:
            if por_estado.get(s.nombre):
                table.add_row(s.titulo, str(por_estado[s.nombre]))
        self.out.print(table)
        self.report()
        self.checkpoint()
        ejemplo, convoca = self.seleccionadas[0], Path(sys.executable).parent / "convoca"
        programa = str(convoca) if convoca.exists() else "convoca"
        self.out.print("Para explorar la base de la demostración:")
        for comando in ("listar", f"ver {ejemplo}", f"historial {ejemplo}", f"informe --al {FIN.isoformat()}",
                        "auditoria verificar"):
            self.out.print(f"  {programa} --db {self.path.resolve()} {comando}", soft_wrap=True)


    def checkpoint(self) -> None:
        """The demo's record ends signed: a key of its own beside the database (made anew with it), the
        signed checkpoint, and the export an auditor verifies with the standalone file."""
        from workflow.engine import checkpoints
        from workflow.engine.custody import VERIFIER, export

        clave, carpeta = self.path.with_name(f"{self.path.stem}.clave"), self.path.with_name(f"{self.path.stem}-auditoria")
        clave.unlink(missing_ok=True)  # the demo's database is new: so is its key
        key = checkpoints.create(clave, checkpoints.origin(self.session.connection()))
        seal = export(self.session.connection(), carpeta, self.clock.now(), key)
        self.session.rollback()
        self.out.print(f"16. Registro firmado: punto de control de {seal.filas} filas con la clave {clave} (solo su "
                       f"dueño la lee); exportado a {carpeta}. El auditor lo verifica sin convoca con:", soft_wrap=True)
        self.out.print(f"  python3 {carpeta.resolve() / VERIFIER} {carpeta.resolve()} --clave {key.verifier()}",
                       soft_wrap=True)

    def report(self) -> None:
        """The portfolio report as of the demo's last Monday, as a page beside the database."""
        from workflow.engine.cartera import portfolio
        from workflow.files.informe import write_html

        pagina = self.path.with_name(f"{self.path.stem}-informe.html")
        r = portfolio(self.session.connection(), self.call, FIN, None, self.clock.now())
        self.session.rollback()
        write_html(r.as_dict(), True, pagina)
        self.out.print(f"15. Informe de cartera al {FIN.isoformat()}: {pagina} (ábralo en el navegador; "
                       f"`convoca informe --al {FIN.isoformat()}` lo repite)", soft_wrap=True)


def run(path: Path, csv_path: Path | None = None) -> None:
    """Builds the demo database and prints what happened, ending with cases per state."""
    scenario = Scenario(path, csv_path or path.with_suffix(".csv"))
    for stage in (scenario.applications, scenario.eligibility, scenario.evaluation, scenario.selection,
                  scenario.withdrawal_and_promotion, scenario.contracts, scenario.project_to_closing,
                  scenario.other_projects, scenario.vigilance, scenario.summary):
        stage()  # each stage prints its numbered line as it ends: the demo's progress
    scenario.session.close()
