"""How the officer reads it in a terminal: rich tables over the plain data of `workflow/engine/queries.py`.

Codes, dates, amounts and numbers are never cut: their columns keep their full width and the text
columns fold around them. Piped into a file or another program, a line is as long as it needs.
"""
from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from states.lifecycle import CICLO
from workflow.files.clean import visible as _visible

ENTEROS = ("código", "caso", "fecha", "vence", "desde", "hasta", "puntaje", "monto")
"""Headers of the columns kept whole (matched at the start of the header, case aside): codes, dates
and amounts. Every other column folds its text onto more lines; none is cut with an ellipsis."""


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """The reader closed the pipe (`| head`): what it asked for was read, so the command ends
        with 0 (rich would exit 1, an officer's error) and nothing more is written."""
        import os

        self.quiet = True
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(0)


def console() -> Console:
    return _Console(highlight=False, width=None if sys.stdout.isatty() else 100_000)


def working(what: str):
    """A spinner with what is being done, on a terminal only: piped output stays clean."""
    from contextlib import nullcontext

    return Console(stderr=True).status(what) if sys.stdout.isatty() else nullcontext()


class Table(RichTable):
    """rich's table, with columns that never cut a code, a date or an amount."""

    def add_column(self, header: str = "", **kwargs: Any) -> None:
        if str(header).lower().startswith(ENTEROS):
            kwargs.setdefault("no_wrap", True)
        else:
            kwargs.setdefault("overflow", "fold")
        super().add_column(header, **kwargs)

    def add_row(self, *cells: Any, **kwargs: Any) -> None:
        """Every cell as text a terminal shows and does not act on: control characters written as
        escapes, and brackets as brackets (never rich markup), whatever a fact holds."""
        from rich.markup import escape

        super().add_row(*(escape(_visible(c, lines=True)) if isinstance(c, str) else c for c in cells), **kwargs)

    def __rich_console__(self, console: Console, options: Any):
        for column in self.columns:
            if column.no_wrap:
                column.min_width = max([len(str(c)) for c in column._cells] + [len(str(column.header))])
        yield from super().__rich_console__(console, options)


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


def cases_table(rows: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title)
    for col in ("Código", "Estado", "Entidad", "Coordinador", "Puntaje"):
        table.add_column(col)
    for r in rows:
        puntaje = "excluida" if r.get("excluida") else f"{float(r['puntaje']):.2f}" if r["puntaje"] else ""
        table.add_row(r["codigo"], CICLO.state(r["estado"]).titulo, r["entidad"] or "", r["coordinador"] or "", puntaje)
    return table


def history_table(rows: list[dict[str, Any]], codigo: str) -> Table:
    table = Table(title=f"Historial de {codigo}")
    for col in ("Id", "Fecha efectiva", "Registrado", "Usuario", "Evento", "De → a", "Nota"):
        table.add_column(col)
    for r in rows:
        evento = r["evento"] if r["aceptado"] else f"{r['evento']} (RECHAZADO: {'; '.join(r['motivos'])})"
        if r.get("refiere") is not None:
            evento += f" ({'anula' if r['evento'] == 'anular' else 'rectifica'} la fila {r['refiere']})"
        if r.get("sucesor"):
            evento += f" [{r['sucesor']['como'].upper()} por la fila {r['sucesor']['id']}]"
        table.add_row(str(r["id"]), r["fecha_efectiva"], r["registrado_en"], r["usuario"], evento,
                      f"{r['origen'] or '—'} → {r['destino'] or '—'}", r["nota"] or "")
    return table


NESTED = ("hitos", "gastos", "visitas", "reasignaciones", "coordinadores_anteriores")
"""Fact groups keyed by number, shown as their own tables rather than as one line."""


def render_case(d: dict[str, Any]) -> None:
    out = console()
    out.print(f"[bold]{d['codigo']}[/bold] — {CICLO.state(d['estado']).titulo} "
              f"(convocatoria {d['convocatoria']}, versión {d['version']})")
    for grupo, hechos in d["hechos"].items():
        if grupo in NESTED or not isinstance(hechos, dict):
            continue
        visible = {k: v for k, v in hechos.items() if k not in ("versiones", "defectos")}
        out.print(f"[bold]{grupo}[/bold]: " + escape(", ".join(f"{k}={_shown(v)}" for k, v in visible.items())))
    defectos = (d["hechos"].get("postulacion") or {}).get("defectos")
    if defectos:
        out.print("[bold]Defectos registrados al importar[/bold] (la UES decide; declarar_no_apta los cita):")
        for defecto in defectos:
            out.print(f"  - {escape(_visible(defecto))}")
    if d["hechos"].get("hitos"):
        out.print(milestones_table(d["hechos"]))
    if d["hechos"].get("presupuesto"):
        out.print(budget_table(d["hechos"]))
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


