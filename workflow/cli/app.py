"""`convoca`: the officers' command line. Messages in Spanish; errors as messages, never tracebacks.

Heavy imports (SQLModel, the machine) happen inside the commands, so `convoca --help` stays fast.
"""
from __future__ import annotations

import inspect
import json
import os
import re
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from states.actos import ASIGNAR
from states.books import state_title
from states.plural import cuantos
from workflow.cli.prose import say
from workflow.cli.spanish import DefaultGroup, in_spanish

app = typer.Typer(
    help="convoca — orquestador de convocatorias de FONDECYT: postulaciones, reglas de las bases, auditoría.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Usuario = Annotated[Optional[str], typer.Option("--usuario", envvar="CONVOCA_USUARIO", show_envvar=False,
                                                help="quien actúa (o la variable CONVOCA_USUARIO)")]
Fecha = Annotated[Optional[str], typer.Option("--fecha", help="fecha efectiva AAAA-MM-DD (por defecto, hoy en Lima)")]
DB_HELP = "URL de la base de datos (SQLAlchemy); por defecto CONVOCA_DB o sqlite:///convoca.db"


class _State:
    db: str | None = None
    ensayo: bool = False
    paginar: bool = True
    """Long output goes through the pager on a terminal, unless --sin-paginar (see `views.paged`)."""
    reloj = None
    """The real clock, synchronised with a PostgreSQL server by the first session (`_guard_clock`)."""


STATE = _State()


def _version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version

        say(f"convoca {version('convoca')}")
        raise typer.Exit()


@app.callback()
def _root(db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
          _version_asked: bool = typer.Option(False, "--version", is_eager=True, callback=_version,
                                              help="la versión de convoca instalada"),
          sin_paginar: bool = typer.Option(False, "--sin-paginar", help="en una terminal, escribe todo de una vez "
                                           "en lugar de pasar por el paginador (less)")) -> None:
    STATE.db, STATE.reloj, STATE.paginar = db, None, not sin_paginar
    if "workflow.storage.db" in sys.modules:  # a command starts afresh, as after `main` (tests run many)
        sys.modules["workflow.storage.db"].close_all()


def _session():
    """A session on the database, for the commands that write (see `_guard_clock`)."""
    from workflow.storage.db import open_session, url_from

    session = open_session(url_from(STATE.db))
    _guard_clock(session.connection(), session.rollback, lambda: session)
    return session


def _reading(core: bool = False):
    """A connection for the commands that only read (see `_guard_clock`): a plain one, without
    SQLAlchemy (workflow/storage/plain.py), for those whose every query goes through it; with
    `core`, a SQLAlchemy Core one (no SQLModel, no ORM) for the others."""
    from workflow.storage.db import open_reading, open_session, url_from

    if core:
        conn = open_reading(url_from(STATE.db))
    else:
        from workflow.storage.plain import open_plain

        conn = open_plain(url_from(STATE.db))

    def for_the_log():
        conn.close()
        return open_session(url_from(STATE.db))

    _guard_clock(conn, conn.rollback, for_the_log)
    return conn


def _guard_clock(conn, end_read, session_for_log) -> None:
    """Notes whether the database is a rehearsal one; a pinned clock is refused (and logged) unless it is."""
    from workflow.clock import Clock, pinned_instant
    from workflow.storage.identity import is_rehearsal
    from workflow.storage.plain import server_now

    STATE.ensayo = is_rehearsal(conn)
    server = server_now(conn)
    real = Clock().sync(server).now()
    _clock().sync(server)
    end_read()
    if pinned_instant() and not STATE.ensayo:
        _refuse_clock(session_for_log(), f"CONVOCA_AHORA={pinned_instant()} fija el reloj y solo se acepta en una base "
                                         "de ensayo (`convoca init --ensayo`): en esta base de producción cuenta la "
                                         "hora real. Quite la variable y repita el comando.")
    if pinned_instant() and _clock().now() > real:
        _refuse_clock(session_for_log(), f"CONVOCA_AHORA={pinned_instant()} es posterior a la hora real "
                                         f"({real.isoformat(timespec='minutes')}): un ensayo recorre el pasado, y "
                                         "ningún acto se registra antes de ocurrir.")


def _refuse_clock(session, motivo: str) -> None:
    """An attempt to move the clock is logged, with the login that tried, and refused."""
    from workflow.clock import Clock
    from workflow.engine.acting import refusal

    error = refusal(session, "fijar_reloj", "reloj", os.environ.get("CONVOCA_USUARIO", ""), Clock().today(), [motivo])
    session.close()
    raise error


def _clock():
    """The working clock: pinned by `CONVOCA_AHORA` on a rehearsal database (checked by `_session`)."""
    from datetime import datetime

    from workflow.clock import Clock, FixedClock, pinned_instant

    pinned = pinned_instant()
    if not pinned:
        STATE.reloj = STATE.reloj or Clock()
        return STATE.reloj
    try:
        return FixedClock(datetime.fromisoformat(pinned))
    except ValueError:
        raise typer.BadParameter(f"CONVOCA_AHORA={pinned!r} no es un instante AAAA-MM-DDTHH:MM") from None


def _case_code(value: str | None) -> str | None:
    """The callback of every argument or option that names a case: the code as stored (see
    `queries.spelled`). A database that cannot be read is left to the command to report."""
    if not value:
        return value
    from workflow.engine.queries import spelled
    from workflow.errors import ConvocaError
    from workflow.storage.db import url_from
    from workflow.storage.plain import open_plain

    try:
        with open_plain(url_from(STATE.db)) as conn:
            return spelled(conn, value)
    except ConvocaError:
        return value


def _codes_like(incomplete: str) -> list[str]:
    """The shell's completion of a case code: the stored codes that begin with what was typed."""
    from sqlalchemy import func, select

    from workflow.errors import ConvocaError
    from workflow.storage.db import open_reading, url_from
    from workflow.storage.tables import CASO

    try:
        with open_reading(url_from(STATE.db)) as conn:
            return list(conn.execute(select(CASO.c.codigo).where(func.upper(CASO.c.codigo).startswith(
                incomplete.upper())).order_by(CASO.c.codigo).limit(200)).scalars())
    except ConvocaError:
        return []


def _events_like(incomplete: str) -> list[str]:
    from states.books import all_books

    return list(dict.fromkeys(e.nombre for b in all_books() for e in b.ciclo.eventos if e.nombre.startswith(incomplete)))


def _states_and_events_like(incomplete: str) -> list[str]:
    from workflow.engine.queries import known_states

    return [s for s in known_states() if s.startswith(incomplete)] + _events_like(incomplete)


Codigo = Annotated[str, typer.Argument(metavar="CODIGO", help="el caso (en mayúsculas o minúsculas)",
                                       callback=_case_code, autocompletion=_codes_like)]


def _acting(session, usuario: str | None, evento: str, codigo: str) -> str:
    """The user this command acts as: the one linked to the authenticated login (see identity.py)."""
    from workflow.engine.acting import acting_user

    return acting_user(session, usuario, evento, codigo, _clock().today())


MIOS_OPT = typer.Option(False, "--mios", help="solo lo mío: los casos que tengo asignados (monitor) o los plazos "
                                               "que debe mi unidad (UES, DE)")
MONITOR_OPT = typer.Option(None, "--monitor", help="solo los casos asignados a este monitor")


def _whose(conn, mios: bool, monitor: str | None, usuario: str | None):
    """Whose work a listing shows (workflow/engine/mine.py): nobody's in particular, mine, or a monitor's."""
    from workflow.engine.mine import Whose, mine, monitor_named
    from workflow.errors import ConvocaError

    if mios and monitor:
        raise ConvocaError("--mios y --monitor piden cosas distintas: use una sola.")
    if mios:
        return mine(conn, usuario)
    return monitor_named(conn, monitor) if monitor else Whose()


def _delivered(summary) -> None:
    """The delivery's summary; exit 5 when the server left messages undelivered (a cron job sees it)."""
    from workflow.errors import Undelivered

    if summary.sin_entregar:
        raise Undelivered(summary)
    say(summary)


def _banner() -> None:
    """Every listing of a rehearsal database says so, so that nobody mistakes it for the record."""
    if STATE.ensayo:
        from workflow.cli.views import console

        console().print("ENSAYO — base de datos de ensayo: nada de lo que muestra es oficial.", markup=False)


def _date(text: str | None, opcion: str = "--fecha") -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} no es una fecha AAAA-MM-DD", param_hint=opcion) from None


def _instant(text: str | None, opcion: str):
    """An instant typed in Lima's time (with its offset, if given)."""
    if text is None:
        return None
    from datetime import datetime

    from workflow.clock import LIMA

    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} no es un instante AAAA-MM-DDTHH:MM", param_hint=opcion) from None
    return value if value.tzinfo else value.replace(tzinfo=LIMA)


def _effective(plan, fecha: str | None) -> str:
    """Every write says the effective date it used, so that a forgotten --fecha is seen at once."""
    used = plan.audit[-1].fecha_efectiva.isoformat()
    return f"fecha efectiva {used}" + ("" if fecha else ", hoy")


def _marked(data):
    """JSON from a rehearsal database carries `"ensayo": true` in every object it lists."""
    if not STATE.ensayo:
        return data
    if isinstance(data, dict):
        return {"ensayo": True, **data}
    return [{"ensayo": True, **r} if isinstance(r, dict) else r for r in data]


def _print_json(data) -> None:
    typer.echo(json.dumps(_marked(data), ensure_ascii=False, indent=2, default=str))


CSV_OPT = typer.Option(False, "--csv", help="CSV UTF-8 para hoja de cálculo")
XLSX_OPT = typer.Option(None, "--xlsx", help="escribe este archivo .xlsx: fechas como fechas, montos como números")


def _no_pager(asked: bool) -> None:
    if asked:
        STATE.paginar = False


SIN_PAGINAR_OPT = typer.Option(False, "--sin-paginar", callback=_no_pager, expose_value=False,
                               help="escribe todo de una vez, sin el paginador (less)")


def _emit(data, como_json: bool, draw, como_csv: bool = False, xlsx: Path | None = None, hoja: str = "") -> None:
    """A listing as JSON, as CSV or .xlsx for a spreadsheet, or as a table for the terminal (through
    the pager when it is longer than the screen)."""
    if xlsx:
        from workflow.cli.views import progress
        from workflow.files.workbook import write_listing

        n = write_listing(data, xlsx, hoja, STATE.ensayo, progress(f"Escribiendo {xlsx.name}…"))
        say(f"Escritas {n} filas en {xlsx}.")
    elif como_csv:
        from workflow.engine import review

        sys.stdout.write(review.listing_csv(data, STATE.ensayo))
    elif como_json:
        _print_json(data)
    else:
        from workflow.cli.views import paged

        with paged(STATE.paginar):
            _banner()
            draw()


