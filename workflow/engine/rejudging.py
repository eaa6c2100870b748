"""Every act of a case judged again, by the one judge, on the installation as it stood when the act
was registered.

A chain that verifies proves only that nothing changed after a row was written, and a declared
transition by a user who held the role (integrity.illegal) may still be an act the rules refuse: a
monitor's own S/ 250 000 expense on a reused receipt, written with a valid hash. So `auditoria
verificar` folds the whole log in registration order, the order in which the judge met it: each call
as its last load gave it, the calendar with the holidays and decrees stored so far, the registry's
flags raised so far, every case as its rows so far fold (history.record_fold) with its deadlines as
their operations so far leave them, and each call's other cases as they then stood (places left,
merit order, one proposal per coordinator). Each officer's act is fired again on that picture with
the data it recorded, by the engine's own functions: `machine.fire` for an act in its order,
`history.judge_change` for one recorded late, a rectification or an annulment. A row the judge
refuses, or whose state or facts are not what firing gives, is named `REGLA INCUMPLIDA` with the
rule's source and reason.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from states import tiempo
from states.actos import ACTO
from states.books import book_of
from states.calendar import Calendar, NonWorkingDay
from states.call import Call
from states.context import CallView, Registry
from workflow.engine import history
from workflow.engine.calls import local_date, parse_stored
from workflow.engine.cases import effects
from workflow.engine.context import Scope, rule_context
from workflow.engine.feriados import official
from workflow.engine.ledger import OPEN, as_json, moved, moves_deadlines, ops_for
from workflow.engine.machine import Case, failures, fire
from workflow.engine.replay import fold_deadlines
from workflow.errors import Refusal

CARGAR, FERIADOS, DECRETO = "cargar_convocatoria", "guardar_feriados", "agregar_dia_no_laborable"
POSTULAR = ACTO["postular"]
PRORROGAR = "prorrogar_plazos"
PAIS_ANTERIOR = "PE"
"""The country of the holidays and decrees recorded before the log named one (migration 0016): Peru's,
the only jurisdiction then."""


@dataclass
class _Case:
    codigo: str
    call: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    """Its accepted rows so far, the service's included."""
    estado: str | None = None
    hechos: dict[str, Any] = field(default_factory=dict)
    plazos: dict[int, dict[str, Any]] = field(default_factory=dict)
    ultima: date | None = None
    """The last effective date of its acts so far: an act dated before it was judged as a change."""


def _json(value: Any) -> Any:
    """A value as the log keeps it (JSON), so that facts fired now compare with facts recorded."""
    return json.loads(json.dumps(value, default=str))