def eligibility_checklist(session, codigo: str, clock) -> tuple[Table, bool]:
    """Each eligibility requirement of the rule book with its state, as the UES checks them."""
    from states.definition import label
    from states.rules.elegibilidad import REQUISITOS
    from workflow.engine.cases import load_cases
    from workflow.engine.context import Scopes, rule_context
    from workflow.engine.machine import failures

    row = load_cases(session, [codigo])[codigo]
    scope = Scopes(session).of(row.convocatoria)
    call = scope.call
    ctx = rule_context(scope, codigo, row.estado, row.hechos, clock.today())
    table = Table(title=f"Elegibilidad de {codigo}")
    for col in ("Fuente", "Requisito", "Estado"):
        table.add_column(col)
    ok = True
    for rule in REQUISITOS:
        reasons = failures((rule,), ctx)
        ok = ok and not reasons
        estado = "cumple" if not reasons else "sin acreditar" if any(r.sin_acreditar for r in reasons) \
            else "no cumple: " + "; ".join(r.motivo for r in reasons)
        table.add_row(rule.fuente, label(rule.requisito, call), estado)
    return table, ok


def ranking_table(ranking) -> Table:
    from states.rules.seleccion import COMITE, PRIORIDAD_COMITE

    table = Table(title=f"Orden de mérito — {len(ranking.aprobadas)} aprobadas para {ranking.plazas} plazas; "
                        f"desempate: {ranking.desempate}")
    for col in ("Puesto", "Código", "Puntaje final", "Ruta", "Resultado previsto"):
        table.add_column(col)
    pre = {r.codigo: i for i, r in enumerate(ranking.preseleccion())}
    for r in ranking.filas:
        if not r.aprobado:
            previsto = "desaprobada"
        elif ranking.requiere_comite:
            previsto = "preselección del comité" if pre[r.codigo] < ranking.plazas else "accesitaria (propuesta)"
        else:
            previsto = "aprobada"
        table.add_row(str(r.puesto), r.codigo, "excluida" if r.excluida else f"{r.puntaje_final:.2f}",
                      r.ruta.replace("_", " "), previsto)
    if ranking.requiere_comite:
        table.caption = (f"Más aprobadas que plazas: decide el Comité de Consistencia ({COMITE}). "
                         f"Preselección propuesta: {PRIORIDAD_COMITE}.")
    return table


def published_table(rows: list[dict[str, Any]], codigo: str) -> Table:
    resoluciones = sorted({r["resolucion"] for r in rows})
    table = Table(title=f"Orden de mérito publicado — {codigo}; {', '.join(resoluciones)}")
    for col in ("Puesto", "Código", "Puntaje final", "Resultado", "Estado actual", "Acta", "Fecha"):
        table.add_column(col)
    for r in rows:
        puntaje = f"{Decimal(r['puntaje_final']):.2f}" if r["puntaje_final"] is not None else ""
        table.add_row(str(r["orden_merito"]), r["codigo"], puntaje, r["resultado"],
                      r["estado_actual"], r["acta"] or "", r["fecha"] or "")
    return table


def milestones_table(hechos: dict[str, Any]) -> Table:
    from states.rules.seguimiento import pendientes_previos

    table = Table(title="Hitos")
    for col in ("Hito", "Fecha", "Estado", "Indicadores", "Pendientes de anteriores", "Calificación", "Fechas"):
        table.add_column(col)
    hitos = hechos["hitos"]
    for n in sorted(hitos, key=int):
        h = hitos[n]
        fecha = h.get("fecha", "—") + (f" (antes {h['fecha_original']})" if h.get("fecha_original") else "")
        fechas = ", ".join(f"{k} {h[k]}" for k in ("presentado", "observado", "levantado", "aprobado", "fisico_recibido")
                           if h.get(k))
        nota = h.get("calificacion", "")
        if h.get("falta_grave"):
            nota = (nota + " " if nota else "") + "(falta grave en visita)"
        table.add_row(n, fecha, h.get("estado", "—"), str(h.get("indicadores", "—")), str(pendientes_previos(hitos, int(n)) or ""),
                      nota, fechas)
    return table


