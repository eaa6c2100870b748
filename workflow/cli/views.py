"""How the officer reads it in a terminal: rich tables over the plain data of `workflow/engine/queries.py`.

A table never cuts a token (a code, a date, an amount, a word): its columns are as wide as their
longest token, and the text folds between words. Where that does not fit, or the terminal is narrower
than `APILAR_BAJO` and the table wider than it, each row is shown stacked, one «campo: valor» per
line. Piped, a line is as long as it needs unless `COLUMNS` says how wide to write; on a terminal,
what does not fit on a screen goes through a pager (`less -FRX`, as git does).
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.pager import Pager
from rich.table import Table as RichTable
from rich.text import Text

from states.books import state_title
from states.plazos import CADUCADO
from states.plural import cuantos, dias
from workflow.files.clean import visible as _visible

ENTEROS = ("código", "caso", "fecha", "vence", "desde", "hasta", "puntaje", "monto")
"""Headers of the columns kept whole (matched at the start of the header, case aside): codes, dates
and amounts. Every other column folds its text between words; none is cut with an ellipsis."""

APILAR_BAJO = 100
"""Below this many columns a table wider than the terminal is shown stacked rather than folded:
at 80 columns a ten-column table folded is a letter per line."""

ALERTA = "bold red"
PRONTO = "bold yellow"
"""Overdue and refused stand out in red, due this week in yellow; each also says so in a word, so it
reads the same under NO_COLOR, piped or printed."""


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """The reader closed the pipe (`| head`): what it asked for was read, so the command ends
        with 0 (rich would exit 1, an officer's error) and nothing more is written."""
        self.quiet = True
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(0)


_paging: Console | None = None
"""While a command's output goes to the pager, every view prints to this one console."""


def console() -> Console:
    if _paging is not None:
        return _paging
    columns = os.environ.get("COLUMNS", "")
    width = None if sys.stdout.isatty() or columns.isdigit() else 100_000
    return _Console(highlight=False, emoji=False, width=width)  # «:x:» in a note is the text typed


class _Less(Pager):
    """The officer's pager ($PAGER, else less), with git's LESS=FRX unless they set LESS: it quits
    when the text fits on one screen (-F), keeps colour (-R) and leaves the text on screen (-X)."""

    def show(self, content: str) -> None:
        import shlex
        import subprocess

        env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
        try:
            subprocess.run(shlex.split(os.environ.get("PAGER") or "less"), input=content, text=True, env=env,
                           check=False)
        except OSError:  # no pager installed: the text as it is
            sys.stdout.write(content)
            sys.stdout.flush()


@contextmanager
def paged(enabled: bool = True):
    """Everything printed inside goes through the pager, on a terminal only: piped or with
    --sin-paginar it is written as it comes."""
    global _paging
    if not enabled or not sys.stdout.isatty() or _paging is not None:
        yield
        return
    _paging = console()
    try:
        with _paging.pager(pager=_Less(), styles=True):
            yield
    finally:
        _paging = None


BARRA_DESDE = 200
"""Rows from which a long pass (an import, a lote, an export) shows a progress bar: below it the
work ends before a bar would be read."""


def progress(what: str):
    """A function that wraps a list of rows in a progress bar (on the terminal's error stream, only
    on a terminal, gone when done), so the officer sees a long import, lote or export move."""
    from rich.progress import track

    def wrap(rows):
        return track(rows, description=what, disable=len(rows) < BARRA_DESDE or not sys.stderr.isatty(),
                     transient=True, console=Console(stderr=True, emoji=False))

    return wrap


def working(what: str):
    """A spinner with what is being done, on a terminal only: piped output stays clean."""
    from contextlib import nullcontext

    return Console(stderr=True, emoji=False).status(what) if sys.stdout.isatty() else nullcontext()


def _text(cell: Any) -> str:
    return cell.plain if isinstance(cell, Text) else Text.from_markup(cell, emoji=False).plain if isinstance(cell, str) else ""


def _longest_token(text: str) -> int:
    return max((cell_len(w) for w in text.split()), default=0)


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=0)