class _Installation:
    """The calls, the calendar, the registry and the cases as the log so far leaves them."""

    def __init__(self, stored_calls: dict[str, str], case_calls: dict[int, str],
                 stored_cases: Callable[[str], dict[str, tuple[str, dict[str, Any]]]] | None = None):
        self.stored_calls, self.case_calls, self.stored_cases = stored_calls, case_calls, stored_cases
        self.texts: dict[str, str] = {}
        self.holidays: dict[str, dict[int, dict[date, str]]] = {}
        """By country, by year."""
        self.days: dict[str, list[NonWorkingDay]] = {}
        """The decrees, by country."""
        self.calendars: dict[str, Calendar] = {}
        self.flags: list[tuple[datetime, int, dict[str, Any]]] = []
        """(registered at, the raising row, the flag) in registration order."""
        self.cases: dict[int, _Case] = {}
        self.views: dict[str, CallView] = {}
        self.seen: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {}

    # --- what is not a case ---------------------------------------------------------------------

    def outside_cases(self, r: dict[str, Any]) -> list[str]:
        """The installation after a row that is not of a case; what the row may not hold."""
        datos = r["datos"] or {}
        out = []
        if r["evento"] == CARGAR:
            codigo = datos["convocatoria"]
            text = datos.get("definicion")
            if text is None:  # a load recorded before the log kept the file's text: the stored one, if it is that
                text = self.stored_calls.get(codigo)
            self.texts[codigo] = text
            self.calendars.clear()
        elif r["evento"] == FERIADOS:
            pais = datos.get("pais", PAIS_ANTERIOR)
            if datos.get("feriados") != official(datos.get("anios") or [], pais):
                out.append(f"{_where(r)}: los feriados guardados no son los de {', '.join(map(str, datos.get('anios') or []))} "
                           f"según el paquete holidays (país {pais})")
            for fecha, nombre in datos.get("feriados", []):
                d = date.fromisoformat(fecha)
                self.holidays.setdefault(pais, {}).setdefault(d.year, {})[d] = nombre
            self.calendars.clear()
        elif r["evento"] == DECRETO:
            c = datos["calendario"]
            self.days.setdefault(c.get("pais", PAIS_ANTERIOR), []).append(NonWorkingDay(
                date.fromisoformat(str(c["desde"])), date.fromisoformat(str(c["hasta"])), c["tipo"], c["alcance"],
                c["norma"], "base de datos"))
            self.calendars.clear()
        return out

    def call(self, codigo: str) -> Call | None:
        text = self.texts.get(codigo) or self.stored_calls.get(codigo)
        return parse_stored(codigo, text) if text else None

    def scope(self, codigo: str, at: datetime) -> Scope | None:
        call = self.call(codigo)
        if call is None:
            return None
        if codigo not in self.calendars:
            pais = book_of(call).jurisdiccion.pais
            self.calendars[codigo] = Calendar(tuple(self.days.get(pais, ())), call.calendario.sede,
                                              {y: dict(d) for y, d in self.holidays.get(pais, {}).items()}, pais=pais)
        if codigo not in self.views:
            self.views[codigo] = CallView(lambda: {**(self.stored_cases(codigo) if self.stored_cases else {}),
                                                   **self.seen.setdefault(codigo, {})})
        flags = [f for when, _, f in self.flags if when < at]  # a unit of work reads the registry once
        return Scope(call, self.calendars[codigo], self.views[codigo], Registry(lambda: flags))

    # --- the cases --------------------------------------------------------------------------------

    def case_of(self, r: dict[str, Any]) -> _Case | None:
        case = self.cases.get(r["caso_id"])
        if case is None and r["evento"] == POSTULAR.nombre:
            call = (r.get("entrada") or {}).get("convocatoria") or self.case_calls.get(r["caso_id"])
            case = self.cases[r["caso_id"]] = _Case(r["codigo"], call)
        return case

    def apply(self, case: _Case, r: dict[str, Any]) -> None:
        """The case after one more of its accepted rows, and the call's view of it."""
        case.rows.append(r)
        case.plazos = fold_deadlines(case.plazos, r["plazos"] or [], [])
        if r["rol"] == history.SISTEMA:
            return
        fecha = history.effective_date(r)
        if r["refiere"] is None and r["evento"] != history.ANULAR and (case.ultima is None or fecha >= case.ultima):
            case.estado, case.hechos = history.fold_step(case.estado, case.hechos, r)  # an act in its order
        else:
            case.estado, case.hechos = history.record_fold(history.effective(case.rows))
        case.ultima = max(case.ultima or fecha, fecha)
        self.seen.setdefault(case.call, {})[case.codigo] = (case.estado, case.hechos)
        if case.call in self.views:
            self.views[case.call].update(case.codigo, case.estado, case.hechos)
        for flag in (r.get("efectos") or {}).get("registro", []):
            self.flags.append((r["registrado_en"], r["id"], {**flag, "desde": _date(flag["desde"]),
                                                            "hasta": _date(flag.get("hasta"))}))
        if r["evento"] == history.ANULAR:
            by_id = {x["id"]: x for x in case.rows}
            if r["refiere"] in by_id:
                root = history.root_of(case.rows, by_id[r["refiere"]], by_id)
                voided = {x["id"] for x in case.rows if history.root_of(case.rows, x, by_id) == root}
                for _, raised_by, flag in self.flags:
                    if raised_by in voided:
                        flag["hasta"] = flag["desde"]


def _date(value: Any) -> date | None:
    return None if value is None else value if isinstance(value, date) else date.fromisoformat(str(value))


def _where(r: dict[str, Any]) -> str:
    return f"REGLA INCUMPLIDA fila {r['id']} ({r['evento']}, {r['codigo']}, {r['usuario']})"