@app.command()
def init(convocatoria: Optional[Path] = typer.Option(None, "--convocatoria", "-c",
                                                     help="archivo de la convocatoria (.toml), o el código de una que "
                                                          "trae convoca (E062-2019-01, ANDE-BPD-2025); por defecto "
                                                          "E062-2019-01"),
         ensayo: bool = typer.Option(False, "--ensayo", help="base de ensayo (capacitación, demostración, pruebas): "
                                                              "solo en ella se elige usuario y se fija el reloj"),
         resolucion: Optional[str] = typer.Option(None, "--resolucion", help="acto que modificó las bases, para "
                                                                               "cambiar un valor que ya decidió algo"),
         grupo: Optional[str] = typer.Option(None, "--grupo", help="PostgreSQL: rol de grupo que recibe los permisos "
                                                                     "que la aplicación necesita"),
         auditores: Optional[str] = typer.Option(None, "--auditores", help="PostgreSQL: rol de grupo de los "
                                                 "auditores, que solo puede leer"),
         usuario: Usuario = None) -> None:
    """Crea o actualiza la base de datos y carga (o recarga) una convocatoria, con su auditoría."""
    from states.call import DEFAULT_CALL, shipped
    from workflow.engine.installation import install
    from workflow.storage.db import shown, url_from

    def clock_checked(session) -> None:
        _guard_clock(session.connection(), session.rollback, lambda: session)

    url = url_from(STATE.db)
    path = shipped(convocatoria) if convocatoria else DEFAULT_CALL
    installed = install(url, path, ensayo=ensayo, usuario=usuario, today=_clock().today(),
                        resolucion=resolucion, grupo=grupo, auditores=auditores, checked=clock_checked)
    loaded, kind = installed.loaded, installed.ensayo
    call = loaded.call
    say(f"Base de datos lista: {shown(url)}{' (ENSAYO)' if kind else ''}")
    if loaded.nueva:
        say(f"Convocatoria {call.codigo} «{call.convocatoria.nombre}» cargada.")
    elif loaded.cambios:
        say(f"Convocatoria {call.codigo} recargada; cambios:")
        for clave, (antes, despues) in loaded.cambios.items():
            say(f"  {clave}: {antes} → {despues}")
    else:
        say(f"Convocatoria {call.codigo}: sin cambios.")
    if loaded.feriados:
        say(f"Feriados nacionales de {loaded.feriados[0]}–{loaded.feriados[-1]} guardados en la base "
                   "(calendario de la convocatoria).")


@app.command()
def importar(archivo: Path = typer.Argument(..., help="CSV, JSON, .xlsx u .ods con una postulación por fila "
                                                    "(`convoca plantilla importar` escribe la hoja)"),
             convocatoria: Optional[str] = typer.Option(None, "--convocatoria", help="código de la convocatoria"),
             usuario: Usuario = None) -> None:
    """Importa postulaciones: todas o ninguna; cada fila con error se informa con su línea."""
    from states.call import call_key
    from workflow.cli.views import progress
    from workflow.engine.calls import call_of
    from workflow.engine.importer import import_file

    with _session() as session:
        call = call_of(session, convocatoria)
        user = _acting(session, usuario, "importar", call_key(call.codigo))
        hecho = import_file(session, call, archivo, user, progress("Validando…"), _clock().today())
    say(f"Importadas {hecho.total} postulaciones a {call.codigo} ({hecho.leido_como}).")
    if hecho.con_defectos:
        say(f"{len(hecho.con_defectos)} con defectos registrados (la UES decide su elegibilidad; "
                   "`convoca ver CODIGO` los muestra):")
        for codigo, defectos in hecho.con_defectos.items():
            say(f"  {codigo}: " + "; ".join(defectos))