class Table(RichTable):
    """rich's table, with columns that never cut a code, a date, an amount or a word, and a stacked
    form where the columns do not fit."""

    def add_column(self, header: str = "", **kwargs: Any) -> None:
        if str(header).lower().startswith(ENTEROS):
            kwargs.setdefault("no_wrap", True)
        else:
            kwargs.setdefault("overflow", "fold")
        super().add_column(header, **kwargs)

    def add_row(self, *cells: Any, **kwargs: Any) -> None:
        """Every cell as text a terminal shows and does not act on: control characters written as
        escapes, and brackets as brackets (never rich markup), whatever a fact holds."""
        super().add_row(*(escape(_visible(c, lines=True)) if isinstance(c, str) else c for c in cells), **kwargs)

    def _widths(self, width: int) -> list[int] | None:
        """Each column's width when every token fits whole (the spare room to the columns that
        would fold), or None when even that is wider than `width`."""
        texts = [[_text(c) for c in column._cells] for column in self.columns]
        headers = [str(column.header) for column in self.columns]
        least, most = [], []
        for column, cells, header in zip(self.columns, texts, headers):
            if column.no_wrap:
                whole = max([_longest_line(t) for t in cells] + [cell_len(header)])
                least.append(whole)
                most.append(whole)
            else:
                least.append(max([_longest_token(t) for t in cells] + [_longest_token(header), 1]))
                most.append(max([_longest_line(t) for t in cells] + [cell_len(header), 1]))
        n = len(self.columns)
        borders = (n + 1 if self.show_edge else n - 1) if self.box else 0
        room = width - borders - sum(self._get_padding_width(i) for i in range(n))
        if sum(least) > room or (width < APILAR_BAJO and sum(most) > room):
            return None
        widths, spare = list(least), room - sum(least)
        while spare > 0:
            growing = [i for i in range(n) if widths[i] < most[i]]
            if not growing:
                break
            share = max(1, spare // len(growing))
            for i in growing:
                step = min(share, most[i] - widths[i], spare)
                widths[i] += step
                spare -= step
        return widths

    def __rich_console__(self, console: Console, options: Any):
        widths = self._widths(options.max_width) if self.columns else None
        if widths is None and self.columns:
            yield from self._stacked(console, options)
            return
        for column, w in zip(self.columns, widths or ()):
            column.width = w
        yield from super().__rich_console__(console, options)

    def _stacked(self, console: Console, options: Any):
        """One block per row, «campo: valor» per line, a blank line between rows."""
        if self.title:
            yield console.render_str(str(self.title), style="bold") if isinstance(self.title, str) else self.title
        headers = [f"{column.header}:" for column in self.columns]
        label = max(cell_len(h) for h in headers) + 1
        for r in range(self.row_count):
            lines: list[Text] = []
            for column, header in zip(self.columns, headers):
                lines += field_lines(console, header, column._cells[r], label, options.max_width)
            yield Text("\n", no_wrap=True).join([*lines, Text("")])  # folded already: not again
        if self.caption:
            yield console.render_str(str(self.caption)) if isinstance(self.caption, str) else self.caption


def field_lines(console: Console, label: str, cell: Any, label_width: int, width: int, indent: int = 0) -> list[Text]:
    """«label value» as lines of at most `width`, the value folded between words under itself; a
    value with a token too long to sit beside its label goes below it. Empty values give no line."""
    value = cell if isinstance(cell, Text) else console.render_str(cell) if isinstance(cell, str) else Text("")
    if not value.plain.strip():
        return []
    margin = " " * indent
    room = width - indent - label_width
    if _longest_token(value.plain) > room:
        heads, lines = [margin + label], value.wrap(console, width - indent - 2, overflow="fold")
        heads += [margin + "  "] * len(lines)
    else:
        fits = "\n" not in value.plain and cell_len(value.plain) <= room
        lines = [value.copy()] if fits else value.wrap(console, room, overflow="fold")
        heads = [margin + label.ljust(label_width)] + [" " * (indent + label_width)] * (len(lines) - 1)
    out = []
    for head, line in zip(heads, [Text(""), *lines] if len(heads) > len(lines) else lines):
        line.rstrip()
        out.append((Text(head) + line) if line.plain else Text(head.rstrip()))
    return out


def _shown(value: Any) -> str:
    """A fact as an officer reads it: sí/no, lists as text, no Python, nothing a terminal acts on."""
    return _visible(_plain(value))


def _plain(value: Any) -> str:
    if value is True:
        return "sí"
    if value is False:
        return "no"
    if value is None:
        return "—"
    if isinstance(value, list):
        return "; ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    return str(value)


def cases_table(rows: list[dict[str, Any]], title: str, convocatoria: bool = False) -> Table:
    """The cases of a listing; `convocatoria`: a column with each case's call (a database of several)."""
    table = Table(title=title)
    for col in (("Convocatoria",) if convocatoria else ()) + ("Código", "Estado", "Entidad", "Coordinador", "Puntaje"):
        table.add_column(col)
    for r in rows:
        puntaje = "excluida" if r.get("excluida") else f"{float(r['puntaje']):.2f}" if r["puntaje"] else ""
        table.add_row(*((r["convocatoria"],) if convocatoria else ()), r["codigo"], state_title(r["estado"]),
                      r["entidad"] or "", r["coordinador"] or "", puntaje)
    return table


def _rechazado(evento: str, motivos: str = "") -> Text:
    """A refused act: the event, then RECHAZADO in the colour of an alarm, then why."""
    return Text.assemble(evento + " ", Text(f"(RECHAZADO{_visible(motivos, lines=True)})", style=ALERTA))


def history_table(rows: list[dict[str, Any]], codigo: str) -> Table:
    table = Table(title=f"Historial de {codigo}")
    for col in ("Id", "Fecha efectiva", "Registrado", "Usuario", "Evento", "De → a", "Nota"):
        table.add_column(col)
    for r in rows:
        evento = Text(r["evento"]) if r["aceptado"] else _rechazado(r["evento"], ": " + "; ".join(r["motivos"]))
        if r.get("refiere") is not None:
            evento.append(f" ({'anula' if r['evento'] == 'anular' else 'rectifica'} la fila {r['refiere']})")
        if r.get("sucesor"):
            evento.append(f" [{r['sucesor']['como'].upper()} por la fila {r['sucesor']['id']}]")
        table.add_row(str(r["id"]), r["fecha_efectiva"], r["registrado_en"], r["usuario"], evento,
                      f"{r['origen'] or '—'} → {r['destino'] or '—'}", r["nota"] or "")
    return table


def _tables(out: Console, book, hechos: dict[str, Any]) -> None:
    """The tables the case's book declares of its facts (states/vistas.py)."""
    for vista in book.vistas:
        tabla = vista(hechos)
        if tabla is not None:
            table = Table(title=tabla.titulo)
            for col in tabla.columnas:
                table.add_column(col)
            for fila in tabla.filas:
                table.add_row(*fila)
            out.print(table)


def _facts(out: Console, hechos: dict[str, Any], hidden: tuple[str, ...], tablas: tuple[str, ...]) -> None:
    """Each group of facts: one line of «clave=valor» where there is room, below `APILAR_BAJO`
    columns one «clave: valor» per line under the group's name."""
    for grupo, valores in hechos.items():
        if grupo in tablas or not isinstance(valores, dict):
            continue
        visible = {k: v for k, v in valores.items() if k not in hidden}
        if out.width >= APILAR_BAJO:
            out.print(f"[bold]{grupo}[/bold]: " + escape(", ".join(f"{k}={_shown(v)}" for k, v in visible.items())))
            continue
        label = max((cell_len(k) for k in visible), default=0) + 2
        lines = [Text(grupo, style="bold")]
        for k, v in visible.items():
            lines += field_lines(out, f"{k}:", Text(_shown(v)), label, out.width, indent=2)
        out.print(Text("\n").join(lines))


def render_case(d: dict[str, Any], book) -> None:
    """A case as `ver` shows it; `book`: its call's rule book (the tables it declares of its facts)."""
    out = console()
    out.print(f"[bold]{d['codigo']}[/bold] — {state_title(d['estado'])} "
              f"(convocatoria {d['convocatoria']}, versión {d['version']})")
    _facts(out, d["hechos"], ("versiones", "defectos"), book.anidados)
    defectos = (d["hechos"].get("postulacion") or {}).get("defectos")
    if defectos:
        out.print("[bold]Defectos registrados al importar[/bold] (la UES decide; declarar_no_apta los cita):")
        for defecto in defectos:
            out.print(f"  - {escape(_visible(defecto))}")
    _tables(out, book, d["hechos"])
    table = Table(title="Eventos")
    for col in ("Evento", "¿Permitido?", "Motivos / datos que pide"):
        table.add_column(col)
    for ev in d["eventos"]:
        if ev["permitido"]:
            table.add_row(ev["evento"], "sí", ("datos: " + ", ".join(ev["datos"])) if ev["datos"] else "")
        elif ev["desde_este_estado"]:  # from another state it is not a refusal worth a line
            table.add_row(ev["evento"], "no", "\n".join(ev["motivos"]))
    out.print(table)
    out.print(agenda_table(d["plazos"], "Plazos abiertos") if d["plazos"] else "Plazos abiertos: ninguno")
    out.print(history_table(d["historial"], d["codigo"]))


def checklist(session, codigo: str, clock, requisitos, grupo: str | None, titulo: str) -> tuple[Table, bool]:
    """Each requirement a book's stage command lists (its eligibility) with its state for the case,
    as the officer checks them (`grupo`: the facts where the command's event records them); and
    whether all are met."""
    from states.definition import label
    from workflow.engine.context import Scopes, rule_context
    from workflow.engine.machine import failures
    from workflow.engine.reading import load_cases

    row = load_cases(session, [codigo])[codigo]
    scope = Scopes(session).of(row.convocatoria)
    call = scope.call
    ctx = rule_context(scope, codigo, row.estado, row.hechos, clock.today())
    table = Table(title=titulo)
    for col in ("Fuente", "Requisito", "--dato", "Estado"):
        table.add_column(col)
    ok = True
    for rule in requisitos:
        reasons = failures((rule,), ctx)
        ok = ok and not reasons
        table.add_row(rule.fuente, label(rule.requisito, call), _recorded_with(rule), _requirement(rule, reasons, ctx, grupo))
    return table, ok


def _recorded_with(rule) -> str:
    """The `--dato` keys that prove a requirement, or where it comes from when no officer types it."""
    return ", ".join(rule.datos) if rule.datos else "(de la postulación)"


def _requirement(rule, reasons, ctx, grupo: str | None) -> Text | str:
    from states.common import NO_APLICA

    if reasons:
        if any(r.sin_acreditar for r in reasons):
            return Text("sin acreditar", style=PRONTO)
        return Text("no cumple: " + "; ".join(r.motivo for r in reasons), style=ALERTA)
    recorded = [ctx.get(f"{grupo}.{d}") for d in rule.datos] if grupo else []
    if (rule.aplica is not None and not rule.aplica(ctx)) or (recorded and all(v == NO_APLICA for v in recorded)):
        return "no aplica"
    return "cumple"


def ranking_table(orden) -> Table:
    """A merit order as its book's policy shows it (states.seleccion.Orden)."""
    table = Table(title=orden.titulo)
    for col in orden.columnas:
        table.add_column(col)
    for fila in orden.filas:
        table.add_row(*(fila[c] for c in orden.columnas))
    table.caption = orden.nota
    return table


def registry_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="Registro de impedimentos")
    for col in ("Tipo", "Documento", "Nombre", "Desde", "Hasta", "Motivo", "Fuente", "Caso"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["tipo"], r["documento"], r["nombre"] or "", r["desde"], r["hasta"] or "indefinido",
                      r["motivo"], r["fuente"], r["caso"])
    return table


