"""A rule book as a value: everything that makes a call's rules, gathered so that the engine runs
any book it is given and names none.

`states/books.py` registers the books an installation knows, by name; a call file names its book
(`reglamento = "pct-2019"`); the engine reaches a case's book through its call. A book is checked
when it loads, by small named checks (as python-statemachine's factory checks a definition), each one
property: a book that fails one does not load, and the refusal names the check.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from states.atajos import Atajo
from states.call import Decisivo
from states.cartera import Dinero, LibroDeCartera
from states.context import Context
from states.definition import DefinitionError, Event, Lifecycle, Rule, unknown_keys
from states.jurisdicciones import Jurisdiccion
from states.mensajes import Mensaje
from states.plazos import LibroDePlazos
from states.seleccion import Seleccion
from states.vistas import Vista


@dataclass(frozen=True)
class Redaccion:
    """What a book's messages say (the templates in `templates/` read these contexts)."""

    caso: Callable[[str, dict[str, Any]], dict[str, Any]]
    """What every message says of its case (its code, title, parties…), from its facts."""
    contextos: dict[str, Callable[..., dict[str, Any]]] = field(default_factory=dict)
    """What each message an event sends says beyond the case: (case, context after the event, call) → values."""
    repetidas: tuple[str, ...] = ()
    """The event messages a case may receive more than once (a report observed again): keyed by day."""
    domicilio: Callable[[dict[str, Any]], str | None] = lambda hechos: None
    """The address a letter is delivered to on paper, from the case's facts."""
    fuente_domicilio: str = ""
    evento_domicilio: str | None = None
    """The event by which the entity gives another domicile in writing."""
    cargo: Callable[[dict[str, Any], int], dict[str, Any]] = lambda hechos, mensaje: {}
    """The delivery of a letter (its message's number) at the domicile, as the case recorded it."""
    institucion: str = ""
    """The fund as its letters are numbered (FONDECYT)."""
    muestra: dict[str, str] = field(default_factory=dict)
    """What a preview of an event's message shows for data the act has not given yet."""
    firmas: dict[str, str] = field(default_factory=dict)
    """Who signs each letter, by the unit its declaration names (`Mensaje.carta`)."""


@dataclass(frozen=True)
class Formulario:
    """The application form a book's proposals are imported with (`convoca importar`)."""

    columnas: dict[str, str]
    """The columns every row must fill, with what each holds (`codigo` first: the case's code)."""
    lee: Callable[[dict[str, Any], Any, date], tuple[dict[str, Any], datetime | None, list[str]]]
    """(a row, the call, today) → the proposal's facts, its submission instant, and what makes it
    unreadable (non-empty: the row is refused)."""
    grupo: str
    """The group of facts that holds the proposal itself, where its defects are kept."""
    opcionales: dict[str, str] = field(default_factory=dict)
    """Columns a row may leave empty, with what each holds."""
    opciones: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The values a column may take, where it is a list."""


@dataclass(frozen=True, eq=False)
class Book:
    """Compared and hashed by identity: one value per registered book, the key of its compiled machine."""

    nombre: str
    """Its name in a call file (`reglamento`)."""
    titulo: str
    jurisdiccion: Jurisdiccion
    esquema: type
    """The schema of its call files (a states.call.CallBase)."""
    ciclo: Lifecycle
    informe: Lifecycle | None
    """The life of each report, when the book's events move reports (ITF, IFR)."""
    reglas_postular: tuple[Rule, ...]
    """The rules each proposal is judged by at import (its defects)."""
    formulario: Formulario
    """Its application form: the columns of an import file and the facts a proposal records."""
    plazos: LibroDePlazos = LibroDePlazos(())
    """Its deadlines, their escalation and how its law counts them."""
    mensajes: tuple[Mensaje, ...] = ()
    """The messages it sends: to whom, from which source, which notify with legal effect."""
    redaccion: Redaccion = Redaccion(caso=lambda codigo, hechos: {"codigo": codigo})
    """What its messages say."""
    sustancia: Callable[[str, dict[str, Any], dict[str, Any], set[str]], str | None] = lambda *args: None
    """Why a rectification of an act would change the substance of a decision (the act, its facts before
    and after, the other acts in effect); None when it corrects only a material error."""
    decisivos: tuple[Decisivo, ...] = ()
    """The keys of its call file whose values decide outcomes once its events happened."""
    fuente_informes: str = ""
    clave_informe: Callable[[str, dict[str, Any]], str] = lambda tipo, datos: tipo
    """(the kind of report an event names, the act's data) → where the case's facts keep that report."""
    informe_ausente: Callable[[str, dict[str, Any], dict[str, Any]], str] = lambda tipo, datos, hechos: \
        f"el informe {tipo} no existe"
    """(kind, data, the case's facts) → why the addressed report is not there to move."""
    titulo_informe: Callable[[str], str] = lambda clave: clave
    """A report as a refusal names it, from where the facts keep it."""
    """The source of the reports' own rules, as a refusal of a report's step cites it."""
    enviado: Callable[[Event, str, Context], dict[str, Any]] | None = None
    """What an event records when it sends a notification with legal effect (the facts of its
    sending, from which the law's periods count), when the book's law has such notifications."""
    cartera: LibroDeCartera = LibroDeCartera((), (), lambda hechos, estado, acts: Dinero())
    """What each case counts in the portfolio report: its money, budget lines, notable events."""
    vistas: tuple[Vista, ...] = ()
    """The tables `ver` shows of a case beyond its groups of facts (milestones, budget, tranches…)."""
    anidados: tuple[str, ...] = ()
    """The groups of facts those tables show, not repeated as a line of facts."""
    seleccion: Seleccion | None = None
    """Its selection policy (one merit order, a waitlist); None: each case is decided on its own."""
    atajos: tuple[Atajo, ...] = ()
    """Its stage commands (`convoca evaluar`…), generated by the command line from these declarations."""
    ejemplos: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The examples that end the help of the commands its declarations give, on the demo's database."""