@app.command()
def listar(estado: Optional[str] = typer.Option(None, "--estado", help="solo los casos en este estado"),
           pagina: int = typer.Option(1, "--pagina", help="número de página"),
           por_pagina: int = typer.Option(50, "--por-pagina", help="casos por página"),
           como_json: bool = typer.Option(False, "--json", help="salida JSON (la página pedida)"),
           como_csv: bool = CSV_OPT,
           xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="escribe todos los casos (sin páginas) en este .xlsx"),
           mios: bool = MIOS_OPT, monitor: Optional[str] = MONITOR_OPT, usuario: Usuario = None,
           convocatoria: Optional[str] = typer.Option(None, "--convocatoria", help="solo los casos de esta "
                                                      "convocatoria"),
           sin_paginar: bool = SIN_PAGINAR_OPT) -> None:
    """Lista los casos con su estado, por páginas; con varias convocatorias en la base, dice la de cada caso."""
    from workflow.cli.views import cases_table, console
    from workflow.engine.calls import all_calls
    from workflow.engine.queries import list_cases
    from workflow.errors import ConvocaError

    with _reading() as session:
        whose = _whose(session, mios, monitor, usuario)
        if whose.responsable:
            raise ConvocaError(f"listar --mios es para un monitor (sus casos asignados); los plazos de la "
                               f"{whose.responsable} los da `convoca plazos --mios`.")
        rows, total = list_cases(session, estado, 1 if xlsx else pagina, None if xlsx else por_pagina, whose.monitor,
                                 convocatoria)
        varias = len(all_calls(session)) > 1
    paginas = max(1, -(-total // por_pagina))
    de = f" de {convocatoria}" if convocatoria else ""
    _emit(rows, como_json, lambda: console().print(cases_table(rows, f"{total} casos{de} — página {pagina} de {paginas}",
                                                               varias and not convocatoria)),
          como_csv, xlsx, "Casos")


@app.command()
def ver(codigo: Codigo, como_json: bool = typer.Option(False, "--json", help="salida JSON"),
        al: Optional[str] = typer.Option(None, "--al", help="el caso como estaba al final de esa fecha, según "
                                                            "lo que hoy sabe el registro (AAAA-MM-DD)"),
        segun_registro: Optional[str] = typer.Option(None, "--segun-registro", help="el caso como lo mostraba el "
                                                     "registro en ese instante, antes de registros tardíos y "
                                                     "correcciones posteriores (AAAA-MM-DDTHH:MM, hora de Lima)"),
        sin_paginar: bool = SIN_PAGINAR_OPT) -> None:
    """Muestra un caso: estado, hechos, eventos posibles (y por qué no los otros), plazos e historial."""
    if al is not None or segun_registro is not None:
        from workflow.cli.views import render_replay
        from workflow.engine.replay import replay

        with _session() as session:
            past = replay(session, codigo, _date(al, "--al"), _instant(segun_registro, "--segun-registro"))
            book = _book_of_case(session, codigo)
        _emit(past, como_json, lambda: render_replay(past, book))
        return
    from workflow.engine.queries import case_detail

    with _reading() as session:
        detail = case_detail(session, codigo, _clock())
        book = _book_of_case(session, codigo)
    if como_json:
        _print_json(detail)
    else:
        from workflow.cli.views import paged, render_case

        with paged(STATE.paginar):
            _banner()
            render_case(detail, book)


def _book_of_case(session, codigo: str):
    """The rule book of a case's call: what `ver` shows of it beyond its facts."""
    from states.books import book_of
    from workflow.engine.calls import call_of
    from workflow.engine.reading import load_cases

    return book_of(call_of(session, load_cases(session, [codigo])[codigo].convocatoria))


@app.command()
def avanzar(codigo: Codigo,
            evento: str = typer.Argument(..., metavar="EVENTO", help="uno de los eventos de abajo",
                                         autocompletion=_events_like),
            fecha: Fecha = None,
            usuario: Usuario = None,
            nota: Optional[str] = typer.Option(None, "--nota", help="nota para la auditoría"),
            dato: list[str] = typer.Option([], "--dato", help="clave=valor; repetible")) -> None:
    """Dispara un evento sobre un caso; si las reglas lo impiden, dice por qué y no cambia nada."""
    from workflow.engine.cases import Request, apply
    from workflow.engine.fields import parse_pairs

    with _session() as session:
        request = Request(codigo, evento, parse_pairs(dato), _acting(session, usuario, evento, codigo), _date(fecha),
                          nota)
        plan = apply(session, [request], _clock())
    say(_fired(plan, codigo, evento, fecha))


def _fired(plan, codigo: str, evento: str, fecha: str | None) -> str:
    """What a fired event says: the move, the case's new version and the effective date."""
    row = plan.audit[-1]
    version = plan.loaded[codigo].version + plan.loaded[codigo].changes
    return f"{codigo}: {row.estado_origen} → {row.estado_destino} ({evento}), versión {version}; {_effective(plan, fecha)}."


@app.command()
def eventos(cual: Optional[str] = typer.Argument(None, metavar="[ESTADO|EVENTO]",
                                                help="solo los eventos desde este estado, o solo este evento",
                                                autocompletion=_states_and_events_like),
            convocatoria: Optional[str] = typer.Option(None, "--convocatoria",
                                                       help="la convocatoria cuyos números dicen las etiquetas")) -> None:
    """Los eventos del ciclo de vida, leídos de las reglas: quién puede dispararlos, desde qué estados
    y a cuál llevan, y sus datos (`--dato clave=valor`) con tipo, opciones y etiqueta."""
    from states.books import book_of
    from workflow.cli.eventos import chosen, folded, full
    from workflow.cli.prose import width
    from workflow.cli.views import paged
    from workflow.engine.calls import call_of

    conn = _reading()
    try:
        call = call_of(conn, convocatoria)
    finally:
        conn.close()
    elegidos, que = chosen(book_of(call).ciclo, cual)
    cuenta = f"{cuantos(len(elegidos), 'evento')}; " if len(elegidos) > 1 else ""
    lines = [f"{que.capitalize()} ({cuenta}etiquetas con los números de {call.codigo}):", ""]
    for event in elegidos:
        lines += [*full(event, call), ""]
    columns = width()
    _banner()
    with paged(STATE.paginar):
        typer.echo("\n".join(folded(line, columns) if columns else line for line in lines).rstrip())


@app.command()
def rectificar(id_: int = typer.Argument(..., metavar="ID", help="la fila de auditoría del acto (convoca historial)"),
               motivo: str = typer.Option(..., "--motivo", help="el error material que se corrige"),
               dato: list[str] = typer.Option([], "--dato", help="el dato corregido, clave=valor; repetible"),
               fecha: Fecha = None, usuario: Usuario = None) -> None:
    """Rectifica un acto: el mismo evento con sus datos o su fecha corregidos (lo hace quien puede ese
    evento). Procede si la historia del caso con la corrección se sostiene; si no, dice qué la rompe."""
    _correct(id_, None, motivo, dato, fecha, usuario, None)


@app.command()
def anular(id_: int = typer.Argument(..., metavar="ID", help="la fila de auditoría del acto (convoca historial)"),
           motivo: str = typer.Option(..., "--motivo", help="por qué el acto deja de tener efecto"),
           resolucion: str = typer.Option(..., "--resolucion", help="la resolución de la Dirección Ejecutiva"),
           fecha: Fecha = None, usuario: Usuario = None) -> None:
    """Anula de oficio un acto (la Dirección Ejecutiva): deja de tener efecto y el caso vuelve a lo que su
    historia sin él da; la fila original queda en el registro."""
    _correct(id_, "anular", motivo, [], fecha, usuario, resolucion)


def _correct(id_: int, evento: str | None, motivo: str, dato: list[str], fecha: str | None, usuario: str | None,
             resolucion: str | None) -> None:
    from workflow.engine.cases import Request, apply, audited_act
    from workflow.engine.fields import parse_pairs

    with _session() as session:
        codigo, original = audited_act(session, id_)
        nombre = evento or original
        request = Request(codigo, nombre, parse_pairs(dato), _acting(session, usuario, nombre, codigo), _date(fecha),
                          motivo, refiere=id_, resolucion=resolucion)
        plan = apply(session, [request], _clock())
    que = "anulado" if evento else "rectificado"
    say(f"{codigo}: {original} (auditoría {id_}) {que}; el caso queda en {plan.loaded[codigo].case.estado}; "
               f"{_effective(plan, fecha)}.")


def _fire(codigo: str, evento: str, datos: dict, usuario: str | None, fecha: str | None, nota: str | None):
    from workflow.engine.cases import Request, apply

    with _session() as session:
        user = _acting(session, usuario, evento, codigo)
        return apply(session, [Request(codigo, evento, datos, user, _date(fecha), nota)], _clock())


def _needed(value, nombre: str, alternativa: str = ""):
    """A parameter that is required unless a file is given: said as click says its own."""
    if value is None:
        raise typer.BadParameter(f"falta {nombre} {alternativa}".strip(), param_hint=nombre)
    return value


def _stage_parameters(atajos) -> list[inspect.Parameter]:
    """The parameters of a stage command, from what the books that offer it declare: the case, the
    milestone's number, the event, the event's fields as options (each once, saying the book when
    not every book asks it), `--dato`, `--documento`, `--archivo`."""
    P, K = inspect.Parameter, inspect.Parameter.KEYWORD_ONLY
    hoja = next((a.archivo for _, a in atajos if a.archivo), None)
    params = [P("codigo", P.POSITIONAL_OR_KEYWORD, annotation=Optional[str], default=typer.Argument(
        None, metavar="CODIGO", help="el caso" + (" (o --archivo)" if hoja else ""), callback=_case_code))]
    numero = next((a.numero for _, a in atajos if a.numero), None)
    if numero:
        params.append(P("numero", P.POSITIONAL_OR_KEYWORD, annotation=Optional[int],
                        default=typer.Argument(None, metavar="N", help=numero[1])))
    varios = [e for _, a in atajos if len(a.eventos) > 1 for e in a.eventos]
    if varios:
        params.append(P("evento", P.POSITIONAL_OR_KEYWORD, annotation=Optional[str], default=typer.Argument(
            None, metavar="EVENTO", help=", ".join(dict.fromkeys(varios)))))
    campos = [(book, book.ciclo.event(a.eventos[0]).campos) for book, a in atajos if a.opciones]
    comunes = set.intersection(*({f.nombre for f in fs} for _, fs in campos)) if campos else set()
    seen: set[str] = set()
    for book, fs in campos:
        for f in fs:
            if f.nombre in seen:
                continue
            seen.add(f.nombre)
            otros = len(atajos) > 1 and f.nombre not in comunes
            name = f.nombre.replace("_", "-")
            decls = (f"--{name}/--no-{name}",) if f.tipo == "booleano" else (f"--{name}",)
            kind = {"entero": Optional[int], "booleano": Optional[bool]}.get(f.tipo, Optional[str])
            ayuda = re.sub(r"\{[^}]+\}(–\{[^}]+\})?", "escala de la convocatoria", f.ayuda)
            ayuda += "" if f.requerido else "; opcional"
            params.append(P(f"campo_{f.nombre}", K, annotation=kind, default=typer.Option(
                None, *decls, help=ayuda, rich_help_panel=f"Datos de {book.titulo}" if otros else None)))
    if any(not a.opciones for _, a in atajos):
        params.append(P("dato", K, annotation=list[str], default=typer.Option([], "--dato", help="clave=valor; repetible")))
    if any(a.documentos for _, a in atajos):
        params.append(P("documento", K, annotation=list[str], default=typer.Option(
            [], "--documento", help="clave=ruta del archivo (guarda nombre y SHA-256)")))
    params += [P("fecha", K, annotation=Fecha, default=None),
               P("nota", K, annotation=Optional[str], default=typer.Option(None, "--nota",
                                                                          help="nota para la auditoría"))]
    if hoja:
        params += [P("archivo", K, annotation=Optional[Path], default=typer.Option(
                       None, "--archivo", help=f"{hoja}; equivale a `convoca lote`")),
                   P("simular", K, annotation=bool, default=typer.Option(
                       False, "--simular", help="con --archivo: revisa cada fila y no escribe nada"))]
    return [*params, P("usuario", K, annotation=Usuario, default=None)]


def _stage_command(comando: str, atajos):
    """`convoca <comando>`: fires the event of the case's book's shortcut of that name with the data
    typed, then says what the shortcut says (or shows its checklist)."""
    def command(codigo=None, numero=None, evento=None, dato=(), documento=(), fecha=None, nota=None, archivo=None,
                simular=False, usuario=None, **campos) -> None:
        from workflow.engine.fields import parse_pairs

        if archivo:
            unico = {a.eventos for _, a in atajos if a.archivo}
            _run_file(archivo, simular, usuario, next(iter(unico))[0] if len(unico) == 1 and
                      len(next(iter(unico))) == 1 else None)
            return
        codigo = _needed(codigo, "CODIGO", "o --archivo" if any(a.archivo for _, a in atajos) else "")
        with _session() as session:
            book = _book_of_case(session, codigo)
        atajo = next((a for b, a in atajos if b is book), None)
        if atajo is None:
            raise typer.BadParameter(f"{codigo} es de {book.titulo}, que no tiene el comando «{comando}»: use "
                                     "`convoca avanzar`", param_hint="CODIGO")
        if len(atajo.eventos) > 1:
            evento = _needed(evento, "EVENTO")
            if evento not in atajo.eventos:
                raise typer.BadParameter(f"«{evento}» no es uno de {', '.join(atajo.eventos)}", param_hint="EVENTO")
        else:
            evento = atajo.eventos[0]
        datos = {**parse_pairs(dato), **parse_pairs(documento)}
        if atajo.numero:
            datos[atajo.numero[0]] = str(_needed(numero, "N"))
        if atajo.opciones:
            propios = {f.nombre: f for f in book.ciclo.event(evento).campos}
            ajenos = [k for k, v in campos.items() if v is not None and k.removeprefix("campo_") not in propios]
            if ajenos:
                opciones = ", ".join("--" + k.removeprefix("campo_").replace("_", "-") for k in ajenos)
                raise typer.BadParameter(f"{codigo} es de {book.titulo}: no lleva {opciones}", param_hint=opciones)
            for f in propios.values():
                if f.requerido:
                    _needed(campos.get(f"campo_{f.nombre}"), f"--{f.nombre.replace('_', '-')}")
            datos.update({k.removeprefix("campo_"): v for k, v in campos.items() if v is not None})
        if datos or not atajo.sin_datos_muestra:
            plan = _fire(codigo, evento, datos, usuario, fecha, nota)
            if atajo.dice or not atajo.requisitos:  # a checklist is its own answer
                say(atajo.dice(codigo, evento, datos, plan.audit[-1].datos) if atajo.dice
                    else _fired(plan, codigo, evento, fecha))
        if atajo.requisitos:
            from workflow.cli.views import checklist, console

            with _session() as session:
                table, cumple = checklist(session, codigo, _clock(), atajo.requisitos, book.ciclo.event(evento).registra,
                                          f"{atajo.comando.capitalize()} de {codigo}")
            _banner()
            console().print(table)
            say(f"Todos los requisitos se cumplen: puede {atajo.habilita}." if cumple
                else f"Hay requisitos incumplidos o sin acreditar: {atajo.habilita} será rechazado.")

    ayudas = dict.fromkeys(a.ayuda for _, a in atajos)
    command.__doc__ = "\n\n".join(ayudas) if len(ayudas) == 1 else "\n\n".join(
        f"{b.titulo}: {a.ayuda}" for b, a in atajos)
    command.__signature__ = inspect.Signature(_stage_parameters(atajos))
    return command


def _register_stage_commands() -> None:
    """One command per name a registered book's shortcuts give (states/atajos.py)."""
    from states.books import all_books

    por_nombre: dict[str, list] = {}
    for book in all_books():
        for atajo in book.atajos:
            por_nombre.setdefault(atajo.comando, []).append((book, atajo))
    for comando, atajos in por_nombre.items():
        app.command(comando)(_stage_command(comando, atajos))


_register_stage_commands()


@app.command()
def seleccionar(publicar: bool = typer.Option(False, "--publicar", help="publica los resultados (una transacción)"),
                resolucion: Optional[str] = typer.Option(None, "--resolucion", help="número de la RDE de resultados"),
                acta: Optional[Path] = typer.Option(None, "--acta", help="acta del Comité de Consistencia (JSON)"),
                convocatoria: Optional[str] = typer.Option(None, "--convocatoria"),
                fecha: Fecha = None,
                usuario: Usuario = None,
                como_json: bool = typer.Option(False, "--json"), como_csv: bool = CSV_OPT,
                xlsx: Optional[Path] = XLSX_OPT,
                publicado: bool = typer.Option(False, "--publicado", help="el orden de mérito ya publicado, con su "
                                                                           "resolución (también --xlsx, --csv)")) -> None:
    """Muestra el orden de mérito; con --publicar mueve todas las evaluadas a su resultado; con
    --publicado, el que se publicó.

    Ejemplo: convoca seleccionar --publicado --xlsx resultados.xlsx"""
    from states.call import call_key
    from workflow.cli.views import console, ranking_table
    from workflow.engine.calls import call_of
    from workflow.engine.selection import policy, publish, published, read_acta, shown

    with _session() as session:
        call = call_of(session, convocatoria)
        if publicado:
            rows = published(session, call)
            tabla = policy(call).mostrar_publicado(rows, call.codigo)
            _emit(rows, como_json, lambda: console().print(ranking_table(tabla)), como_csv, xlsx,
                  "Orden publicado")
            return
        if publicar:
            if not resolucion:
                raise typer.BadParameter("indique el número de la resolución", param_hint="--resolucion")
            user = _acting(session, usuario, policy(call).evento, call_key(call.codigo))
            from workflow.cli.views import working

            with working("Publicando los resultados…"):
                counts = publish(session, call, resolucion, _date(fecha), user, _clock(),
                                 read_acta(acta) if acta else None)
            say("Resultados publicados: " + ", ".join(cuantos(n, r) for r, n in counts.items()) + ".")
            return
        orden = shown(session, call)
    if como_csv or xlsx:
        _emit(orden.resumen["orden"], False, None, como_csv, xlsx, "Orden de mérito")
        return
    if como_json:
        _print_json(orden.resumen)
        return
    _banner()
    console().print(ranking_table(orden))


@app.command()
def promover(vacante: str = typer.Option(..., "--vacante", help="código de la propuesta cuya plaza quedó libre",
                                     callback=_case_code),
             convocatoria: Optional[str] = typer.Option(None, "--convocatoria"),
             fecha: Fecha = None,
             usuario: Usuario = None) -> None:
    """Promueve a la siguiente accesitaria en orden de mérito a la plaza que quedó libre."""
    from workflow.engine.calls import call_of
    from workflow.engine.selection import promote

    with _session() as session:
        r = promote(session, call_of(session, convocatoria), vacante)
    plan = _fire(r.codigo, r.evento, r.datos, usuario, fecha, r.nota)
    last = plan.audit[-1]
    say(f"{r.codigo}: {state_title(last.estado_origen).lower()} → {state_title(last.estado_destino).lower()} "
        f"(plaza de {vacante}).")


@app.command()
def lote(archivo: Path = typer.Argument(..., help="CSV, JSON, .xlsx u .ods: columnas codigo, evento, fecha, nota y "
                                                  "una por dato (los nombres de --dato)"),
         simular: bool = typer.Option(False, "--simular", help="revisa cada fila con todas las reglas y no escribe nada"),
         repetir: bool = typer.Option(False, "--repetir", help="aplica otra vez, a propósito, un archivo ya aplicado"),
         usuario: Usuario = None) -> None:
    """Un evento por fila, con las mismas reglas que `avanzar`: todas las filas en una transacción o ninguna.
    Un archivo ya aplicado se rechaza (dice cuándo y quién) salvo con --repetir."""
    _run_file(archivo, simular, usuario, None, repetir)


def _run_file(archivo: Path, simular: bool, usuario: str | None, evento: str | None, repetir: bool = False) -> None:
    from workflow.cli.views import console, file_table, progress
    from workflow.engine.bulk import run_file

    with _session() as session:
        user = _acting(session, usuario, evento or "lote", f"archivo:{archivo.name}")
        result = run_file(session, archivo, user, _clock(), simular, evento, repetir,
                          progress(f"Revisando {archivo.name}…"))
    if not simular:  # said first: nothing drawn after the commit can hide or undo it
        desde, hasta = result.auditoria or (None, None)
        say(f"Guardado: {cuantos(len(result.rows) - len(result.rechazadas), 'fila')} en una transacción"
                   + (f" (auditoría {desde}–{hasta})." if desde else "."))
    _banner()
    rechazadas = len(result.rechazadas)
    titulo = f"{archivo.name} ({result.leido_como})" + (" — simulación, no se escribió nada" if simular else "")
    console().print(file_table(result, titulo))
    if result.omitidas:
        say(f"Filas sin llenar, omitidas: {', '.join(map(str, result.omitidas))}.")
    procede = len(result.rows) - rechazadas
    if simular:
        say(f"Simulación: {cuantos(procede, 'fila procede', 'filas proceden')}, {cuantos(rechazadas, 'rechazada')}. No se escribió nada"
                   + ("." if rechazadas else f"; aplíquelo con: convoca lote {archivo}"))
        if rechazadas:
            raise typer.Exit(2)


@app.command()
def plantilla(evento: str = typer.Argument(..., help="el evento que registra cada fila (p. ej. evaluar), o "
                                                     "«importar» para la hoja de postulaciones"),
              xlsx: Path = typer.Option(..., "--xlsx", help="archivo .xlsx que se escribe"),
              estado: Optional[str] = typer.Option(None, "--estado", help="una fila por caso en este estado (por "
                                                   "defecto, los estados desde los que procede el evento)"),
              convocatoria: Optional[str] = typer.Option(None, "--convocatoria")) -> None:
    """Escribe la hoja que se llena para `convoca lote`: columnas con ayuda, listas sí/no y de opciones,
    una fila por caso. `convoca plantilla importar` escribe la de `convoca importar`."""
    from states.books import book_of
    from workflow.engine.calls import call_of
    from workflow.engine.machine import event_or_fail
    from workflow.engine.queries import codes_in
    from workflow.files.workbook import write_import_template, write_template

    if evento == "importar":
        from workflow.engine.importer import template_columns

        with _session() as session:
            call = call_of(session, convocatoria)
        write_import_template(template_columns(book_of(call).formulario), xlsx)
        say(f"Plantilla de postulaciones escrita en {xlsx}: una columna por dato, con su ayuda en el encabezado. "
            f"Llénela e impórtela con: convoca importar {xlsx}")
        return
    with _session() as session:
        call = call_of(session, convocatoria)
        event = event_or_fail(book_of(call), evento)
        estados = [estado] if estado else event.origenes
        codigos = codes_in(session, call.codigo, estados)
    write_template(event, codigos, xlsx, call)
    say(f"Plantilla de {evento} escrita en {xlsx}: {cuantos(len(codigos), 'caso')} en {', '.join(estados)}. "
               f"Llénela y revísela con: convoca lote {xlsx} --simular")


@app.command()
def registro(como_json: bool = typer.Option(False, "--json"), como_csv: bool = CSV_OPT) -> None:
    """Entidades y coordinadores impedidos (renuncia, información falsa, resolución), con su vigencia."""
    from workflow.cli.views import console, registry_table
    from workflow.engine.queries import registry_flags

    with _reading() as session:
        rows = registry_flags(session)
    _emit(rows, como_json, lambda: console().print(registry_table(rows)), como_csv)


@app.command()
def vigilar(ahora: Optional[str] = typer.Option(None, "--ahora", help="instante AAAA-MM-DDTHH:MM (hora de Lima, o con "
                                                                   "su desfase: 2025-12-09T01:30-03:00); por defecto, ahora"),
            simular: bool = typer.Option(False, "--simular", help="no escribe nada: lista lo que ocurriría día a día"),
            hasta: Optional[str] = typer.Option(None, "--hasta", help="con --simular: último día (AAAA-MM-DD)")) -> None:
    """Una pasada del servicio de plazos: vencimientos, escalamiento, recordatorios y envío de correos."""

    from states.tiempo import pasada_de_vigilancia
    from workflow.cli.views import actions_table, console
    from workflow.engine.vigilance import pass_and_deliver, simulate

    with _session() as session:
        now = _clock().now()
        instant = _instant(ahora, "--ahora") or now
        futuro = None if simular else pasada_de_vigilancia(instant, now)
        if futuro:
            _refuse_clock(session, futuro)
        if simular:
            fin = _date(hasta) or instant.date()
            actions = simulate(session, instant.date(), fin)
            _banner()
            console().print(actions_table(actions, f"Simulación del {instant.date()} al {fin} (no se escribió nada)"))
            return
        from workflow.cli.views import working

        with working("Vigilando los plazos y enviando los correos…"):
            actions, correos = pass_and_deliver(session, instant)
        _banner()
        console().print(actions_table(actions, f"Pasada de vigilancia — {instant.isoformat(timespec='minutes')}"))
    _delivered(correos)


@app.command()
def plazos(vencidos: bool = typer.Option(False, "--vencidos", help="solo los vencidos"),
           hasta: Optional[str] = typer.Option(None, "--hasta", help="solo los que vencen hasta esta fecha"),
           responsable: Optional[str] = typer.Option(None, "--responsable", help="EE, monitor, UES o DE"),
           codigo: Optional[str] = typer.Option(None, "--caso", help="solo los de un caso", callback=_case_code),
           como_json: bool = typer.Option(False, "--json"), como_csv: bool = CSV_OPT, xlsx: Optional[Path] = XLSX_OPT,
           ics: Optional[Path] = typer.Option(None, "--ics", help="escribe un archivo iCalendar con una alarma por plazo"),
           semana: bool = typer.Option(False, "--semana", help="solo los que vencen de hoy a una semana (y los "
                                                                 "vencidos)"),
           mios: bool = MIOS_OPT, monitor: Optional[str] = MONITOR_OPT, usuario: Usuario = None,
           convocatoria: Optional[str] = typer.Option(None, "--convocatoria", help="solo los de esta convocatoria"),
           sin_paginar: bool = SIN_PAGINAR_OPT) -> None:
    """La agenda de plazos abiertos, ordenada por vencimiento, con los días que faltan."""
    from workflow.cli.views import agenda_table, console
    from workflow.engine.agenda import SEMANA, agenda, write_ics
    from workflow.errors import ConvocaError

    if semana and hasta:
        raise ConvocaError("--semana y --hasta dicen lo mismo de dos maneras: use una sola.")
    today = _clock().today()
    with _reading() as session:
        whose = _whose(session, mios, monitor, usuario)
        rows = agenda(session, today, vencidos=vencidos,
                      hasta=today + SEMANA if semana else _date(hasta),
                      responsable=whose.responsable or responsable, codigo=codigo, monitor=whose.monitor,
                      convocatoria=convocatoria)
    if ics:
        write_ics(rows, ics, STATE.ensayo)
        say(f"Escritos {len(rows)} plazos en {ics}.")
    else:
        _emit(rows, como_json, lambda: console().print(agenda_table(rows)), como_csv, xlsx, "Plazos")


PAIS_OPT = typer.Option(None, "--pais", help="el país del calendario (PE, UY…), si las convocatorias son de varios")
calendario_app = typer.Typer(help="Días no hábiles con su fuente: `convoca calendario [AÑO]` los lista; "
                                  "`convoca calendario agregar FECHA --norma DECRETO` agrega uno.", cls=DefaultGroup)
app.add_typer(calendario_app, name="calendario")


@calendario_app.command("listar")
def calendario_listar(anio: Optional[int] = typer.Argument(None, metavar="AÑO", help="por defecto, el año actual"),
                      pais: Optional[str] = PAIS_OPT,
                      como_json: bool = typer.Option(False, "--json"), como_csv: bool = CSV_OPT) -> None:
    """Los días no hábiles de un año (además de sábados y domingos), con su fuente."""
    from workflow.cli.views import calendar_table, console
    from workflow.engine.agenda import non_working_days
    from workflow.engine.calls import country

    year = anio or _clock().today().year
    with _session() as session:
        rows = non_working_days(session, year, country(session, pais))
    _emit(rows, como_json, lambda: console().print(calendar_table(rows, year)), como_csv)


@calendario_app.command("agregar")
def calendario_agregar(fecha: str = typer.Argument(..., metavar="FECHA", help="el día (AAAA-MM-DD)"),
                       norma: str = typer.Option(..., "--norma", help="decreto que lo declara"),
                       hasta: Optional[str] = typer.Option(None, "--hasta", help="último día de un rango"),
                       tipo: str = typer.Option("no_laborable", "--tipo", help="no_laborable o suspension"),
                       alcance: str = typer.Option("nacional", "--alcance", help="nacional o una región"),
                       pais: Optional[str] = PAIS_OPT, usuario: Usuario = None) -> None:
    """Agrega un día no laborable o una suspensión de plazos; los plazos en curso se prorrogan y se avisa."""
    from workflow.engine.agenda import add_non_working_day
    from workflow.engine.calls import country

    desde = _date(fecha)
    with _session() as session:
        moved = add_non_working_day(session, desde, _date(hasta) or desde, tipo, alcance, norma, usuario,
                                    _clock().today(), country(session, pais))
    prorrogados = cuantos(moved, "plazo en curso se prorrogó", "plazos en curso se prorrogaron")
    say(f"Agregado: {fecha}{' a ' + hasta if hasta else ''} ({tipo}, {alcance}, {norma})."
        + (f" {prorrogados}; se avisó a quienes los deben." if moved else ""))


@app.command()
def servicio() -> None:
    """Corre `vigilar` cada cierto tiempo y el resumen diario de cada monitor (APScheduler); Ctrl+C o SIGTERM lo detienen."""
    from workflow.engine.service import run_service
    from workflow.storage.db import url_from

    _session().close()  # the same checks as every command: a pinned clock only on a rehearsal database
    run_service(url_from(STATE.db), _clock())


correos_app = typer.Typer(help="La bandeja de salida de correos.", invoke_without_command=True)
app.add_typer(correos_app, name="correos")


@correos_app.callback()
def correos(ctx: typer.Context,
            estado: Optional[str] = typer.Option(None, "--estado", help="pendiente, enviando, enviado, fallido, "
                                                                         "sin_destinatario o retirado"),
            caso: Optional[str] = typer.Option(None, "--caso", help="solo los mensajes de este caso",
                                               callback=_case_code),
            como_json: bool = typer.Option(False, "--json"), como_csv: bool = CSV_OPT, sin_paginar: bool = SIN_PAGINAR_OPT) -> None:
    """Lista la bandeja de salida; dice si el envío está desactivado."""
    if ctx.invoked_subcommand:
        return
    from notifications.settings import load
    from workflow.cli.views import console, outbox_table
    from workflow.engine.queries import outbox

    with _session() as session:
        rows = outbox(session, estado, caso)
    _emit(rows, como_json, lambda: console().print(outbox_table(rows)), como_csv)
    if not (como_json or como_csv) and load() is None:
        say("Envío desactivado: no hay configuración SMTP (CONVOCA_SMTP_HOST); los mensajes esperan aquí.")


@correos_app.command("enviar")
def correos_enviar() -> None:
    """Envía ahora los mensajes pendientes."""
    from notifications.delivery import deliver_pending

    with _session() as session:
        summary = deliver_pending(session, _clock().now())
    _delivered(summary)


@correos_app.command("reintentar")
def correos_reintentar(id_: int = typer.Argument(..., metavar="ID", help="número del mensaje fallido"),
                       usuario: Usuario = None) -> None:
    """Devuelve un mensaje fallido a pendiente para el próximo envío (queda en la auditoría quién lo pidió)."""
    from workflow.engine.bandeja import retry_message

    with _session() as session:
        retry_message(session, id_, usuario, _clock().today())
    say(f"Mensaje {id_} vuelve a pendiente.")


@correos_app.command("previsualizar")
def correos_previsualizar(codigo: str = typer.Argument(..., metavar="CODIGO|ID",
                                                       help="un caso (con TIPO) o el número de un mensaje de la bandeja"),
                          tipo: Optional[str] = typer.Argument(None, metavar="[TIPO]"),
                          html: bool = typer.Option(False, "--html", help="muestra la parte HTML")) -> None:
    """Muestra un mensaje sin enviarlo: el número de uno de la bandeja, o el último (o el que saldría)
    de un tipo para un caso (texto, o HTML con --html)."""
    from workflow.engine.preview import preview, stored_message

    with _session() as session:
        if tipo is None and codigo.isdigit():
            origen, para, asunto, texto, cuerpo_html = stored_message(session, int(codigo))
        elif tipo is None:
            raise typer.BadParameter("indique el TIPO de mensaje, o el número de un mensaje de la bandeja",
                                     param_hint="TIPO")
        else:
            origen, para, asunto, texto, cuerpo_html = preview(session, codigo, tipo, _clock())
    say(f"[{origen}]\nPara: {para}\nAsunto: {asunto}\n\n{cuerpo_html if html else texto}")


@correos_app.command("resumen")
def correos_resumen(mios: bool = MIOS_OPT, monitor: Optional[str] = MONITOR_OPT,
                    html: bool = typer.Option(False, "--html", help="muestra la parte HTML"),
                    convocatoria: Optional[str] = typer.Option(None, "--convocatoria",
                                                               help="solo los casos de esta convocatoria"),
                    usuario: Usuario = None) -> None:
    """El resumen diario de un monitor, ahora, sin esperar al correo ni encolarlo (--mios: el mío).

    Ejemplo: convoca correos resumen --monitor usm.luis"""
    from notifications.render import render
    from states.books import message
    from states.mensajes import RESUMEN
    from workflow.engine.digest import digest_context
    from workflow.errors import ConvocaError

    with _session() as session:
        whose = _whose(session.connection(), mios, monitor, usuario)
        if whose.monitor is None:
            raise ConvocaError("Indique de quién es el resumen: --mios (un monitor) o --monitor NOMBRE.")
        if convocatoria:
            from workflow.engine.calls import call_of

            convocatoria = call_of(session, convocatoria).codigo  # an unknown code is said as such
        contexto = digest_context(session, whose.monitor, _clock().today(), convocatoria)
    if contexto is None:
        say(f"{whose.monitor} no tiene casos asignados: su resumen no tendría nada.")
        return
    asunto, texto, cuerpo_html = render(message(RESUMEN), contexto)
    _banner()
    say(f"Asunto: {asunto}\n\n{cuerpo_html if html else texto}")


@correos_app.command("retirar")
def correos_retirar(id_: int = typer.Argument(..., metavar="ID", help="número del mensaje aún no enviado"),
                    motivo: str = typer.Option(..., "--motivo", help="por qué ya no debe salir"),
                    usuario: Usuario = None) -> None:
    """Retira de la bandeja un mensaje aún no enviado; queda en la auditoría quién y por qué."""
    from workflow.engine.bandeja import withdraw_message

    with _session() as session:
        codigo = withdraw_message(session, id_, motivo, usuario, _clock().today())
    say(f"Mensaje {id_}{f' de {codigo}' if codigo else ''} retirado: {motivo.strip()}.")


@app.command()
def cartas(caso: Optional[str] = typer.Option(None, "--caso", help="solo las cartas de este caso", callback=_case_code),
           como_json: bool = typer.Option(False, "--json"), como_csv: bool = CSV_OPT) -> None:
    """Las cartas simples, notariales y propuestas de resolución, con su número, domicilio y cargo."""
    from workflow.cli.views import console, letters_table
    from workflow.engine.cartas import letters

    with _reading(core=True) as session:
        rows = letters(session, caso)
    _emit(rows, como_json, lambda: console().print(letters_table(rows)), como_csv)


@app.command()
def notificaciones(caso: Optional[str] = typer.Option(None, "--caso", help="solo las de este caso",
                                                      callback=_case_code),
                   pendientes: bool = typer.Option(False, "--pendientes", help="solo las que aún no surten efecto"),
                   como_json: bool = typer.Option(False, "--json"), como_csv: bool = CSV_OPT) -> None:
    """Las notificaciones con efecto legal: a quién, cuándo y cómo se enviaron, y desde cuándo surten efecto.

    Una notificación surte efecto con el acuse de recibo del correo (solo si el destinatario autorizó ese
    medio) o con su entrega en el domicilio; los plazos que corren desde ella empiezan el día hábil
    siguiente. Registre el acuse o la entrega con el comando que muestra la última columna."""
    from workflow.cli.views import console, notifications_table
    from workflow.engine.notificaciones import notifications

    with _reading(core=True) as session:
        rows = notifications(session, caso, pendientes)
    _emit(rows, como_json, lambda: console().print(notifications_table(rows)), como_csv)


@app.command()
def carta(id_: int = typer.Argument(..., metavar="ID", help="número de mensaje de la carta (convoca cartas)"),
          pdf: Path = typer.Option(..., "--pdf", help="archivo PDF que se escribe")) -> None:
    """Escribe una carta en PDF para imprimirla, firmarla y entregarla en el domicilio del contrato."""
    from workflow.engine.cartas import print_letter

    with _reading(core=True) as session:
        found = print_letter(session, id_, pdf, STATE.ensayo)
    say(f"{found['numero']} ({found['codigo']}) escrita en {pdf}. Registre su entrega con: convoca avanzar "
               f"{found['codigo']} registrar_cargo --fecha AAAA-MM-DD --dato carta={id_} --dato plazo={found['plazo']} "
               "--dato cargo=…")


usuarios_app = typer.Typer(help="Usuarios y roles.")
app.add_typer(usuarios_app, name="usuarios")


@usuarios_app.command("agregar")
def usuarios_agregar(nombre: str, rol: str = typer.Option(..., "--rol", help="ues, evaluador, comite, direccion, monitor, "
                                                                                 "admin o auditor"),
                     email: Optional[str] = typer.Option(None, "--email"),
                     login: Optional[str] = typer.Option(None, "--login", help="login que lo autentica (rol de "
                                                         "PostgreSQL o cuenta del sistema); el primer admin toma el suyo"),
                     usuario: Usuario = None) -> None:
    """Agrega un usuario con su rol y su login (lo hace un admin; el primer usuario de la base es admin)."""
    from workflow.engine.users import add_user

    with _session() as session:
        linked = add_user(session, nombre, rol, email, login, usuario, _clock().today())
    say(f"Usuario {nombre} ({rol}) agregado" + (f", login {linked}." if linked else "."))


@usuarios_app.command("listar")
def usuarios_listar(como_json: bool = typer.Option(False, "--json"), como_csv: bool = CSV_OPT) -> None:
    """Lista los usuarios."""
    from workflow.cli.views import console, users_table
    from workflow.engine.users import list_users

    with _session() as session:
        rows = list_users(session)
    _emit(rows, como_json, lambda: console().print(users_table(rows)), como_csv)


@usuarios_app.command("desactivar")
def usuarios_desactivar(nombre: str, usuario: Usuario = None) -> None:
    """Desactiva un usuario: ya no podrá actuar (lo hace un admin; nunca el último admin activo)."""
    from workflow.engine.users import deactivate

    with _session() as session:
        deactivate(session, nombre, usuario, _clock().today())
    say(f"Usuario {nombre} desactivado.")


@usuarios_app.command("reactivar")
def usuarios_reactivar(nombre: str, usuario: Usuario = None) -> None:
    """Reactiva un usuario desactivado (lo hace un admin)."""
    from workflow.engine.users import reactivate

    with _session() as session:
        reactivate(session, nombre, usuario, _clock().today())
    say(f"Usuario {nombre} reactivado.")


@usuarios_app.command("rol")
def usuarios_rol(nombre: str, rol: str = typer.Option(..., "--rol", help="el nuevo rol"),
                 usuario: Usuario = None) -> None:
    """Cambia el rol de un usuario (lo hace un admin; el último admin activo no deja de serlo)."""
    from workflow.engine.users import change_role

    with _session() as session:
        change_role(session, nombre, rol, usuario, _clock().today())
    say(f"Usuario {nombre}: rol {rol}.")


@usuarios_app.command("correo")
def usuarios_correo(nombre: str, email: str = typer.Argument(..., help="el nuevo correo"),
                    usuario: Usuario = None) -> None:
    """Cambia el correo de un usuario, al que le llegan sus avisos (lo hace un admin)."""
    from workflow.engine.users import change_email

    with _session() as session:
        change_email(session, nombre, email, usuario, _clock().today())
    say(f"Usuario {nombre}: correo {email}.")


@app.command()
def asignar(codigo: Codigo, monitor: str, fecha: Fecha = None,
            usuario: Usuario = None) -> None:
    """Asigna el monitor (USM) de un caso, que solo él puede mover; lo hace la UES o un admin."""
    from workflow.engine.users import assign

    with _session() as session:
        assign(session, codigo, monitor, _acting(session, usuario, ASIGNAR, codigo), _clock(), _date(fecha))
    say(f"{codigo}: monitor {monitor}.")


ajustes_app = typer.Typer(help="Los ajustes de la instalación (servicio, correo, límites), iguales para todas las "
                               "convocatorias.", invoke_without_command=True)
app.add_typer(ajustes_app, name="ajustes")


@ajustes_app.callback()
def ajustes(ctx: typer.Context, como_json: bool = typer.Option(False, "--json"), como_csv: bool = CSV_OPT) -> None:
    """Lista cada ajuste con su valor, su valor por defecto y para qué sirve."""
    if ctx.invoked_subcommand:
        return
    from workflow.cli.views import console, settings_table
    from workflow.engine.installation import listing

    with _reading(core=True) as session:
        rows = listing(session)
    _emit(rows, como_json, lambda: console().print(settings_table(rows)), como_csv)


@ajustes_app.command("fijar")
def ajustes_fijar(clave: str, valor: str, usuario: Usuario = None) -> None:
    """Cambia un ajuste (lo hace un admin; queda en la auditoría con el valor anterior)."""
    from workflow.engine.installation import set_setting

    with _session() as session:
        antes, despues = set_setting(session, clave, valor, usuario, _clock().today())
    say(f"Ajuste {clave}: {antes} → {despues}.")


auditoria_app = typer.Typer(help="El registro de auditoría: revisar, exportar, verificar, sellar.",
                            invoke_without_command=True)
app.add_typer(auditoria_app, name="auditoria")


@auditoria_app.callback()
def auditoria(ctx: typer.Context,
              caso: Optional[str] = typer.Option(None, "--caso", help="solo las filas de este caso",
                                                 callback=_case_code),
              usuario: Optional[str] = typer.Option(None, "--usuario", help="solo las filas de este usuario"),
              evento: Optional[str] = typer.Option(None, "--evento"),
              desde: Optional[str] = typer.Option(None, "--desde", help="fecha efectiva desde (AAAA-MM-DD)"),
              hasta: Optional[str] = typer.Option(None, "--hasta", help="fecha efectiva hasta (AAAA-MM-DD)"),
              rechazados: bool = typer.Option(False, "--rechazados", help="solo los intentos rechazados"),
              convocatoria: Optional[str] = typer.Option(None, "--convocatoria", help="solo las filas de esta "
                                                         "convocatoria (sus casos, su carga, sus feriados)"),
              como_json: bool = typer.Option(False, "--json"),
              como_csv: bool = CSV_OPT, xlsx: Optional[Path] = XLSX_OPT, sin_paginar: bool = SIN_PAGINAR_OPT) -> None:
    """Quién hizo qué, cuándo y bajo qué regla; también los intentos rechazados."""
    if ctx.invoked_subcommand:
        return
    from workflow.cli.views import audit_table, console
    from workflow.engine import review

    with _reading(core=True) as session:
        if convocatoria:
            from workflow.engine.calls import call_of

            convocatoria = call_of(session, convocatoria).codigo  # an unknown code is said as such
        data = review.rows(session, caso=caso, usuario=usuario, evento=evento, desde=_date(desde), hasta=_date(hasta),
                           rechazados=rechazados, convocatoria=convocatoria)
    _emit(data, como_json, lambda: console().print(audit_table(data)), como_csv, xlsx, "Auditoría")


@auditoria_app.command("verificar")
def auditoria_verificar(sello: Optional[str] = typer.Option(
        None, "--sello", help="un sello anterior (su hash, FILAS:HASH) o el archivo de sellos de `sellar --archivo`"),
        desde_sello: bool = typer.Option(False, "--desde-sello", help="solo lo agregado desde la última verificación "
                                         "que pasó en esta cuenta (y lo que eso toca)")) -> None:
    """Recalcula la cadena de hashes, reconstruye desde ella cada tabla (casos, plazos, usuarios,
    convocatorias, calendario, registro, bandeja, ajustes) y juzga de nuevo cada fila: dice OK, o
    la primera fila alterada, eliminada, insertada o reordenada, cada tabla que no coincide y cada
    evento ilegal. Sale con 4 si encuentra algo. Una verificación que pasa se recuerda (en un archivo
    de esta cuenta) y --desde-sello verifica solo lo agregado después; la verificación entera ve
    además lo que cambió en las filas ya verificadas."""
    from workflow.clock import Clock
    from workflow.engine import verification
    from workflow.engine.checkpoints import origin
    from workflow.storage.db import snapshot
    from workflow.storage.plain import server_now

    sellos = _seals(sello)
    with _session() as session:
        conn = snapshot(session)
        origen = origin(conn)
        if desde_sello:
            result = verification.since_verified(session, conn, verification.last_verified(origen))
        else:
            result = verification.whole(session, conn, sellos)
        if result.ok:
            kept, unkept = verification.remember(conn, origen, result.verdict, Clock().sync(server_now(conn)).now())
    verdict = result.verdict
    if result.ok:
        nuevas = f"{verdict.filas - result.desde} filas nuevas íntegras desde las {result.desde} ya verificadas" \
            if desde_sello else f"{verdict.filas} filas íntegras"
        say(f"OK: {nuevas}; último hash {verdict.ultimo_hash}"
            + (f"; contiene {'el sello' if len(sellos) == 1 else f'los {len(sellos)} sellos'}" if sellos else "")
            + ("; cada tabla que tocan coincide con lo que la auditoría reconstruye y cada una es legal"
               if desde_sello else "; cada tabla coincide con lo que la auditoría reconstruye y cada fila es legal")
            + ".\n" + (f"No se pudo recordar para la próxima --desde-sello ({unkept}): {kept}" if unkept
                      else f"Recordado para la próxima --desde-sello: {kept}"))
        return
    if not verdict.ok:
        say(f"CADENA ROTA: {verdict.problema}. Filas verificadas antes del problema: {verdict.filas}.", err=True)
    for line in result.problems:
        say(line, err=True)
    raise typer.Exit(4)


def _seals(sello: str | None) -> list:
    """The seals to check: one given on the line, or every line of a seals file."""
    from workflow.errors import ConvocaError
    from workflow.storage.audit import parse_seal

    if not sello:
        return []
    path = Path(sello)
    lines = path.read_text(encoding="utf-8").splitlines() if len(sello) != 64 and path.is_file() else [sello]
    out = [parse_seal(x) for x in lines if x.strip()]
    if not out or None in out:
        raise ConvocaError(f"--sello {sello}: no es un sello (64 cifras hexadecimales, FILAS:HASH o un archivo de "
                           "sellos escrito por `convoca auditoria sellar --archivo`).")
    return out


@auditoria_app.command("reloj")
def auditoria_reloj(corregir: bool = typer.Option(False, "--corregir", help="reconoce (un admin) que el reloj estuvo "
                                                  "adelantado: el registro sigue desde la hora real"),
                    usuario: Usuario = None) -> None:
    """Compara la hora de esta máquina con la de la última fila del registro (SQLite, donde la hora es
    la de la máquina). Si una orden se registró con el reloj adelantado, ninguna otra se registra hasta
    esa hora; con --corregir un admin lo reconoce en el registro, que nombra las filas de la hora
    equivocada (rectifique sus actos si su fecha efectiva tomó esa hora)."""
    from workflow.clock import Clock
    from workflow.engine.reloj import correct_clock

    if not corregir:
        from workflow.storage.plain import select_value, server_now

        with _reading() as conn:
            ultima = select_value(conn, "SELECT registrado_en FROM auditoria ORDER BY id DESC LIMIT 1")
            ahora = Clock().sync(server_now(conn)).now()
        atras = ultima is not None and ahora < ultima
        say(f"Hora de esta máquina: {ahora.isoformat(timespec='seconds')}\nÚltima fila del registro: "
            f"{ultima.astimezone(ahora.tzinfo).isoformat(timespec='seconds') if ultima else 'ninguna'}\n"
            + ("La hora de la máquina está atrás de la última fila: nada se registra hasta esa hora. Si la máquina "
               "tiene la hora correcta, un admin lo reconoce con `convoca auditoria reloj --corregir`." if atras
               else "El registro puede seguir: la hora de la máquina no está atrás de la última fila."))
        return
    with _session() as session:
        done = correct_clock(session, usuario, Clock().today())
    filas = "\n".join(f"  fila {i}: {evento} de {codigo}, fecha efectiva {fecha.isoformat()}"
                       for i, codigo, evento, fecha in done.filas)
    say(f"Reloj corregido: el registro sigue desde {done.hasta.isoformat(timespec='seconds')}; la última fila se había "
        f"registrado el {done.desde.astimezone(done.hasta.tzinfo).isoformat(timespec='seconds')}.\n"
        + (f"Filas registradas con el reloj adelantado (rectifique el acto si su fecha efectiva es de esa hora):\n{filas}"
           if filas else "Ninguna otra fila tiene la hora adelantada."))


@auditoria_app.command("sellar")
def auditoria_sellar(archivo: Optional[Path] = typer.Option(
        None, "--archivo", help="agrega el sello a este archivo, guardado fuera de la base"),
        punto_control: Optional[Path] = typer.Option(
            None, "--punto-control", help="escribe aquí el punto de control firmado (exige la clave de la instalación)")
) -> None:
    """Imprime el sello (filas, hash de cabeza e instante) para guardarlo fuera del sistema y, si la
    instalación tiene su clave, el punto de control firmado: tamaño y raíz del árbol de Merkle."""
    from workflow.clock import Clock
    from workflow.engine import checkpoints
    from workflow.files.atomic import write_whole
    from workflow.storage import audit
    from workflow.storage.plain import server_now

    path = checkpoints.default_path()
    key = checkpoints.load(path) if punto_control or path.exists() else None
    with _session() as session:
        conn = session.connection()
        seal = audit.seal(conn, Clock().sync(server_now(conn)).now())  # real time, never pinned
        signed = checkpoints.sign(conn, key, seal.filas).text() if key else None
    if archivo:
        with archivo.open("a", encoding="utf-8") as f:
            f.write(seal.line() + "\n")
    if punto_control:
        write_whole(punto_control, lambda tmp: tmp.write_text(signed, encoding="utf-8"))
    say(f"Sello de auditoría: {seal.hash}\nFilas: {seal.filas}\nInstante: {seal.instante}\n"
               + (f"Agregado a {archivo}.\n" if archivo else "")
               + f"Verifique más adelante con: convoca auditoria verificar --sello {archivo or f'{seal.filas}:{seal.hash}'}")
    if signed:
        say(f"\nPunto de control firmado{f' (escrito en {punto_control})' if punto_control else ''}:\n{signed.rstrip()}")


@auditoria_app.command("clave")
def auditoria_clave(crear: bool = typer.Option(False, "--crear", help="crea la clave (una sola vez; nunca reemplaza "
                                                                        "otra)"),
                    archivo: Optional[Path] = typer.Option(None, "--archivo", help="el archivo de la clave privada (por "
                                                           "defecto CONVOCA_CLAVE o ~/.config/convoca/clave-ed25519)"),
                    nombre: Optional[str] = typer.Option(None, "--nombre", help="crea la clave de un testigo con este "
                                                         "nombre (p. ej. oci.gob.pe/testigo), sin tocar la base"),
                    publica: Optional[Path] = typer.Option(None, "--publica", help="escribe también la clave pública "
                                                           "en este archivo, para entregarlo a los auditores")) -> None:
    """Imprime la clave pública que firma los puntos de control, para entregarla a los auditores (la
    privada nunca se imprime). Con --crear, crea la de la instalación (o, con --nombre, la de un
    auditor que actúa como testigo), legible solo por su dueño."""
    from workflow.engine import checkpoints
    from workflow.files.atomic import write_whole
    from workflow.storage.verificador import COSIGNER

    path = archivo or checkpoints.default_path()
    if crear and nombre:
        key = checkpoints.create(path, nombre, COSIGNER)
    elif crear:
        with _session() as session:
            key = checkpoints.create(path, checkpoints.origin(session.connection()))
    else:
        key = checkpoints.load(path)
    if publica:
        write_whole(publica, lambda tmp: tmp.write_text(key.verifier() + "\n", encoding="utf-8"))
    say((f"Clave creada en {path} (permisos 600: guárdela con el respaldo de la instalación, fuera de la base).\n"
         if crear else "") + f"Clave pública:\n{key.verifier()}")


@auditoria_app.command("prueba")
def auditoria_prueba(fila: Optional[int] = typer.Option(None, "--fila", help="prueba que esta fila está en el registro"),
                     desde: Optional[int] = typer.Option(None, "--desde", help="prueba que el registro de DESDE filas "
                                                         "es prefijo del actual"),
                     hasta: Optional[int] = typer.Option(None, "--hasta", help="el tamaño del registro al que se "
                                                         "refiere (por defecto, el actual)"),
                     archivo: Optional[Path] = typer.Option(None, "--archivo", help="escribe la prueba aquí (JSON)")
                     ) -> None:
    """Una prueba que un auditor comprueba sin convoca (`verificar_auditoria.py --prueba ARCHIVO
    --clave CLAVE`): de inclusión de una fila, o de consistencia entre dos tamaños del registro, con
    los puntos de control firmados si la instalación tiene su clave."""
    from workflow.engine import checkpoints
    from workflow.errors import Rejected
    from workflow.files.atomic import write_whole

    if (fila is None) == (desde is None):
        raise Rejected("Indique --fila ID (inclusión de una fila) o --desde N (consistencia desde N filas), uno de los dos.")
    path = checkpoints.default_path()
    key = checkpoints.load(path) if path.exists() else None
    with _reading(core=True) as conn:
        size = checkpoints.size_now(conn)
        if hasta is not None and not 0 < hasta <= size:
            raise Rejected(f"--hasta {hasta}: el registro tiene {size} filas.")
        size = hasta or size
        data = (checkpoints.inclusion_proof(conn, fila, size, key) if fila is not None
                else checkpoints.consistency_proof(conn, desde, size, key))
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if archivo:
        write_whole(archivo, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        say(f"Prueba escrita en {archivo}. El auditor la comprueba con: python3 verificar_auditoria.py --prueba "
            f"{archivo} --clave CLAVE_PUBLICA")
    else:
        typer.echo(text, nl=False)


@auditoria_app.command("cofirmar")
def auditoria_cofirmar(punto_control: Path = typer.Argument(..., help="el punto de control firmado que se cofirma"),
                       clave_instalacion: str = typer.Option(..., "--clave-instalacion", help="la clave pública de "
                                                             "la instalación (la línea de `convoca auditoria clave`)"),
                       clave_testigo: Path = typer.Option(..., "--clave-testigo", help="la clave privada del testigo"),
                       estado: Path = typer.Option(..., "--estado", help="el archivo del testigo con el último punto "
                                                   "de control que cofirmó (se crea la primera vez)"),
                       prueba: Optional[Path] = typer.Option(None, "--prueba", help="la prueba de consistencia desde "
                                                             "el último cofirmado (`convoca auditoria prueba --desde`)"),
                       archivo: Optional[Path] = typer.Option(None, "--archivo", help="escribe aquí el punto de "
                                                              "control cofirmado")) -> None:
    """Como testigo (un auditor, con su propia clave): cofirma un punto de control solo si la
    instalación lo firmó y contiene al último que este testigo cofirmó. Si no (dos historias, un
    registro que encoge), lo dice y sale con 4. No usa la base."""
    from states.errors import os_problem, small_text
    from workflow.engine import checkpoints
    from workflow.errors import Rejected
    from workflow.files.atomic import write_whole
    from workflow.storage.verificador import Checkpoint, read_key

    try:
        installation = read_key(clave_instalacion)
        new = Checkpoint(small_text(punto_control))
    except OSError as exc:
        raise Rejected(f"No se puede leer {exc.filename or punto_control}: {os_problem(exc)}.") from None
    except ValueError as exc:
        raise Rejected(f"El punto de control {punto_control} o la clave de la instalación no se leen: {exc}.") from None
    cosigned = checkpoints.cosign(new, installation, checkpoints.load(clave_testigo), estado,
                                  checkpoints.read_json(prueba) if prueba else None)
    if archivo:
        write_whole(archivo, lambda tmp: tmp.write_text(cosigned.text(), encoding="utf-8"))
    say(f"Cofirmado: {cosigned.origin}, {cosigned.size} filas, raíz {cosigned.text().splitlines()[2]}"
        + (f"; escrito en {archivo}" if archivo else "") + f"; {estado} lo recuerda para la próxima vez.")


@auditoria_app.command("cofirmas")
def auditoria_cofirmas(guardar: Optional[Path] = typer.Option(None, "--guardar", help="guarda este punto de control "
                                                              "cofirmado (de `convoca auditoria cofirmar`)"),
                       testigo: Optional[str] = typer.Option(None, "--testigo", help="la clave pública del testigo "
                                                             "que lo cofirmó (su línea o su archivo)"),
                       usuario: Usuario = None) -> None:
    """Los puntos de control que los testigos (auditores) cofirmaron y la instalación guarda; van con el
    registro exportado. Con --guardar y --testigo guarda uno, solo si es de este registro y lleva la
    cofirma válida de ese testigo."""
    from states.errors import os_problem, small_text
    from workflow.clock import Clock
    from workflow.engine import checkpoints
    from workflow.errors import Rejected
    from workflow.storage.verificador import read_key

    if guardar is not None:
        if not testigo:
            raise Rejected("Indique la clave pública del testigo que lo cofirmó (--testigo).")
        try:
            text, witness = small_text(guardar), read_key(testigo)
        except OSError as exc:
            raise Rejected(f"No se puede leer {exc.filename or guardar}: {os_problem(exc)}.") from None
        except ValueError as exc:
            raise Rejected(f"La clave del testigo no se lee: {exc}.") from None
        with _session() as session:
            try:
                kept = checkpoints.store_cosigned(session, text, witness, usuario, Clock().today())
            except ValueError as exc:
                raise Rejected(f"{guardar} no es un punto de control: {exc}.") from None
        say(f"Guardado: {kept.size} filas cofirmadas por {witness.name}; va con la próxima exportación.")
        return
    with _reading(core=True) as conn:
        kept = checkpoints.stored_cosigned(conn)
    say("\n".join(f"{c['tamano']} filas, cofirmado por {c['testigo'].split('+')[0]}" for c in kept)
        or "La instalación no guarda cofirmas todavía (`convoca auditoria cofirmas --guardar ARCHIVO --testigo CLAVE`).")


@auditoria_app.command("exportar")
def auditoria_exportar(carpeta: Path = typer.Argument(..., help="carpeta donde se escribe (se crea si no existe)")) -> None:
    """Escribe el registro en JSON canónico (auditoria.jsonl), el sello (sello.json), el punto de
    control firmado si la instalación tiene su clave (punto_control.txt) y un verificador que solo
    necesita Python (verificar_auditoria.py), para un auditor sin convoca. La clave nunca se exporta."""
    from workflow.clock import Clock
    from workflow.engine import checkpoints
    from workflow.engine.custody import VERIFIER, export
    from workflow.storage.plain import server_now

    path = checkpoints.default_path()
    key = checkpoints.load(path) if path.exists() else None
    with _session() as session:
        seal = export(session.connection(), carpeta, Clock().sync(server_now(session.connection())).now(), key)
    say(f"Exportadas {seal.filas} filas a {carpeta}; último hash {seal.hash}.\n"
        f"El auditor verifica con: python3 {carpeta / VERIFIER} {carpeta}"
        + (f" --clave {key.verifier()}" if key else ""))


@app.command()
def respaldo(archivo: Path = typer.Argument(..., help="el archivo nuevo de la copia")) -> None:
    """Copia la base SQLite completa y consistente (aunque otros estén escribiendo) y la verifica.
    En PostgreSQL dice cómo hacerlo con pg_dump."""
    from workflow.engine.custody import backup
    from workflow.storage.db import url_from

    _session().close()
    verdict = backup(url_from(STATE.db), archivo)
    say(f"Respaldo {archivo}: {verdict.filas} filas de auditoría íntegras; último hash {verdict.ultimo_hash}.")


@app.command()
def restaurar(archivo: Path = typer.Argument(..., help="el respaldo que reemplaza a la base")) -> None:
    """Reemplaza la base SQLite por un respaldo, solo si el respaldo verifica y no tiene menos filas de
    auditoría que la base actual. Ejecútelo con la base cerrada (sin `convoca servicio` en marcha)."""
    from workflow.engine.custody import restore
    from workflow.storage.db import url_from

    verdict = restore(url_from(STATE.db), archivo)
    say(f"Base restaurada desde {archivo}: {verdict.filas} filas de auditoría íntegras; último hash "
               f"{verdict.ultimo_hash}.")


@app.command()
def historial(codigo: Codigo, como_json: bool = typer.Option(False, "--json", help="salida JSON"),
              como_csv: bool = CSV_OPT, sin_paginar: bool = SIN_PAGINAR_OPT) -> None:
    """Las filas de auditoría de un caso, en orden."""
    from workflow.cli.views import console, history_table
    from workflow.engine.queries import history

    with _reading() as session:
        rows = history(session, codigo)
    _emit(rows, como_json, lambda: console().print(history_table(rows, codigo)), como_csv)


@app.command()
def diagrama(codigo: Optional[str] = typer.Argument(None, help="resalta el estado actual de este caso",
                                                   callback=_case_code),
             convocatoria: Optional[str] = typer.Option(None, "--convocatoria", help="la convocatoria cuyo libro de "
                                                        "reglas se dibuja (si hay varias)")) -> None:
    """El ciclo de vida como diagrama Mermaid (stateDiagram-v2), el del libro de reglas de la convocatoria."""
    from states.books import book_of
    from workflow.cli.diagram import mermaid
    from workflow.engine.calls import call_of
    from workflow.engine.reading import load_cases

    estado = None
    with _session() as session:
        if codigo:
            row = load_cases(session, [codigo])[codigo]
            estado, convocatoria = row.estado, row.convocatoria
        call = call_of(session, convocatoria)
    typer.echo(mermaid(book_of(call).ciclo, estado))


@app.command()
def informe(convocatoria: Optional[str] = typer.Option(None, "--convocatoria", help="código de la convocatoria"),
            al: Optional[str] = typer.Option(None, "--al", help="la cartera al final de esa fecha (AAAA-MM-DD; por "
                                                                "defecto, hoy en Lima)"),
            desde: Optional[str] = typer.Option(None, "--desde", help="desde cuándo se listan los hechos notables "
                                                                      "(por defecto, el primer día del mes de --al)"),
            html: Optional[Path] = typer.Option(None, "--html", help="escribe la página, con sus gráficos"),
            xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="escribe el libro, una hoja por sección"),
            pdf: Optional[Path] = typer.Option(None, "--pdf", help="escribe el PDF"),
            como_json: bool = typer.Option(False, "--json", help="salida JSON"),
            sin_paginar: bool = SIN_PAGINAR_OPT) -> None:
    """El informe de cartera de la convocatoria al final de una fecha: propuestas por estado, dinero,
    plazos cumplidos e incumplidos por mes y por tipo, la cadena de escalamiento, la carga de cada
    monitor, las regiones y los hechos notables del periodo. El de una fecha pasada se lee igual
    cuando se vuelve a sacar."""
    from workflow.cli.views import console, paged, portfolio_tables
    from workflow.engine.calls import call_of
    from workflow.engine.cartera import portfolio
    from workflow.errors import Rejected
    from workflow.files import informe as salida

    clock = _clock()
    corte = _date(al, "--al") or clock.today()
    if corte > clock.today():
        raise Rejected(f"--al {corte.isoformat()} es posterior a hoy ({clock.today().isoformat()}): el informe "
                       "cuenta lo que el registro ya sabe.")
    inicio = _date(desde, "--desde")
    if inicio is not None and inicio > corte:
        raise Rejected(f"--desde {inicio.isoformat()} es posterior a --al {corte.isoformat()}.")
    conn = _reading(core=True)
    try:
        call = call_of(conn, convocatoria)
        r = portfolio(conn, call, corte, inicio, clock.now()).as_dict()
    finally:
        conn.close()
    escritos = []
    if html:
        salida.write_html(r, STATE.ensayo, html)
        escritos.append(str(html))
    if xlsx:
        from workflow.files.workbook import write_book

        write_book(salida.sheets(r), xlsx, STATE.ensayo)
        escritos.append(str(xlsx))
    if pdf:
        salida.write_pdf(r, STATE.ensayo, pdf)
        escritos.append(str(pdf))
    if escritos:
        say(f"Informe de cartera de {call.codigo} al {corte.isoformat()} escrito en {', '.join(escritos)}.")
    elif como_json:
        _print_json(r)
    else:
        with paged(STATE.paginar):
            _banner()
            for table in portfolio_tables(r):
                console().print(table)


@app.command()
def completado(shell: str = typer.Argument(..., metavar="SHELL", help="bash, zsh o fish")) -> None:
    """Escribe el autocompletado de convoca para la shell: comandos, opciones, eventos, estados y
    códigos de caso con la tecla Tab. Actívelo agregando a ~/.bashrc (o ~/.zshrc):
    eval "$(convoca completado bash)"."""
    from typer.completion import get_completion_script

    if shell not in SHELLS:
        from workflow.errors import NotFound

        raise NotFound(f"Shell desconocida: {shell}. Shells: {', '.join(SHELLS)}.")
    typer.echo(get_completion_script(prog_name="convoca", complete_var=COMPLETAR, shell=shell))


SHELLS = ("bash", "zsh", "fish")
COMPLETAR = "_CONVOCA_COMPLETE"
"""The variable the shell's completion script sets when it asks convoca what may follow."""


@app.command()
def demo(base: Optional[Path] = typer.Option(None, "--base", help="archivo SQLite que se crea de nuevo (por defecto, "
                                                                     "el de --db o convoca-demo.db)"),
         csv_path: Optional[Path] = typer.Option(None, "--csv", help="dónde se escribe el archivo de postulaciones "
                                                                     "que importa (por defecto, junto a la base)")) -> None:
    """La tarea principal de punta a punta, sobre una base SQLite nueva con ~40 postulaciones ficticias."""
    from sqlalchemy.engine import make_url

    from workflow.cli.demo import run
    from workflow.errors import ConvocaError
    from workflow.storage.db import url_from

    if base is None and (STATE.db or os.environ.get("CONVOCA_DB")):
        url = make_url(url_from(STATE.db))
        if url.get_backend_name() != "sqlite":
            raise ConvocaError("La demostración crea una base SQLite nueva: indique su archivo con --base.")
        base = Path(url.database)
    base = base or Path("convoca-demo.db")
    run(base, csv_path or base.with_suffix(".csv"))


@contextmanager
def _only_the_named_command(args: list[str]):
    """typer builds every command, options and all, before it reads the line: a sixth of a short
    command's start. When the line names a command exactly (past the root's options), the app is
    built with that one alone, for this call; anything else (a typo, a bare `convoca`) keeps them
    all, so suggestions and the list of commands are as before."""
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] == "--db" else 1
    everything = app.registered_commands, app.registered_groups
    if i < len(args):
        from typer.main import get_command_name

        commands = [c for c in everything[0] if (c.name or get_command_name(c.callback.__name__)) == args[i]]
        groups = [g for g in everything[1] if g.name == args[i]]
        if commands or groups:
            app.registered_commands, app.registered_groups = commands, groups
    try:
        yield
    finally:
        app.registered_commands, app.registered_groups = everything


RECOLECTOR = (50_000, 50, 100)
"""The collector's thresholds for one command: it runs rarely, since what it would scan is mostly
the modules just imported, which live as long as the command does."""


def main() -> None:
    """The entry point. A command is short-lived: the collector runs rarely (the objects it would
    scan are mostly the modules just imported) and everything alive at the end is frozen, so the
    interpreter's teardown does not walk it again."""
    import gc

    from workflow.errors import ConvocaError

    gc.set_threshold(*RECOLECTOR)
    if os.environ.get(COMPLETAR):  # the shell asks what may follow: typer's completion answers
        from typer.completion import completion_init

        completion_init()
    os.umask(0o077)  # the database, its exports and calendars hold DNIs and the log: their owner's only
    try:
        with _only_the_named_command([] if os.environ.get(COMPLETAR) else sys.argv[1:]):
            app()
    except ConvocaError as exc:
        say(str(exc), err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        from workflow.cli.spanish import INTERRUMPIDO

        say(INTERRUMPIDO, err=True)
        sys.exit(130)
    except Exception as exc:  # no traceback reaches an officer
        if os.environ.get("CONVOCA_DEPURAR"):
            raise
        known = sys.modules["workflow.storage.db"].spoken(exc) if "workflow.storage.db" in sys.modules else None
        if known is not None:
            say(str(known), err=True)
            sys.exit(known.exit_code)
        if exc.__class__.__module__.split(".")[0] in ("sqlalchemy", "sqlite3", "psycopg"):  # never the SQL
            say(f"Error interno de la base de datos ({exc.__class__.__name__}). Nada quedó a medias. Repita con "
                       "CONVOCA_DEPURAR=1 para ver el detalle y repórtelo.", err=True)
            sys.exit(70)
        say(f"Error interno: {exc.__class__.__name__}: {exc}\n"
                   "Nada quedó a medias. Repita con CONVOCA_DEPURAR=1 para ver el detalle y repórtelo.", err=True)
        sys.exit(70)
    finally:
        if "workflow.storage.db" in sys.modules:  # a command that opened a database (not --help)
            sys.modules["workflow.storage.db"].close_all()  # no write-ahead log left beside a SQLite file
        gc.freeze()


in_spanish(app)