def _faltan(r: dict[str, Any]) -> Text:
    """How far the deadline is, in words that stand out when it is overdue or due this week."""
    n = r["dias_restantes"]
    if r["urgencia"] == "vencido":
        return Text(f"VENCIDO hace {dias(-n, r['unidad'])}" if n < 0 else "VENCIDO", style=ALERTA)
    if r["urgencia"] == CADUCADO:
        return Text(f"caducó hace {dias(-n, r['unidad'])} (no se usó)" if n < 0 else "caducó (no se usó)")
    if r["urgencia"]:
        return Text("VENCE HOY" if n == 0 else f"ESTA SEMANA: {dias(n, r['unidad'])}", style=PRONTO)
    return Text(dias(n, r["unidad"]))


def agenda_table(rows: list[dict[str, Any]], title: str = "Agenda de plazos") -> Table:
    table = Table(title=f"{title} ({len(rows)})")
    for col in ("Vence", "Faltan", "Caso", "Plazo", "Hito", "Responsable", "Estado", "Cuenta desde", "Fuente"):
        table.add_column(col)
    for r in rows:
        estado = r["estado"] + (f" (escalamiento {r['escalamiento']})" if r["escalamiento"] else "")
        table.add_row(r["vence"], _faltan(r), r["codigo"], f"{r['tipo']} {r['titulo']}", r["hito"] or "",
                      r["responsable"], estado, r["cuenta_desde"], r["fuente"])
    return table