class BookError(DefinitionError):
    """A rule book that fails a check of its load: names the check and what fails it."""


def _edges(ciclo: Lifecycle) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {s.nombre: set() for s in ciclo.estados}
    for ev in ciclo.eventos:
        for t in ev.transiciones:
            for s in t.origen:
                if t.destino and s in edges:
                    edges[s].add(t.destino)
    return edges


def un_estado_inicial(book: Book) -> list[str]:
    """Exactly one initial state, one of the book's."""
    names = {s.nombre for s in book.ciclo.estados}
    return [] if book.ciclo.inicial in names else [f"el estado inicial '{book.ciclo.inicial}' no es un estado del libro"]


def sin_estados_trampa(book: Book) -> list[str]:
    """No state but a final one is left without an event out of it."""
    edges = _edges(book.ciclo)
    return [f"el estado '{s.nombre}' no es final y ningún evento sale de él" for s in book.ciclo.estados
            if not s.final and not edges[s.nombre]]


def todo_estado_llega_a_uno_final(book: Book) -> list[str]:
    """From every state some path of events reaches a final state: no case is stuck for ever."""
    edges, finales = _edges(book.ciclo), {s.nombre for s in book.ciclo.estados if s.final}
    out = []
    for s in book.ciclo.estados:
        seen, frontier = {s.nombre}, [s.nombre]
        while frontier and not seen & finales:
            for nxt in edges[frontier.pop()] - seen:
                seen.add(nxt)
                frontier.append(nxt)
        if not seen & finales:
            out.append(f"desde el estado '{s.nombre}' ningún camino llega a un estado final")
    return out


def todo_paso_de_informe_existe(book: Book) -> list[str]:
    """Every report step an event takes is a step of the book's report lifecycle."""
    return [f"el evento '{ev.nombre}' da el paso de informe desconocido '{ev.informe[1]}'" for ev in book.ciclo.eventos
            if ev.informe and (book.informe is None or book.informe.event(ev.informe[1]) is None)]


def todo_rol_existe(book: Book) -> list[str]:
    """Every role an event names is a role of the installation (states/roles.py)."""
    from states.roles import ROLES

    return [f"el evento '{ev.nombre}' nombra el rol desconocido '{r}'" for ev in book.ciclo.eventos
            for r in ev.roles if r not in ROLES]