def budget_table(hechos: dict[str, Any]) -> Table:
    from decimal import Decimal

    from states.rules import money
    from states.rules.contrato import PARTIDAS
    from states.rules.gastos import gastado

    table = Table(title="Presupuesto FONDECYT: aprobado y ejecutado")
    for col in ("Partida", "Aprobado", "Ejecutado", "Saldo"):
        table.add_column(col)
    for p in PARTIDAS:
        aprobado = Decimal(hechos["presupuesto"].get(p) or 0)
        usado = gastado(hechos.get("gastos"), p)
        if aprobado or usado:
            table.add_row(p, money(aprobado), money(usado), money(aprobado - usado))
    return table


def registry_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="Registro de impedimentos")
    for col in ("Tipo", "Documento", "Nombre", "Desde", "Hasta", "Motivo", "Fuente", "Caso"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["tipo"], r["documento"], r["nombre"] or "", r["desde"], r["hasta"] or "indefinido",
                      r["motivo"], r["fuente"], r["caso"])
    return table


def agenda_table(rows: list[dict[str, Any]], title: str = "Agenda de plazos") -> Table:
    table = Table(title=f"{title} ({len(rows)})")
    for col in ("Vence", "Faltan", "Caso", "Plazo", "Hito", "Responsable", "Estado", "Cuenta desde", "Fuente"):
        table.add_column(col)
    for r in rows:
        faltan = f"{r['dias_restantes']} {r['unidad']}"
        estado = r["estado"] + (f" (escalamiento {r['escalamiento']})" if r["escalamiento"] else "")
        table.add_row(r["vence"], faltan, r["codigo"], f"{r['tipo']} {r['titulo']}", r["hito"] or "",
                      r["responsable"], estado, r["cuenta_desde"], r["fuente"])
    return table


def actions_table(actions, title: str) -> Table:
    table = Table(title=f"{title}: {len(actions)} acciones")
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
            desde, hasta = CICLO.state(o.origen).titulo, CICLO.state(o.destino).titulo
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
        table.add_row(str(r["id"]), r["estado"], r["tipo"], r["codigo"] or "", ", ".join(r["destinatarios"]),
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
    table = Table(title=f"Auditoría ({len(rows)} filas)")
    for col in ("Id", "Fecha efectiva", "Registrado", "Usuario", "Rol", "Caso", "Evento", "De → a", "Nota",
                "Regla citada / motivos"):
        table.add_column(col)
    for r in rows:
        evento = r["evento"] if r["aceptado"] else f"{r['evento']} (RECHAZADO)"
        citado = "\n".join(r["reglas"] if r["aceptado"] else r["motivos"])
        table.add_row(str(r["id"]), r["fecha_efectiva"], r["registrado_en"], r["usuario"],
                      r["rol"] or "", r["caso"], evento, f"{r['de'] or '—'} → {r['a'] or '—'}", r["nota"] or "",
                      citado)
    return table


def _cuando(past: dict[str, Any]) -> str:
    """Which axis of the record a rebuilt case is on: a date as known today, an instant as seen then."""
    al = f"al {past['al']}" if past.get("al") else ""
    segun = f"según el registro del {past['segun_registro']}" if past.get("segun_registro") else ""
    return " y ".join(p for p in (al, segun) if p)


def render_replay(past: dict[str, Any]) -> None:
    out = console()
    if past["estado"] is None:
        desde = f": su primer hecho es del {past['desde']}" if past.get("desde") else ""
        out.print(f"{past['codigo']} no existía {_cuando(past)}{desde}.")
        return
    estado = CICLO.state(past["estado"]).titulo
    out.print(f"[bold]{past['codigo']}[/bold] {_cuando(past)}: {estado} "
              f"(reconstruido desde {past['eventos']} filas de auditoría)")
    for grupo, hechos in past["hechos"].items():
        if grupo in NESTED or not isinstance(hechos, dict):
            continue
        out.print(f"[bold]{grupo}[/bold]: " + escape(", ".join(f"{k}={_shown(v)}" for k, v in hechos.items()
                                                              if k != "versiones")))
    if past["hechos"].get("hitos"):
        out.print(milestones_table(past["hechos"]))
    table = Table(title="Plazos abiertos en esa fecha")
    for col in ("Vence", "Plazo", "Hito", "Estado"):
        table.add_column(col)
    for p in past["plazos"]:
        table.add_row(p["vence"], p["tipo"], p["hito"] or "", p["estado"])
    out.print(table)