def actions_table(actions, title: str) -> Table:
    table = Table(title=f"{title}: {cuantos(len(actions), 'acción', 'acciones')}")
    for col in ("Fecha", "Caso", "Acción", "Plazo", "Detalle"):
        table.add_column(col)
    for a in actions:
        table.add_row(a.fecha.isoformat(), a.codigo, a.accion, a.plazo, a.detalle)
    return table


def file_table(result, title: str) -> Table:
    """Each row of a `lote` file with what becomes of it, numbered as the spreadsheet shows it."""
    table = Table(title=title)
    for col in ("Fila", "Caso", "Evento", "Resultado", "Motivos"):
        table.add_column(col, no_wrap=col == "Fila")
    for r in result.rows:
        o = r.outcome
        if o.procede:
            desde, hasta = state_title(o.origen), state_title(o.destino)
            shown = f"procede: {desde} → {hasta}" if desde != hasta else f"procede ({hasta})"
        else:
            shown = "rechazada"
        table.add_row(str(r.fila), r.codigo, r.evento, shown, "\n".join(o.motivos))
    return table


def calendar_table(rows: list[dict[str, Any]], year: int) -> Table:
    table = Table(title=f"Días no hábiles de {year} (además de sábados y domingos)")
    for col in ("Fecha", "Tipo", "Alcance", "Fuente"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["fecha"], r["tipo"], r["alcance"], r["fuente"])
    return table