def todo_dato_leido_esta_declarado(book: Book) -> list[str]:
    """Every datum a rule reads is a datum some event records."""
    campos = {c.nombre for ev in book.ciclo.eventos for c in ev.campos}
    return sorted({f"la regla '{r.codigo}' lee el dato '{d}', que ningún evento registra"
                   for ev in book.ciclo.eventos for t in ev.transiciones for r in t.reglas for d in r.datos
                   if d not in campos})


def toda_etiqueta_nombra_claves_de_la_convocatoria(book: Book) -> list[str]:
    """Every `{seccion.clave}` a datum's or a rule's label takes from the call file is a key of the
    book's call schema."""
    labels = [(ev.nombre, c.ayuda) for ev in book.ciclo.eventos for c in ev.campos]
    labels += [(ev.nombre, r.requisito) for ev in book.ciclo.eventos for t in ev.transiciones for r in t.reglas]
    return sorted({f"el evento '{ev}' nombra la clave desconocida '{k}' de la convocatoria"
                   for ev, text in labels for k in unknown_keys(text, book.esquema)})


def todo_plazo_tiene_consecuencia(book: Book) -> list[str]:
    """Every deadline kind says what it asks, which event opens it, which closes it and what happens
    when it is missed (a notice, a letter, an escalation, a right that lapses, a task)."""
    out = []
    for k in book.plazos.tipos:
        out += [f"el plazo {k.tipo} no dice {que}" for que, falta in (
            ("qué pide (que_hacer)", not k.que_hacer), ("qué evento lo abre", not k.abre),
            ("qué evento lo cierra", not k.cierra), ("qué pasa al vencer (consecuencia)", not k.consecuencia)) if falta]
    return out


def todo_plazo_nombra_eventos_del_ciclo(book: Book) -> list[str]:
    """Every event a deadline names (opening, closing, moving, voiding it; a letter's delivery; a
    notification's effect) is an event of the book's lifecycle."""
    plazos = book.plazos
    extra = tuple(e for e in (plazos.entrega, plazos.notificar) if e)
    return sorted({f"el plazo {k.tipo} nombra el evento desconocido '{name}'" for k in plazos.tipos
                   for name in (*k.abre, *k.cierra, *k.mueve, *k.anula, *extra) if book.ciclo.event(name) is None})


def todo_plazo_por_hito_sabe_sus_hitos(book: Book) -> list[str]:
    """A deadline that runs once per milestone needs the book to say where a case keeps its milestones."""
    return [f"el plazo {k.tipo} corre por hito y el libro no dice dónde guarda un caso sus hitos"
            for k in book.plazos.tipos if k.por_hito and not book.plazos.hitos]


def la_seleccion_nombra_estados_del_ciclo(book: Book) -> list[str]:
    """The states a selection policy ranks from and offers freed places from are the lifecycle's, and
    the event it publishes with is one of its events."""
    sel = book.seleccion
    if sel is None:
        return []
    known = {s.nombre for s in book.ciclo.estados}
    return [f"la selección nombra el estado desconocido '{name}'" for name in (sel.espera, sel.lista)
            if name not in known] + ([] if book.ciclo.event(sel.evento) else
                                     [f"la selección publica con el evento desconocido '{sel.evento}'"])


def declara_lo_que_la_instalacion_usa(book: Book) -> list[str]:
    """The event that assigns a case its monitor and the notice that rectifies a sent message are
    declared by every book: the installation's own commands fire and send them."""
    from states.actos import ASIGNAR
    from states.mensajes import RECTIFICACION

    out = [] if book.ciclo.event(ASIGNAR) else [f"no declara el evento '{ASIGNAR}'"]
    return out + ([] if any(m.tipo == RECTIFICACION for m in book.mensajes)
                  else [f"no declara el mensaje '{RECTIFICACION}'"])


def todo_mensaje_declarado(book: Book) -> list[str]:
    """Every message kind an event queues, a deadline notifies by, a step of the escalation sends or a
    deadline's notice is, is a declared message of the book."""
    kinds = {m.tipo for m in book.mensajes}
    named = [(f"el evento '{ev.nombre}'", m) for ev in book.ciclo.eventos for m in ev.mensajes]
    named += [(f"el plazo {k.tipo}", k.notificacion) for k in book.plazos.tipos if k.notificacion]
    named += [("el escalamiento", p.mensaje) for p in book.plazos.escalamiento]
    named += [("los avisos de plazos", a) for a in book.plazos.avisos]
    return [f"{who} nombra el mensaje no declarado '{m}'" for who, m in named if m not in kinds]