def problems(rows: list[dict[str, Any]], stored_calls: dict[str, str], case_calls: dict[int, str], since: int = 0,
             stored_cases: Callable[[str], dict[str, tuple[str, dict[str, Any]]]] | None = None,
             caused: dict[str, Any] | None = None) -> list[str]:
    """Each accepted act of a case the one judge refuses today on the installation as it stood when
    the act was registered, or whose state or facts are not what it gives (see the module).
    `rows`: the accepted rows of the log in registration order. With `since`, only the rows after it
    are judged, the earlier ones given are folded; then `rows` holds every row the installation's
    picture needs and the rows of the cases judged, and `stored_cases` gives a call's other cases
    as they are stored (none of the rows judged touches them). `caused` receives the messages each
    act judged writes (key → context), for the outbox's check."""
    world = _Installation(stored_calls, case_calls, stored_cases)
    world.caused = caused if caused is not None else {}
    out: list[str] = []
    imported: list[tuple[_Case, dict[str, Any]]] = []
    """The proposals of one import, judged once all of them are in the call's view, as the import does."""
    for r in rows:
        if imported and (r["evento"] != POSTULAR.nombre or r["registrado_en"] != imported[0][1]["registrado_en"]):
            out += _proposals(world, imported)
            imported = []
        judged = r["id"] > since
        if r["caso_id"] is None:
            if r["evento"] == POSTULAR.nombre and judged:
                out.append(f"{_where(r)}: una postulación sin su caso")
            found = world.outside_cases(r)
            out += found if judged else []
            continue
        case = world.case_of(r)
        if case is None:
            continue  # a row of a case that never was proposed: integrity.illegal names it
        if r["evento"] == POSTULAR.nombre:
            imported += [(case, r)] if judged else []
        elif not judged or case.estado is None:
            pass
        elif r["rol"] != history.SISTEMA:
            out += [f"{_where(r)}: {why}" for why in _judged(world, case, r)]
        elif r["evento"] == PRORROGAR:
            out += [f"{_where(r)}: {why}" for why in _recounted(world, case, r)]
        world.apply(case, r)
    return out + _proposals(world, imported)


def _proposals(world: _Installation, imported: list[tuple[_Case, dict[str, Any]]]) -> list[str]:
    """Each proposal's defects (states/actos.py `postular`): what the import recorded, judged again."""
    out = []
    for case, r in imported:
        scope = world.scope(case.call, r["registrado_en"])
        if scope is None:
            out.append(f"{_where(r)}: su convocatoria {case.call} no está cargada en la auditoría")
            continue
        hechos = _json(r["datos"] or {})
        recorded = (hechos.get("postulacion") or {}).pop("defectos", [])
        ctx = rule_context(scope, case.codigo, scope.book.ciclo.inicial, hechos, history.effective_date(r))
        try:
            given = [str(f) for f in failures(scope.book.reglas_postular, ctx)]
        except Exception as exc:  # facts no import would have read break a rule: that is the finding
            given = [f"sus datos no pueden juzgarse ({type(exc).__name__}: {exc})"]
        if given != list(recorded):
            out.append(f"{_where(r)}: defectos registrados: {'; '.join(recorded) or 'ninguno'}; las reglas dan: "
                       f"{'; '.join(given) or 'ninguno'}")
    return out


def _judged(world: _Installation, case: _Case, r: dict[str, Any]) -> list[str]:
    scope = world.scope(case.call, r["registrado_en"])
    if scope is None:
        return [f"su convocatoria {case.call} no está cargada en la auditoría"]
    fecha = history.effective_date(r)
    fuera = tiempo.fecha_efectiva(fecha, local_date(scope.call, r["registrado_en"]),
                                  scope.call.convocatoria.lanzamiento)
    if fuera:
        return [fuera]
    event = None if r["evento"] == history.ANULAR else scope.book.ciclo.event(r["evento"])
    if event is None and r["evento"] != history.ANULAR:
        return []  # not a declared act: integrity.illegal names it
    if event is not None and r["entrada"] is None:
        return ["no guarda los datos con que se registró (entrada): el acto no puede juzgarse de nuevo"]
    try:
        if r["refiere"] is not None or event is None or (case.ultima and fecha < case.ultima):
            return _change(world, scope, case, r, event, fecha)
        abiertos = [p for p in case.plazos.values() if p["estado"] in OPEN]
        ctx = rule_context(scope, case.codigo, case.estado, case.hechos, fecha, dict(r["entrada"]),
                           abiertos if event.lee_plazos else None)
        fired = Case(case.codigo, case.estado, case.hechos)
        fire(fired, event, ctx)
        after = rule_context(scope, case.codigo, fired.estado, fired.hechos, fecha, ctx.datos)
        ops = ops_for(event, case.estado, fired.estado, after, abiertos, scope.calendario) \
            if moves_deadlines(scope.book, event, case.estado, fired.estado) else []
        _writes(world, event, fired, after, scope)
    except Refusal as refusal:
        return list(refusal.motivos)
    except Exception as exc:  # data no judge would have let through breaks a rule: that is the finding
        return [f"sus datos no pueden juzgarse ({type(exc).__name__}: {exc})"]
    return _differences(r, case, fired.estado, fired.patch, ops, effects(fired.registro))