def outbox_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"Bandeja de salida ({len(rows)})")
    for col in ("ID", "Estado", "Tipo", "Caso", "Para", "Asunto", "Intentos", "Respuesta / advertencia"):
        table.add_column(col)
    for r in rows:
        estado = Text(r["estado"].upper(), style=ALERTA) if r["estado"] == "fallido" else r["estado"]
        table.add_row(str(r["id"]), estado, r["tipo"], r["codigo"] or "", ", ".join(r["destinatarios"]),
                      r["asunto"], str(r["intentos"]), r["respuesta"] or r["advertencia"] or "")
    return table


def letters_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"Cartas ({len(rows)})")
    for col in ("ID", "Número", "Caso", "Plazo", "Fecha", "Correo", "Domicilio", "Entregada", "Cargo"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), r["numero"], r["codigo"] or "", r["plazo"] or "—", r["fecha"], r["estado"],
                      r["domicilio"] or "(falta: registrar_domicilio)", r["entregada"] or "—", r["cargo"] or "—")
    return table


def notifications_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title=f"Notificaciones ({len(rows)})")
    for col in ("Caso", "Notificación", "Para", "Enviada", "Correo", "Surte efecto", "Evidencia / qué falta"):
        table.add_column(col)
    for r in rows:
        correo = (f"mensaje {r['mensaje']}: {r['envio']}" if r["mensaje"] else "sin mensaje") + \
            ("" if r["correo_autorizado"] else "; no autorizado: no notifica")
        efecto = f"{r['efectiva']} ({r['medio']})" if r["efectiva"] else "pendiente"
        evidencia = r["evidencia"] if r["efectiva"] else r["registrar"]
        table.add_row(r["codigo"], r["notificacion"], f"{r['para']} {r['correo']}".strip(), r["enviada"], correo,
                      efecto, evidencia)
    return table


def users_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="Usuarios")
    for col in ("Usuario", "Rol", "Correo", "Activo"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["nombre"], r["rol"], r["email"] or "", "sí" if r["activo"] else "no")
    return table


def settings_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="Ajustes de la instalación")
    for col in ("Ajuste", "Valor", "Por defecto", "Para qué"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["clave"], _shown(r["valor"]), _shown(r["por_defecto"]), r["descripcion"])
    return table


def audit_table(rows: list[dict[str, Any]]) -> Table:
    """The log's rows; with a Convocatoria column when they are about several calls."""
    varias = len({r.get("convocatoria") for r in rows if r.get("convocatoria")}) > 1
    table = Table(title=f"Auditoría ({len(rows)} filas)")
    for col in ("Id", "Fecha efectiva", "Registrado", "Usuario", "Rol", *(("Convocatoria",) if varias else ()), "Caso",
                "Evento", "De → a", "Nota", "Regla citada / motivos"):
        table.add_column(col)
    for r in rows:
        evento = Text(r["evento"]) if r["aceptado"] else _rechazado(r["evento"])
        citado = "\n".join(r["reglas"] if r["aceptado"] else r["motivos"])
        table.add_row(str(r["id"]), r["fecha_efectiva"], r["registrado_en"], r["usuario"], r["rol"] or "",
                      *((r["convocatoria"] or "",) if varias else ()), r["caso"], evento,
                      f"{r['de'] or '—'} → {r['a'] or '—'}", r["nota"] or "", citado)
    return table


