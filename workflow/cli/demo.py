"""`convoca demo`: every shipped call's story (states/<book>/historia.py) told end to end in one
fresh rehearsal database, then what an officer and an auditor would look at: cases per state, each
call's portfolio report and the signed record.

This module is the scene (states/historia.Escena) the stories are told through: each act goes
through the same judge, importer, selection and deadline service a command uses; it names nothing of
any book.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from states.books import REGISTRADOS, book_of
from states.call import CALLS_DIR
from states.historia import Historia, historia, write_csv


def stories() -> list[Historia]:
    """The registered books' stories, in the order the books are registered."""
    return [h for h in (historia(paquete) for paquete in REGISTRADOS.values()) if h]


class Scene:
    """One database, the call being told, and the acts of its story."""

    def __init__(self, path: Path, csv_path: Path):
        from rich.console import Console

        from workflow.clock import Clock

        self.out = Console(highlight=False, emoji=False)
        self.path, self.csv_path = path, csv_path
        self.clock = Clock()
        self.session: Any = None
        self.call: Any = None
        self.first: Historia | None = None

    def load(self, story: Historia) -> None:
        """Loads the story's call (installing the database with the first) and adds its users."""
        from workflow.engine.call_loading import load_into
        from workflow.engine.calls import call_of
        from workflow.engine.installation import install
        from workflow.engine.users import add_user
        from workflow.storage.db import open_session

        url, today = f"sqlite:///{self.path}", self.clock.today()
        archivo = CALLS_DIR / f"{story.convocatoria}.toml"
        if self.first is None:
            self.path.unlink(missing_ok=True)
            # a demonstration is a rehearsal: it names its users freely
            install(url, archivo, ensayo=True, usuario=None, today=today, usuarios=story.usuarios)
            self.first, self.session = story, open_session(url)
            self.out.print(f"[bold]convoca demo[/bold] — base {self.path}")
        else:
            admin = self.first.usuarios[0][0]
            self.session.commit()
            load_into(self.session, archivo, admin, None, today)
            for nombre, rol, email in story.usuarios:
                add_user(self.session, nombre, rol, email, None, admin, today)
        self.call = call_of(self.session, story.convocatoria)
        self.out.print(f"\n[bold]Convocatoria {self.call.codigo}[/bold] «{self.call.convocatoria.nombre}» "
                       f"({book_of(self.call).titulo})", soft_wrap=True)

    def first_call(self, call: Any) -> bool:
        """The first story's call keeps the demo's file names (`--csv`, `-informe.html`); the others
        add their code."""
        return self.first is not None and call.codigo == self.first.convocatoria

    # ── what a story may do (states/historia.Escena) ───────────────────────────────────────────

    def decir(self, texto: str) -> None:
        self.out.print(texto, soft_wrap=True)

    def importar(self, filas: list[dict[str, str]], usuario: str) -> tuple[int, str]:
        from workflow.engine.importer import import_file

        archivo = self.csv_path if self.first_call(self.call) \
            else self.csv_path.with_name(f"{self.csv_path.stem}-{self.call.codigo}.csv")
        write_csv(filas, archivo)
        return import_file(self.session, self.call, archivo, usuario).total, str(archivo)

    def hacer(self, codigo: str, evento: str, fecha: date, usuario: str, **datos: Any) -> None:
        from workflow.engine.cases import Request, apply

        apply(self.session, [Request(codigo, evento, datos, usuario, fecha)], self.clock)

    def intentar(self, codigo: str, evento: str, fecha: date, usuario: str, **datos: Any) -> str | None:
        from workflow.errors import Refusal

        try:
            self.hacer(codigo, evento, fecha, usuario, **datos)
        except Refusal as r:
            return str(r)
        return None

    def codigos(self, estado: str) -> list[str]:
        from sqlalchemy import select

        from workflow.storage.models import CaseRecord

        return list(self.session.execute(select(CaseRecord.codigo).where(
            CaseRecord.estado == estado, CaseRecord.convocatoria == self.call.codigo).order_by(CaseRecord.codigo)
        ).scalars())

    def hechos(self, codigo: str) -> dict[str, Any]:
        from sqlalchemy import select

        from workflow.storage.models import CaseRecord

        return self.session.execute(select(CaseRecord.hechos).where(CaseRecord.codigo == codigo)).scalar_one()

    def asignar(self, codigo: str, monitor: str, usuario: str, fecha: date) -> None:
        from workflow.engine.users import assign

        assign(self.session, codigo, monitor, usuario, self.clock, fecha)

    def clasificar(self) -> Any:
        from workflow.engine.selection import rank

        return rank(self.session, self.call)

    def publicar(self, resolucion: str, fecha: date, usuario: str, acta: dict[str, Any] | None) -> dict[str, int]:
        from workflow.engine.selection import publish

        return publish(self.session, self.call, resolucion, fecha, usuario, self.clock, acta)

    def no_laborable(self, dia: date, norma: str, usuario: str) -> int:
        from workflow.engine.agenda import add_non_working_day

        return add_non_working_day(self.session, dia, dia, "no_laborable", "nacional", norma, usuario,
                                   self.clock.today(), book_of(self.call).jurisdiccion.pais)

    def vigilar(self, desde: date, hasta: date, mirar: Callable[[Any], None]) -> dict[str, int]:
        from workflow.engine.vigilance import run_pass

        zona, acciones, dia = ZoneInfo(self.call.convocatoria.zona_horaria), {}, desde
        while dia <= hasta:
            for a in run_pass(self.session, datetime.combine(dia, datetime.min.time(), zona).replace(hour=8)):
                acciones[a.accion] = acciones.get(a.accion, 0) + 1
                mirar(a)
            self.session.commit()
            dia += timedelta(days=7)
        return acciones

    def bandeja(self) -> dict[str, int]:
        from sqlalchemy import func, select

        from workflow.storage.models import Message

        return dict(self.session.execute(select(Message.tipo, func.count()).group_by(Message.tipo)).all())

    # ── what the demo shows at the end ─────────────────────────────────────────────────────────

    def summary(self, told: list[tuple[Historia, str]]) -> None:
        from rich.table import Table
        from sqlalchemy import func, select

        from workflow.engine.calls import call_of
        from workflow.storage.models import CaseRecord

        self.out.print()
        for story, _ in told:
            call = call_of(self.session, story.convocatoria)
            table = Table(title=f"Casos por estado — {call.codigo}")
            table.add_column("Estado")
            table.add_column("Casos", justify="right")
            por_estado = dict(self.session.execute(select(CaseRecord.estado, func.count()).where(
                CaseRecord.convocatoria == call.codigo).group_by(CaseRecord.estado)).all())
            for s in book_of(call).ciclo.estados:
                if por_estado.get(s.nombre):
                    table.add_row(s.titulo, str(por_estado[s.nombre]))
            self.out.print(table)
            self.report(call, story.fin)
        self.checkpoint()
        convoca = Path(sys.executable).parent / "convoca"
        programa = str(convoca) if convoca.exists() else "convoca"
        self.out.print("Para explorar la base de la demostración:")
        comandos = ["listar"]
        for story, ejemplo in told:
            comandos += [f"ver {ejemplo}", f"historial {ejemplo}",
                         f"informe --convocatoria {story.convocatoria} --al {story.fin.isoformat()}"]
        for comando in (*comandos, "auditoria verificar"):
            self.out.print(f"  {programa} --db {self.path.resolve()} {comando}", soft_wrap=True)

    def report(self, call: Any, fin: date) -> None:
        """A call's portfolio report as of its story's last day, as a page beside the database."""
        from workflow.engine.cartera import portfolio
        from workflow.files.informe import write_html

        pagina = self.path.with_name(f"{self.path.stem}-informe.html" if self.first_call(call)
                                     else f"{self.path.stem}-informe-{call.codigo}.html")
        r = portfolio(self.session.connection(), call, fin, None, self.clock.now())
        self.session.rollback()
        write_html(r.as_dict(), True, pagina)
        self.out.print(f"Informe de cartera de {call.codigo} al {fin.isoformat()}: {pagina} (ábralo en el "
                       f"navegador; `convoca informe --convocatoria {call.codigo} --al {fin.isoformat()}` lo repite)",
                       soft_wrap=True)

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
        self.out.print(f"Registro firmado: punto de control de {seal.filas} filas con la clave {clave} (solo su "
                       f"dueño la lee); exportado a {carpeta}. El auditor lo verifica sin convoca con:", soft_wrap=True)
        self.out.print(f"  python3 {carpeta.resolve() / VERIFIER} {carpeta.resolve()} --clave {key.verifier()}",
                       soft_wrap=True)


def run(path: Path, csv_path: Path | None = None) -> None:
    """Builds the demo database, telling each registered book's story on its shipped call in turn,
    and prints what happened, ending with cases per state and the signed record."""
    scene, told = Scene(path, csv_path or path.with_suffix(".csv")), []
    try:
        for story in stories():
            scene.load(story)
            told.append((story, story.contar(scene)))
        scene.summary(told)
    finally:
        if scene.session is not None:
            scene.session.close()