def _recounted(world: _Installation, case: _Case, r: dict[str, Any]) -> list[str]:
    """A move of the calendar's: each deadline it moves counted again with the calendar as it then stood."""
    scope = world.scope(case.call, r["registrado_en"])
    if scope is None:
        return [f"su convocatoria {case.call} no está cargada en la auditoría"]
    out = []
    for op in r["plazos"] or []:
        row = case.plazos.get(op.get("id"))
        given = moved(row, case.codigo, case.estado, case.hechos, case.rows, scope, history.effective_date(r), op.get("motivo")) \
            if row is not None else None
        if _json(as_json([given] if given else [])) != _json([op]):
            out.append(f"mueve el plazo {op.get('tipo')}{' hito ' + str(op['hito']) if op.get('hito') else ''} al "
                       f"{op.get('vence') or op.get('escalamiento_vence')}, y con el calendario de entonces "
                       + (f"vence el {given.get('vence') or given.get('escalamiento_vence')}" if given else "no se mueve"))
    return out


def _writes(world: _Installation, event, case: Case, after, scope: Scope) -> None:
    """The messages an act writes, as the judge queues them (notifications/events.py)."""
    if event.mensajes:
        from notifications.events import event_messages

        for m in event_messages(event, case, after, scope.call):  # a key queued once: a later act's is not queued
            world.caused.setdefault(m["clave"], m["contexto"])


def _change(world: _Installation, scope: Scope, case: _Case, r: dict[str, Any], event, fecha: date) -> list[str]:
    original = history.original_act(case.rows, r["refiere"], r["evento"], case.codigo) \
        if r["refiere"] is not None else None
    resolucion = ((r["datos"] or {}).get("anulacion") or {}).get("resolucion")
    change = history.judge_change(scope, case.codigo, case.rows, original, event,
                                  dict(r["entrada"]) if r["entrada"] is not None else None, fecha, r["rol"], resolucion)
    if event is not None and original is None:  # a late record writes its messages as the case now stands
        _writes(world, event, Case(case.codigo, change.estado, change.hechos),
                rule_context(scope, case.codigo, change.estado, change.hechos, fecha, change.nuevo["entrada"]), scope)
    opened = iter(range(-1, -1 << 30, -1))
    ops = history.reconcile(list(case.plazos.values()), change.folded.plazos, change.motivo, lambda: next(opened))
    if event is None:
        return _differences(r, case, change.estado, None, ops, None)
    return _differences(r, case, change.nuevo["estado_destino"], change.nuevo["datos"], ops,
                        effects(change.folded.nuevo.registro))


def _differences(r: dict[str, Any], case: _Case, estado: str, patch: dict[str, Any] | None,
                 ops: list[dict[str, Any]], efectos: dict[str, Any] | None) -> list[str]:
    out = []
    if estado != r["estado_destino"]:
        out.append(f"el acto lleva el caso a {estado} y la fila dice {r['estado_destino']}")
    if patch is not None and _json(patch) != _json(r["datos"] or {}):
        given, recorded = _json(patch), _json(r["datos"] or {})
        keys = sorted(k for k in given.keys() | recorded.keys() if given.get(k) != recorded.get(k))
        out.append(f"registra hechos que el acto no da, en: {', '.join(keys)}")
    if _json(efectos) != _json(r["efectos"]):
        flags = ((r["efectos"] or {}).get("registro") or [])
        out.append("escribe en el registro de impedimentos lo que el acto no da: "
                   + (", ".join(f"{f.get('tipo')} {f.get('documento')}" for f in flags) or "nada"))
    given, recorded = _shape(ops, case.plazos), _shape(r["plazos"] or [], case.plazos)
    if given != recorded:
        out.append(f"registra operaciones de plazos que el acto no da: {_ops_text(recorded)}; el acto da: "
                   f"{_ops_text(given)}")
    return out


def _shape(ops: list[dict[str, Any]], known: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Operations as the log keeps them, a deadline the act opens named by no id (its id is the
    ledger's, given when it is written)."""
    return [{**op, "id": op.get("id") if op.get("id") in known else None} for op in _json(as_json(ops))]


def _ops_text(ops: list[dict[str, Any]]) -> str:
    return ", ".join(f"{op['accion']} {op.get('tipo') or ''}{' hito ' + str(op['hito']) if op.get('hito') else ''}"
                     .rstrip() for op in ops) or "ninguna"