def _cuando(past: dict[str, Any]) -> str:
    """Which axis of the record a rebuilt case is on: a date as known today, an instant as seen then."""
    al = f"al {past['al']}" if past.get("al") else ""
    segun = f"según el registro del {past['segun_registro']}" if past.get("segun_registro") else ""
    return " y ".join(p for p in (al, segun) if p)


def render_replay(past: dict[str, Any], book) -> None:
    out = console()
    if past["estado"] is None:
        desde = f": su primer hecho es del {past['desde']}" if past.get("desde") else ""
        out.print(f"{past['codigo']} no existía {_cuando(past)}{desde}.")
        return
    estado = state_title(past["estado"])
    out.print(f"[bold]{past['codigo']}[/bold] {_cuando(past)}: {estado} "
              f"(reconstruido desde {past['eventos']} filas de auditoría)")
    _facts(out, past["hechos"], ("versiones",), book.anidados)
    _tables(out, book, past["hechos"])
    table = Table(title="Plazos abiertos en esa fecha")
    for col in ("Vence", "Plazo", "Hito", "Estado"):
        table.add_column(col)
    for p in past["plazos"]:
        table.add_row(p["vence"], p["tipo"], p["hito"] or "", p["estado"])
    out.print(table)


def portfolio_tables(r: dict[str, Any]) -> list[Table]:
    """The portfolio report in the terminal: the tables of its page, without the pictures; its money as
    its call's jurisdiction writes it."""
    from states.books import book
    from states.cartera import CONCEPTOS

    money = book(r["reglamento"]).jurisdiccion.dinero
    embudo = Table(title=f"{r['convocatoria']}: propuestas por estado al {r['al'].isoformat()} ({r['casos']})")
    for col in ("Estado", "Propuestas"):
        embudo.add_column(col, justify="right" if col == "Propuestas" else "left")
    for e in r["embudo"]:
        embudo.add_row(e["titulo"], str(e["casos"]))
    dinero = Table(title="Dinero")
    dinero.add_column("Concepto")
    dinero.add_column("Monto", justify="right")
    for clave, nombre in CONCEPTOS:
        dinero.add_row(nombre, money(r["dinero"][clave]))
    plazos = Table(title="Plazos por tipo")
    for col in ("Plazo", "Vencidos al corte", "A tiempo", "Tarde", "Incumplidos", "Por vencer"):
        plazos.add_column(col, justify="left" if col == "Plazo" else "right")
    for t in r["plazos_tipo"]:
        plazos.add_row(t["tipo"], str(t["vencen"]), str(t["a_tiempo"]), str(t["tarde"]),
                       Text(str(t["incumplido"]), style=ALERTA if t["incumplido"] else ""), str(t["pendiente"]))
    monitores = Table(title="Carga por monitor")
    for col in ("Monitor", "Casos", "Plazos abiertos", "Vencidos"):
        monitores.add_column(col, justify="left" if col == "Monitor" else "right")
    for m in r["monitores"]:
        monitores.add_row(m["monitor"], str(m["casos"]), str(m["plazos_abiertos"]),
                          Text(str(m["vencidos"]), style=ALERTA if m["vencidos"] else ""))
    escalamiento = Table(title=f"Cadena de escalamiento ({len(r['escalamiento'])})")
    for col in ("Caso", "Plazo", "Venció", "Días", "Paso"):
        escalamiento.add_column(col)
    for e in r["escalamiento"]:
        escalamiento.add_row(e["codigo"], e["plazo"] + (f" hito {e['hito']}" if e["hito"] else ""),
                             e["vence"].isoformat(), str(e["dias"]), f"{e['escalamiento']}. {e['paso']}")
    notables = Table(title=f"Hechos notables del {r['desde'].isoformat()} al {r['al'].isoformat()} "
                           f"({len(r['notables'])})")
    for col in ("Fecha", "Caso", "Hecho", "Detalle"):
        notables.add_column(col)
    for n in r["notables"]:
        notables.add_row(n["fecha"].isoformat(), n["codigo"], n["titulo"], n["detalle"])
    return [embudo, dinero, plazos, monitores, escalamiento, notables]