def todo_mensaje_de_evento_tiene_contexto_y_clave(book: Book) -> list[str]:
    """Every message kind an event sends has what it says (its context, in the book's wording), and the
    wording says nothing of a kind no event sends; a kind sent again is one of them."""
    enviados = {t for ev in book.ciclo.eventos for t in ev.mensajes}
    out = [f"el mensaje '{t}' lo envía un evento y la redacción no dice su contenido" for t in sorted(enviados)
           if t not in book.redaccion.contextos]
    out += [f"la redacción da contenido al mensaje '{t}', que ningún evento envía" for t in sorted(book.redaccion.contextos)
            if t not in enviados]
    return out + [f"el mensaje repetido '{t}' no lo envía ningún evento" for t in book.redaccion.repetidas
                  if t not in enviados]


def todo_valor_decisivo_nombra_un_evento_o_plazos(book: Book) -> list[str]:
    """Every decisive value of the call says what it decided by: an event of the lifecycle, or deadline
    kinds of the book (one of the two)."""
    out = []
    tipos = {k.tipo for k in book.plazos.tipos}
    for d in book.decisivos:
        if (d.evento is None) == (not d.plazos):
            out.append(f"el valor decisivo '{d.clave}' debe nombrar un evento o plazos, no ambos ni ninguno")
        if d.evento and book.ciclo.event(d.evento) is None:
            out.append(f"el valor decisivo '{d.clave}' nombra el evento desconocido '{d.evento}'")
        out += [f"el valor decisivo '{d.clave}' nombra el plazo desconocido '{p}'" for p in d.plazos if p not in tipos]
    return out


def todo_paso_cuenta_con_una_clave_de_la_convocatoria(book: Book) -> list[str]:
    """Every step of the escalation that gives a reply period takes its days from a key of the call's
    [plazos] section."""
    section = book.esquema.model_fields.get("plazos")
    keys = section.annotation.model_fields if section else {}
    return [f"el paso {p.mensaje} cuenta los días de '{p.dias_habiles}', que no es una clave de [plazos]"
            for p in book.plazos.escalamiento if p.dias_habiles and p.dias_habiles not in keys]


def todo_atajo_nombra_eventos_del_ciclo(book: Book) -> list[str]:
    """A stage command fires events of the book's lifecycle; one that takes the event's fields as
    options fires exactly one; a checklist gates one of its events."""
    known = {e.nombre for e in book.ciclo.eventos}
    out = [f"el comando '{a.comando}' nombra el evento desconocido '{e}'"
           for a in book.atajos for e in (*a.eventos, *((a.habilita,) if a.habilita else ())) if e not in known]
    return out + [f"el comando '{a.comando}' toma opciones de un evento pero nombra {len(a.eventos)}"
                  for a in book.atajos if a.opciones and len(a.eventos) != 1]


CHECKS: tuple[Callable[[Book], list[str]], ...] = (
    un_estado_inicial, sin_estados_trampa, todo_estado_llega_a_uno_final, todo_paso_de_informe_existe, todo_rol_existe,
    todo_dato_leido_esta_declarado, toda_etiqueta_nombra_claves_de_la_convocatoria, todo_plazo_tiene_consecuencia,
    todo_plazo_nombra_eventos_del_ciclo, todo_mensaje_declarado, todo_mensaje_de_evento_tiene_contexto_y_clave,
    todo_paso_cuenta_con_una_clave_de_la_convocatoria, todo_valor_decisivo_nombra_un_evento_o_plazos,
    la_seleccion_nombra_estados_del_ciclo, declara_lo_que_la_instalacion_usa, todo_plazo_por_hito_sabe_sus_hitos,
    todo_atajo_nombra_eventos_del_ciclo,
)


def check(book: Book) -> Book:
    """The book, if it passes every named check; else `BookError` naming each check it fails."""
    failed = [(c.__name__, problems) for c in CHECKS if (problems := c(book))]
    if failed:
        raise BookError(f"el libro de reglas '{book.nombre}' no carga:\n" + "\n".join(
            f"  comprobación «{name}»: {'; '.join(problems)}" for name, problems in failed))
    return book
